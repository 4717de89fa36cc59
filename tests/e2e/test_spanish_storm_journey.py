"""A Spanish-speaking customer during the storm, end to end: real Chromium, a real hub
process sending real email (to an SMTP server on loopback) and real pushes (to the
stand-in push service, tests/push_service.py). The browser turns alerts on signed out,
then the customer chooses Spanish; the storm shows in Spanish, its action opens the waiver
article in Spanish, a "No" opens a case about it, prefilled, signing in on the way with
the code the Spanish email brought; an update of the storm is pushed in Spanish."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from app.backend.db.tables import alert_devices, devices
from tests.backend.webpush_support import Browser as Subscriber
from tests.e2e.alerts_support import browser_for, deliver, hub_rows, opened, turn_alerts_on, until
from tests.e2e.alerts_support import visit as visit_in
from tests.e2e.settling import settle, settled_click
from tests.e2e.support import (
    AppProcess,
    choose_language,
    start_app,
    stop_app,
    type_into,
    with_semantics,
)
from tests.hub_process import RealHub
from tests.push_service import PushService
from tests.support import Inbox

pytestmark = pytest.mark.slow
EMAIL = "carmen@example.com"
STORM_ES = "Tormenta invernal en Chicago O'Hare: cancelaciones y grandes retrasos"
WAIVER = "winter-weather-travel-waiver"
WAIVER_ES = "Exención de viaje por clima invernal"
UPDATE_ES = "Las pistas volvieron a abrir y salen los primeros vuelos."


@pytest.fixture
def storm_app(
    tmp_path: Path, service: PushService, inbox: tuple[Inbox, int]
) -> Iterator[AppProcess]:
    """The demo hub, mailing through the loopback SMTP server and pushing to the stand-in
    service, and the app served in front of it."""
    hub = RealHub(tmp_path / "hub")
    hub.env.update(service.env())
    hub.env.update(
        CARELINE_SMTP_HOST="127.0.0.1",
        CARELINE_SMTP_PORT=str(inbox[1]),
        CARELINE_SMTP_SECURITY="none",
        CARELINE_MAIL_FROM="ayuda@northwind.example",
    )
    hub.start()
    app = start_app(hub, tmp_path / "app", tmp_path / "app.log")
    yield app
    stop_app(app.process)
    hub.stop()


def storm_id(app: AppProcess) -> str:
    [storm] = [
        i
        for i in httpx.get(f"{app.hub.url}/v1/status").json()["active_incidents"]
        if i["impact"] == "critical"
    ]
    return str(storm["id"])


def sign_in_with_emailed_code(page: Page, inbox: Inbox) -> EmailMessage:
    """Asked to sign in on the way, in Spanish: the code comes by email; the email."""
    settled_click(page, page.get_by_role("button", name="Iniciar sesión").first)
    type_into(page, "Correo electrónico", EMAIL)
    page.get_by_role("button", name="Enviar código").click()
    sent = page.get_by_text(re.compile(f"^Enviamos un código de acceso a {re.escape(EMAIL)}"))
    expect(sent).to_be_visible(timeout=30_000)
    message: EmailMessage = until(lambda: inbox.messages)[-1]
    code = re.search(r"\b(\d{8})\b", str(message["Subject"]))
    assert code is not None, message["Subject"]
    type_into(page, "Código de acceso", code[1])
    page.get_by_role("button", name="Iniciar sesión").click()
    return message


def test_a_spanish_customer_follows_the_storm_to_a_case_and_hears_of_it_in_spanish(
    chromium: Browser,
    storm_app: AppProcess,
    service: PushService,
    inbox: tuple[Inbox, int],
) -> None:
    app = storm_app
    subscriber = Subscriber(service.endpoint("storm"))
    context = browser_for(chromium, app, subscriber)
    page = visit_in(context, f"{app.url}/account")
    expect(page.get_by_text("Sign in to follow your cases and callbacks")).to_be_visible(
        timeout=30_000
    )
    turn_alerts_on(page)  # signed out, before choosing a language
    choose_language(page, "Español")
    expect(page.get_by_label("Correo electrónico")).to_be_attached(timeout=30_000)
    # The device's alerts follow the language chosen.
    until(lambda: [r for r in hub_rows(app, alert_devices) if r.locale == "es"], 30, page)

    # The storm, in Spanish, and the article its action leads to.
    page.goto(f"{app.url}/status")
    with_semantics(page)
    expect(page.get_by_text(STORM_ES).first).to_be_visible(timeout=30_000)
    storm = storm_id(app)
    settled_click(page, page.get_by_role("button", name=re.compile("^Ver detalles")).first)
    expect(page).to_have_url(f"{app.url}/status/{storm}", timeout=30_000)
    expect(page.get_by_text("Servicios afectados")).to_be_visible(timeout=30_000)
    settled_click(page, page.get_by_role("button", name="Leer la exención por clima invernal"))
    expect(page).to_have_url(f"{app.url}/help/{WAIVER}", timeout=30_000)
    expect(page.get_by_text(WAIVER_ES).first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("¿Te resultó útil este artículo?")).to_be_visible(timeout=30_000)

    # "No", then a case about the article, signing in on the way.
    settled_click(page, page.get_by_role("button", name="No", exact=True))
    settled_click(page, page.get_by_role("button", name="Abrir un caso sobre este artículo"))
    address = re.compile(rf"/cases/new\?article={WAIVER}$")
    expect(page).to_have_url(address, timeout=30_000)
    mail = sign_in_with_emailed_code(page, inbox[0])
    assert str(mail["Subject"]).startswith("Tu código para entrar en Northwind Air: ")
    body = mail.get_body(("plain",))
    assert body is not None and "Tu código para entrar es" in body.get_content()
    expect(page).to_have_url(address, timeout=30_000)
    subject = page.get_by_label("Asunto")
    subject.click()  # a field shows its text to the page once focused
    expect(subject).to_have_value(f"Sobre: {WAIVER_ES}", timeout=15_000)
    settle(page)
    settled_click(page, page.get_by_role("button", name="Enviar el caso"))
    expect(page).to_have_url(re.compile(r"/cases/[\w-]+$"), timeout=30_000)
    expect(page.get_by_text("Pendiente de envío")).to_have_count(0, timeout=30_000)

    # Signed in, the device is the customer's (in Spanish); the storm's next update is
    # pushed in Spanish, and the notification the service worker shows says it so.
    until(lambda: [d for d in hub_rows(app, devices) if d.endpoint == subscriber.endpoint], 30)
    page.goto("about:blank")
    app.hub.cli(
        "incident", "update", storm, "--status", "monitoring",
        "--body", "Runways reopened and the first flights are leaving.",
        "--text", "es", "body", UPDATE_ES,
    )  # fmt: skip
    delivered = until(
        lambda: [
            d
            for d in service.wait_for(1, seconds=30)
            if json.loads(opened(subscriber, d)).get("route") == f"/status/{storm}"
        ],
        30,
    )
    payload = json.loads(opened(subscriber, delivered[-1]))
    assert (payload["title"], payload["body"]) == (STORM_ES, UPDATE_ES)
    shown = deliver(context, app, json.dumps(payload), f"incident-{storm}")
    assert (shown["title"], shown["body"]) == (STORM_ES, UPDATE_ES)
    context.close()
