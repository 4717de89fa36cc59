"""Español: las páginas que acompañan a la app (sin conexión, avisos en este dispositivo) y
lo que la pantalla Cuenta dice de este dispositivo."""

STRINGS: dict[str, str] = {
    "offline_page_title": "Estás sin conexión",
    "offline_page_note": "Esto es lo último que sabíamos. Los casos, las llamadas y los cambios "
    "necesitan conexión; esta página vuelve sola en cuanto se puede llegar a la app.",
    "offline_page_updated": "Última actualización",
    "offline_page_disruptions": "Incidencias y mantenimiento",
    "offline_page_no_disruptions": "No había incidencias la última vez que lo comprobamos.",
    "offline_page_services": "Servicios con problemas",
    "offline_page_articles": "Artículos de ayuda que leíste",
    "offline_page_no_articles": "Los artículos de ayuda que abras se guardan aquí para cuando "
    "estés sin conexión.",
    "offline_page_retry": "Reintentar",
    "device_title": "Este dispositivo",
    "device_installed": "Careline está instalada en este dispositivo: se abre desde tu "
    "pantalla de inicio o tu lista de apps, y muestra lo último que sabía cuando no hay red.",
    "device_installable": "Puedes instalar Careline desde el menú del navegador (Instalar app o "
    "Añadir a pantalla de inicio): así se abre como una app, también sin red.",
    "device_ios_home_screen": "En iPhone y iPad, añade primero Careline a tu pantalla de inicio "
    "(Compartir y luego Añadir a pantalla de inicio): los avisos solo llegan a las apps que se "
    "abren desde ahí.",
    "device_desktop": "Los avisos llegan como notificaciones en este ordenador mientras "
    "Careline está abierta.",
}
