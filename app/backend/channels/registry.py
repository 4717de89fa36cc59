"""The connector the settings name (CARELINE_HELPDESK), built from its own settings."""

from __future__ import annotations

from app.backend.channels import django_helpdesk
from app.backend.channels.connector import Connector
from app.backend.channels.zendesk import ZendeskConnector
from app.backend.settings import HubSettings, SettingsError


def build_connector(settings: HubSettings) -> Connector | None:
    """The configured helpdesk's connector; None when the hub feeds no helpdesk. A
    connector missing one of its settings is a SettingsError naming it."""
    if settings.helpdesk is None:
        return None
    if settings.helpdesk == "zendesk":
        needed = {
            "CARELINE_ZENDESK_URL": settings.zendesk_url,
            "CARELINE_ZENDESK_EMAIL": settings.zendesk_email,
            "CARELINE_ZENDESK_API_TOKEN": settings.zendesk_api_token,
            "CARELINE_ZENDESK_WEBHOOK_SECRET": settings.zendesk_webhook_secret,
        }
        missing = [name for name, value in needed.items() if not value]
        if missing:
            raise SettingsError(f"CARELINE_HELPDESK=zendesk needs {', '.join(missing)}")
        return ZendeskConnector(
            str(settings.zendesk_url),
            email=str(settings.zendesk_email),
            api_token=str(settings.zendesk_api_token),
            webhook_secret=str(settings.zendesk_webhook_secret),
        )
    if settings.helpdesk == django_helpdesk.DjangoHelpdeskConnector.name:
        connector = django_helpdesk.from_settings(settings)
        if connector is None:
            raise SettingsError(
                "CARELINE_HELPDESK=django-helpdesk needs CARELINE_DJANGO_HELPDESK_URL"
            )
        return connector
    raise SettingsError(f"CARELINE_HELPDESK={settings.helpdesk}: this hub has no such connector")
