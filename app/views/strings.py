"""Every visible string, in English and Spanish, and times formatted for the locale."""

from __future__ import annotations

from datetime import datetime

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "app_title": "Careline",
        "nav_status": "Status",
        "nav_help": "Help",
        "refresh": "Refresh",
        "last_updated": "Last updated {when}",
        "never_updated": "Not updated yet",
        "offline": "You're offline. Showing saved information; changes are kept and sent "
        "when you're back online.",
        "retry": "Try again",
        "syncing": "Updating…",
        "all_operational": "All services are running normally",
        "disruptions": "Disruptions",
        "services": "Services",
        "maintenance": "Planned maintenance",
        "recent": "Recently resolved",
        "no_status": "No status information yet. Connect to the internet and tap Refresh.",
        "see_details": "See details",
        "affected": "Affected services",
        "timeline": "Updates",
        "related_articles": "Help articles",
        "what_you_can_do": "What you can do",
        "incident_missing": "This incident is not on this device.",
        "back_to_status": "Back to status",
        "search_help": "Search help",
        "search_hint": "Try 'lost bag' or 'refund'",
        "no_results": "No articles match “{query}”. Try other words.",
        "categories": "Browse by topic",
        "all_topics": "All topics",
        "article_missing": "This article is not available on this device.",
        "back_to_help": "Back to help",
        "helpful_question": "Was this article helpful?",
        "yes": "Yes",
        "no": "No",
        "comment_label": "What was missing? (optional)",
        "send": "Send",
        "thanks": "Thanks for your feedback.",
        "thanks_queued": "Thanks for your feedback. It will be sent when you're online "
        "and signed in.",
        "related": "Related articles",
        "empty_help": "The help centre will appear here after the first update.",
        "state_operational": "Operational",
        "state_degraded_performance": "Degraded performance",
        "state_partial_outage": "Partial outage",
        "state_major_outage": "Major outage",
        "state_under_maintenance": "Under maintenance",
        "impact_none": "Information",
        "impact_minor": "Minor disruption",
        "impact_major": "Major disruption",
        "impact_critical": "Critical disruption",
        "status_investigating": "Investigating",
        "status_identified": "Identified",
        "status_monitoring": "Monitoring",
        "status_resolved": "Resolved",
        "status_scheduled": "Scheduled",
        "status_in_progress": "In progress",
        "status_verifying": "Verifying",
        "status_completed": "Completed",
        "scheduled_for": "{start} – {end}",
        "loading": "Loading…",
        "not_found": "Page not found",
        "go_home": "Go to status",
        "nav_account": "Account",
        "sign_in_title": "Sign in to follow your cases and callbacks",
        "email_label": "Email address",
        "send_code": "Send code",
        "code_sent": "We sent a 6-digit code to {email}.",
        "code_label": "Sign-in code",
        "sign_in": "Sign in",
        "other_email": "Use another email",
        "signed_in_as": "Signed in as {email}",
        "sign_out": "Sign out",
        "sign_out_unsent": "{count} changes have not reached us yet. Signing out deletes "
        "them from this device.",
        "sign_out_anyway": "Sign out anyway",
        "keep_signed_in": "Stay signed in",
        "error_invalid_email": "Enter a valid email address.",
        "error_wrong_code": "That code is not right or has expired. Check the latest email "
        "or ask for a new code.",
        "error_offline": "You're offline. Try again when you have a connection.",
        "error_rate_limited": "Too many attempts. Wait a minute and try again.",
        "error_rejected": "The request was refused. Check what you entered.",
        "error_server": "Something went wrong on our side. Try again in a moment.",
        "sync_title": "Sync",
        "online": "Online",
        "offline_short": "Offline",
        "pending_changes": "Changes waiting to be sent: {count}",
        "failed_changes": "Changes refused: {count}",
        "sync_now": "Sync now",
        "preferences": "Preferences",
        "language": "Language",
        "theme": "Theme",
        "theme_system": "System",
        "theme_light": "Light",
        "theme_dark": "Dark",
        "sign_in_again": "Your session has ended. Sign in again; nothing you did is lost.",
    },
    "es": {
        "app_title": "Careline",
        "nav_status": "Estado",
        "nav_help": "Ayuda",
        "refresh": "Actualizar",
        "last_updated": "Actualizado {when}",
        "never_updated": "Aún no actualizado",
        "offline": "No tienes conexión. Mostramos la información guardada; tus cambios se "
        "guardan y se envían cuando vuelvas a estar en línea.",
        "retry": "Reintentar",
        "syncing": "Actualizando…",
        "all_operational": "Todos los servicios funcionan con normalidad",
        "disruptions": "Incidencias",
        "services": "Servicios",
        "maintenance": "Mantenimiento programado",
        "recent": "Resueltas recientemente",
        "no_status": "Aún no hay información de estado. Conéctate a internet y pulsa Actualizar.",
        "see_details": "Ver detalles",
        "affected": "Servicios afectados",
        "timeline": "Novedades",
        "related_articles": "Artículos de ayuda",
        "what_you_can_do": "Qué puedes hacer",
        "incident_missing": "Esta incidencia no está en este dispositivo.",
        "back_to_status": "Volver al estado",
        "search_help": "Buscar en la ayuda",
        "search_hint": "Prueba «equipaje perdido» o «reembolso»",
        "no_results": "Ningún artículo coincide con «{query}». Prueba con otras palabras.",
        "categories": "Explorar por tema",
        "all_topics": "Todos los temas",
        "article_missing": "Este artículo no está disponible en este dispositivo.",
        "back_to_help": "Volver a la ayuda",
        "helpful_question": "¿Te resultó útil este artículo?",
        "yes": "Sí",
        "no": "No",
        "comment_label": "¿Qué faltó? (opcional)",
        "send": "Enviar",
        "thanks": "Gracias por tu opinión.",
        "thanks_queued": "Gracias por tu opinión. Se enviará cuando estés en línea y hayas "
        "iniciado sesión.",
        "related": "Artículos relacionados",
        "empty_help": "El centro de ayuda aparecerá aquí tras la primera actualización.",
        "state_operational": "Operativo",
        "state_degraded_performance": "Rendimiento reducido",
        "state_partial_outage": "Interrupción parcial",
        "state_major_outage": "Interrupción grave",
        "state_under_maintenance": "En mantenimiento",
        "impact_none": "Información",
        "impact_minor": "Incidencia leve",
        "impact_major": "Incidencia importante",
        "impact_critical": "Incidencia crítica",
        "status_investigating": "Investigando",
        "status_identified": "Identificada",
        "status_monitoring": "En seguimiento",
        "status_resolved": "Resuelta",
        "status_scheduled": "Programado",
        "status_in_progress": "En curso",
        "status_verifying": "Verificando",
        "status_completed": "Completado",
        "scheduled_for": "{start} – {end}",
        "loading": "Cargando…",
        "not_found": "Página no encontrada",
        "go_home": "Ir al estado",
        "nav_account": "Cuenta",
        "sign_in_title": "Inicia sesión para seguir tus casos y llamadas",
        "email_label": "Correo electrónico",
        "send_code": "Enviar código",
        "code_sent": "Enviamos un código de 6 dígitos a {email}.",
        "code_label": "Código de acceso",
        "sign_in": "Iniciar sesión",
        "other_email": "Usar otro correo",
        "signed_in_as": "Sesión iniciada como {email}",
        "sign_out": "Cerrar sesión",
        "sign_out_unsent": "{count} cambios aún no nos han llegado. Al cerrar sesión se "
        "borrarán de este dispositivo.",
        "sign_out_anyway": "Cerrar sesión de todos modos",
        "keep_signed_in": "Seguir con la sesión",
        "error_invalid_email": "Escribe un correo electrónico válido.",
        "error_wrong_code": "El código no es correcto o ha caducado. Revisa el último correo "
        "o pide uno nuevo.",
        "error_offline": "No tienes conexión. Inténtalo de nuevo cuando tengas conexión.",
        "error_rate_limited": "Demasiados intentos. Espera un minuto y vuelve a intentarlo.",
        "error_rejected": "La solicitud fue rechazada. Revisa lo que escribiste.",
        "error_server": "Algo falló de nuestro lado. Inténtalo de nuevo en un momento.",
        "sync_title": "Sincronización",
        "online": "En línea",
        "offline_short": "Sin conexión",
        "pending_changes": "Cambios por enviar: {count}",
        "failed_changes": "Cambios rechazados: {count}",
        "sync_now": "Sincronizar ahora",
        "preferences": "Preferencias",
        "language": "Idioma",
        "theme": "Tema",
        "theme_system": "Sistema",
        "theme_light": "Claro",
        "theme_dark": "Oscuro",
        "sign_in_again": "Tu sesión terminó. Vuelve a iniciar sesión; no se perdió nada de lo "
        "que hiciste.",
    },
}

MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),  # noqa: SIM905
    "es": "ene feb mar abr may jun jul ago sep oct nov dic".split(),  # noqa: SIM905
}


def tr(locale: str, key: str, **values: object) -> str:
    """The string `key` in `locale` (English when missing), with `values` filled in."""
    table = STRINGS.get(locale, STRINGS["en"])
    return table.get(key, STRINGS["en"][key]).format(**values)


def when(locale: str, moment: datetime | str | None) -> str:
    """A time in the device's time zone, the way the locale writes it."""
    if moment is None:
        return ""
    value = (
        datetime.fromisoformat(moment.replace("Z", "+00:00")) if isinstance(moment, str) else moment
    )
    local = value.astimezone()
    month = MONTHS.get(locale, MONTHS["en"])[local.month - 1]
    if locale == "es":
        return f"{local.day} {month}, {local:%H:%M}"
    hour = local.hour % 12 or 12
    return f"{month} {local.day}, {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
