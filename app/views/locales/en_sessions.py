"""English: the Account screen's list of sign-ins."""

STRINGS: dict[str, str] = {
    "sessions_title": "Where you're signed in",
    "sessions_intro": "Sign out of a device you no longer use or don't recognise. A sign-in "
    "unused for two months ends by itself.",
    "session_this_device": "This device",
    "session_detail": "Signed in {created} · last used {used}",
    "session_unknown_device": "Unknown device",
    "session_app_on": "Careline app on {system}",
    "session_browser_on": "{browser} on {system}",
    "session_sign_out": "End this sign-in",
    "sessions_end_others": "Sign out everywhere else",
    "sessions_only_here": "You're signed in on this device only.",
    "sessions_ended_one": "Signed out of {count} other device",
    "sessions_ended_other": "Signed out of {count} other devices",
    "sessions_refresh": "Refresh",
}
