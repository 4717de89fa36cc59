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
    "device_phone": "Alerts show here while Careline is open. For alerts when it is closed, "
    "open Careline in your phone's browser and add it to your home screen.",
    "device_alerts_on": "Alerts reach this device, even when Careline is closed.",
    "device_alerts_off": "Alerts reach this device only while Careline is open.",
    "device_alerts_button": "Alerts on this device",
    "alerts_page_title": "Alerts on this device",
    "alerts_page_intro": "Get disruptions you follow, replies to your cases and changes to your "
    "callbacks as notifications, even when Careline is closed. Signed out, you get only "
    "disruptions.",
    "alerts_page_on": "Alerts are on for this device.",
    "alerts_page_off": "Alerts are off for this device.",
    "alerts_page_turn_on": "Turn on alerts",
    "alerts_page_turn_off": "Turn off alerts",
    "alerts_page_blocked": "Notifications are blocked for this site. Allow them in your "
    "browser's site settings, then try again.",
    "alerts_page_unsupported": "This browser cannot receive alerts.",
    "alerts_page_failed": "Alerts could not be turned on: {reason} Try again.",
    "alerts_page_working": "One moment…",
    "alerts_page_back": "Back to Careline",
}
