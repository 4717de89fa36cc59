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
    "device_phone": "Los avisos se muestran aquí mientras Careline está abierta. Para recibirlos "
    "con la app cerrada, abre Careline en el navegador del teléfono y añádela a tu pantalla de "
    "inicio.",
    "device_alerts_on": "Los avisos llegan a este dispositivo, también con Careline cerrada.",
    "device_alerts_off": "Los avisos llegan a este dispositivo solo con Careline abierta.",
    "device_alerts_button": "Avisos en este dispositivo",
    "alerts_page_title": "Avisos en este dispositivo",
    "alerts_page_intro": "Recibe como notificaciones las incidencias que sigues, las respuestas "
    "a tus casos y los cambios en tus llamadas, también con Careline cerrada. Sin iniciar "
    "sesión, solo recibes incidencias.",
    "alerts_page_on": "Los avisos están activados en este dispositivo.",
    "alerts_page_off": "Los avisos están desactivados en este dispositivo.",
    "alerts_page_turn_on": "Activar avisos",
    "alerts_page_turn_off": "Desactivar avisos",
    "alerts_page_blocked": "Las notificaciones están bloqueadas para este sitio. Permítelas en "
    "los ajustes del sitio de tu navegador y vuelve a intentarlo.",
    "alerts_page_unsupported": "Este navegador no puede recibir avisos.",
    "alerts_page_failed": "No se pudieron activar los avisos: {reason} Vuelve a intentarlo.",
    "alerts_page_working": "Un momento…",
    "alerts_page_back": "Volver a Careline",
}
