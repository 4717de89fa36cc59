"""Every screen in Spanish at phone width (390 x 844, and a narrow 360 x 740), saved from
top to end as screenshots for a person to look at (test-artifacts/screenshots/es-*.png):
longer Spanish words must not be cut off. Reached as a customer reaches them: the Status
screen with the demo's storm, an incident, Help (a search, a topic, an article, a "No"),
Callbacks and Cases signed out and in (the booking form with its times, a booked call, a
new case refused for an empty field, a thread), Account signed out (the code step) and
in, and the offline banner. Each step fails when its screen cannot be reached."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.settling import settle, settled_click
from tests.e2e.spanish_pages import code_step_shots, screen_shots, sign_in_with_code
from tests.e2e.support import (
    AppProcess,
    choose_language,
    device_key,
    open_page,
    sign_in_code,
    type_into,
    with_semantics,
)
from tests.support import bearer, mutation, push_body

pytestmark = pytest.mark.slow
EMAIL = "lucia@example.com"
PHONE: ViewportSize = {"width": 390, "height": 844}
NARROW: ViewportSize = {"width": 360, "height": 740}
SLOT = re.compile(r"^\d{1,2}:\d\d$")  # a time chip, as Spanish writes times
ARTICLE = "/help/hotel-and-meal-vouchers"


def visit(page: Page, url: str, marker: str | re.Pattern[str]) -> None:
    page.goto(url)
    with_semantics(page)
    shown = page.get_by_text(marker).or_(page.get_by_label(marker)).first
    expect(shown).to_be_visible(timeout=30_000)


def case_with_reply(app: AppProcess) -> dict[str, Any]:
    """A case the customer opened on another device, with an agent's reply."""
    token = app.hub.sign_in(EMAIL)["token"]
    opened = mutation(
        "case.open",
        subject="Reembolso del vuelo cancelado NW881",
        description="Mi vuelo del viernes se canceló por la tormenta. ¿Cómo pido el reembolso?",
        category="refunds",
    )
    response = httpx.post(
        f"{app.hub.url}/v1/sync/push",
        json=push_body(opened, client_id="spanish-screens"),
        headers=bearer(token),
    )
    [result] = response.json()["results"]
    assert result["status"] == "applied", result
    case: dict[str, Any] = result["entity"]["data"]
    app.hub.cli("case", "reply", case["id"], "--body", "Tu reembolso está en camino: 5-7 días.")
    return case


def status_and_help(page: Page, app: AppProcess, size: str) -> None:
    """Status with the storm, an incident, Help: home, a search, a topic, an article and the
    same article after a "No"."""
    visit(page, f"{app.url}/status", "Ver detalles")
    screen_shots(page, f"es-{size}-status")
    storm = httpx.get(f"{app.hub.url}/v1/status").json()["active_incidents"][0]["id"]
    visit(page, f"{app.url}/status/{storm}", "Servicios afectados")
    screen_shots(page, f"es-{size}-incident")
    visit(page, f"{app.url}/help", re.compile("^Ayuda sobre:"))
    screen_shots(page, f"es-{size}-help")
    topic = page.get_by_role("checkbox").first
    settled_click(page, topic)
    expect(topic).to_be_checked(timeout=15_000)
    settle(page)
    screen_shots(page, f"es-{size}-help-topic")
    type_into(page, "Buscar en la ayuda", "maleta perdida", delay=40)
    expect(
        page.get_by_role("button", name=re.compile("^Equipaje demorado o perdido"))
    ).to_be_visible(timeout=20_000)
    screen_shots(page, f"es-{size}-help-search")
    visit(page, f"{app.url}{ARTICLE}", "Artículos relacionados")
    screen_shots(page, f"es-{size}-article")
    no = page.get_by_role("button", name="No", exact=True)
    if no.count():  # else this device voted already (at the other width): shown above
        settled_click(page, no)
        case_button = page.get_by_role("button", name="Abrir un caso sobre este artículo")
        expect(case_button).to_be_visible(timeout=20_000)
        screen_shots(page, f"es-{size}-article-after-no")


def book_a_callback(page: Page, app: AppProcess, size: str) -> None:
    """The booking form, its times open, then a slot booked: the callback's screen."""
    visit(page, f"{app.url}/callbacks", re.compile("^Aún no tienes llamadas"))
    screen_shots(page, f"es-{size}-callbacks-empty")
    visit(page, f"{app.url}/callbacks/new?queue=rebooking", "¿Cuándo te llamamos?")
    settled_click(page, page.get_by_role("radio", name="Elegir una hora"))
    expect(page.get_by_text(re.compile("^Las horas están en tu zona horaria"))).to_be_visible(
        timeout=20_000
    )
    slot = page.get_by_role("checkbox", name=SLOT).first
    expect(slot).to_be_attached(timeout=20_000)
    slot_text = slot.get_attribute("aria-label") or ""
    chosen = page.get_by_role("checkbox", name=slot_text, exact=True).first
    settled_click(page, chosen)
    expect(chosen).to_be_checked()
    settle(page)
    screen_shots(page, f"es-{size}-book-callback")
    settled_click(page, page.get_by_label("Número de teléfono"))
    type_into(page, "Número de teléfono", "+1 312 555 0100")
    settled_click(page, page.get_by_role("button", name="Pedir la llamada"))
    expect(page).to_have_url(re.compile(r"/callbacks/[\w-]+$"), timeout=30_000)
    expect(page.get_by_text("Programada")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Pendiente de envío")).to_have_count(0, timeout=30_000)
    screen_shots(page, f"es-{size}-callback")
    visit(page, f"{app.url}/callbacks", "Próximas")
    screen_shots(page, f"es-{size}-callbacks")


def cases(page: Page, app: AppProcess, size: str, case: dict[str, Any]) -> None:
    """The list, a new case refused for its empty fields, the thread with the reply."""
    visit(page, f"{app.url}/cases", "Nuevo caso")
    expect(page.get_by_text(re.compile("^Reembolso del vuelo cancelado")).first).to_be_visible(
        timeout=30_000
    )
    screen_shots(page, f"es-{size}-cases")
    visit(page, f"{app.url}/cases/new", "Cuéntanos qué pasó")
    settled_click(page, page.get_by_role("button", name="Enviar el caso"))
    expect(page.get_by_text("Este campo no puede estar vacío.").first).to_be_visible(timeout=20_000)
    screen_shots(page, f"es-{size}-new-case-error")
    visit(page, f"{app.url}/cases/{case['number']}", "Tu reembolso está en camino: 5-7 días.")
    screen_shots(page, f"es-{size}-case")


def signed_out(page: Page, app: AppProcess, size: str) -> None:
    """Account signed out (sign-in panel, then the code step), Callbacks and Cases asking
    to sign in."""
    visit(page, f"{app.url}/callbacks", re.compile("^Inicia sesión para pedir una llamada"))
    screen_shots(page, f"es-{size}-callbacks-signed-out")
    visit(page, f"{app.url}/cases", re.compile("^Inicia sesión para abrir un caso"))
    screen_shots(page, f"es-{size}-cases-signed-out")
    visit(page, f"{app.url}/account", "Correo electrónico")
    screen_shots(page, f"es-{size}-account-signed-out")
    code_step_shots(page, EMAIL, f"es-{size}-account-code")


def offline(page: Page, app: AppProcess, size: str) -> None:
    """With the hub gone: the offline banner over Status and over Callbacks. A device that
    already knows it is offline shows the banner at once, which can push the storm's card
    below a narrow phone's fold: either shows the screen is there."""
    visit(page, f"{app.url}/status", re.compile("^(Ver detalles|No tienes conexión)"))
    page.get_by_label("Actualizar").first.click()
    banner = page.get_by_text(re.compile("^No tienes conexión")).first
    expect(banner).to_be_visible(timeout=30_000)
    screen_shots(page, f"es-{size}-offline-status")
    page.get_by_role("button", name="Llamadas", exact=True).click()
    expect(banner).to_be_visible(timeout=30_000)
    screen_shots(page, f"es-{size}-offline-callbacks")


def in_spanish(chromium: Browser, app: AppProcess, viewport: ViewportSize) -> Page:
    """A new device, signed out, on Account: Spanish chosen there."""
    page = open_page(chromium, f"{app.url}/account", viewport=viewport)
    expect(page.get_by_label("Email address")).to_be_visible(timeout=30_000)
    choose_language(page, "Español")
    expect(page.get_by_label("Correo electrónico")).to_be_attached(timeout=30_000)
    return page


def test_every_screen_in_spanish_at_phone_width(chromium: Browser, app: AppProcess) -> None:
    page = in_spanish(chromium, app, PHONE)
    status_and_help(page, app, "390")
    signed_out(page, app, "390")
    sign_in_with_code(page, EMAIL, sign_in_code(app, EMAIL))
    screen_shots(page, "es-390-account")
    case = case_with_reply(app)
    book_a_callback(page, app, "390")
    cases(page, app, "390", case)
    signed_in = device_key(page)
    page.context.close()

    # The narrow phone: the same screens, the same customer, on the same device.
    page = open_page(chromium, f"{app.url}/status", viewport=NARROW, device=signed_in)
    status_and_help(page, app, "360")
    visit(page, f"{app.url}/callbacks/new?queue=rebooking", "¿Cuándo te llamamos?")
    settled_click(page, page.get_by_role("radio", name="Elegir una hora"))
    expect(page.get_by_role("checkbox", name=SLOT).first).to_be_attached(timeout=20_000)
    screen_shots(page, "es-360-book-callback")
    visit(page, f"{app.url}/callbacks", "Próximas")
    screen_shots(page, "es-360-callbacks")
    page.get_by_role("button", name=re.compile("Programada")).click()
    expect(page.get_by_text("Cambiar la hora")).to_be_visible(timeout=30_000)
    screen_shots(page, "es-360-callback")
    cases(page, app, "360", case)
    visit(page, f"{app.url}/account", f"Sesión iniciada como {EMAIL}")
    screen_shots(page, "es-360-account")
    page.context.close()

    page = in_spanish(chromium, app, NARROW)
    signed_out(page, app, "360")
    page.context.close()

    app.hub.stop()
    for size, viewport in (("390", PHONE), ("360", NARROW)):
        page = open_page(chromium, f"{app.url}/status", viewport=viewport, device=signed_in)
        offline(page, app, size)
        page.context.close()
