"""Español: la lista de inicios de sesión de la pantalla Cuenta."""

STRINGS: dict[str, str] = {
    "sessions_title": "Dónde has iniciado sesión",
    "sessions_intro": "Cierra la sesión de un dispositivo que ya no usas o que no reconoces. "
    "Un inicio de sesión sin usar durante dos meses termina solo.",
    "session_this_device": "Este dispositivo",
    "session_detail": "Inicio: {created} · último uso: {used}",
    "session_unknown_device": "Dispositivo desconocido",
    "session_app_on": "App Careline en {system}",
    "session_browser_on": "{browser} en {system}",
    "session_sign_out": "Cerrar este inicio de sesión",
    "sessions_end_others": "Cerrar sesión en los demás dispositivos",
    "sessions_only_here": "Solo has iniciado sesión en este dispositivo.",
    "sessions_ended_one": "Sesión cerrada en {count} dispositivo más",
    "sessions_ended_other": "Sesiones cerradas en {count} dispositivos más",
    "sessions_refresh": "Actualizar",
}
