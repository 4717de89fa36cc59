"""English: the pages served beside the app (offline, alerts on this device) and what the
Account screen says about this device."""

STRINGS: dict[str, str] = {
    "offline_page_title": "You're offline",
    "offline_page_note": "This is what we last knew. Cases, callbacks and changes need a "
    "connection; this page comes back by itself when the app can be reached.",
    "offline_page_updated": "Last updated",
    "offline_page_disruptions": "Disruptions and maintenance",
    "offline_page_no_disruptions": "No disruptions when we last checked.",
    "offline_page_services": "Services with problems",
    "offline_page_articles": "Help articles you read",
    "offline_page_no_articles": "Help articles you open are kept here for when you're offline.",
    "offline_page_retry": "Try again",
    "device_title": "This device",
    "device_installed": "Careline is installed on this device: it opens from your home screen "
    "or app list, and shows what it last knew when the network is down.",
    "device_installable": "You can install Careline from your browser's menu (Install app, or "
    "Add to Home Screen): it then opens like an app, also when the network is down.",
    "device_ios_home_screen": "On iPhone and iPad, add Careline to your Home Screen first "
    "(Share, then Add to Home Screen): alerts reach only apps opened from there.",
    "device_desktop": "Alerts come as notifications on this computer while Careline is open.",
}
