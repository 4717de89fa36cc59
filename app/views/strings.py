"""Every visible string, in English and Spanish, and times formatted for the locale."""

from __future__ import annotations

from datetime import datetime, tzinfo

from app.views.locales import en, en_pages, en_sessions, es, es_pages, es_sessions

STRINGS: dict[str, dict[str, str]] = {
    "en": {**en.STRINGS, **en_pages.STRINGS, **en_sessions.STRINGS},
    "es": {**es.STRINGS, **es_pages.STRINGS, **es_sessions.STRINGS},
}

MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),  # noqa: SIM905
    "es": "ene feb mar abr may jun jul ago sep oct nov dic".split(),  # noqa: SIM905
}


WEEKDAYS = {
    "en": "Mon Tue Wed Thu Fri Sat Sun".split(),  # noqa: SIM905
    "es": "lun mar mié jue vie sáb dom".split(),  # noqa: SIM905
}


WEEKDAY_NAMES = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),  # noqa: SIM905
    "es": "lunes martes miércoles jueves viernes sábado domingo".split(),  # noqa: SIM905
}
MONTH_NAMES = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}


def long_date(locale: str, moment: datetime) -> str:
    """'Friday, December 11' / 'viernes, 11 de diciembre'."""
    weekday = WEEKDAY_NAMES.get(locale, WEEKDAY_NAMES["en"])[moment.weekday()]
    month = MONTH_NAMES.get(locale, MONTH_NAMES["en"])[moment.month - 1]
    if locale == "es":
        return f"{weekday}, {moment.day} de {month}"
    return f"{weekday}, {month} {moment.day}"


def tr(locale: str, key: str, **values: object) -> str:
    """The string `key` in `locale` (English when missing), with `values` filled in."""
    table = STRINGS.get(locale, STRINGS["en"])
    return table.get(key, STRINGS["en"][key]).format(**values)


def when(locale: str, moment: datetime | str | None, zone: tzinfo | None = None) -> str:
    """A time in `zone` (the device's time zone by default), the way the locale writes it."""
    if moment is None:
        return ""
    value = (
        datetime.fromisoformat(moment.replace("Z", "+00:00")) if isinstance(moment, str) else moment
    )
    local = value.astimezone(zone)
    month = MONTHS.get(locale, MONTHS["en"])[local.month - 1]
    if locale == "es":
        return f"{local.day} {month}, {clock(locale, local)}"
    return f"{month} {local.day}, {clock(locale, local)}"


def clock(locale: str, moment: datetime) -> str:
    """A time of day as the locale writes it: '9:30 AM' / '09:30'."""
    if locale == "es":
        return f"{moment:%H:%M}"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"
