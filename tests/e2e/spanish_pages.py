"""Helpers for the Spanish screenshots (test_spanish_screens.py): a screen from its top to
its end, one screenshot per screenful, and signing in with the Spanish labels."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.settling import settle
from tests.e2e.support import screenshot, type_into

# Screenfuls per screen at most: enough for the longest (Account, signed in, at 360 px).
MOST_PAGES = 8


def top_of(page: Page) -> None:
    """Back to the top of a screen that was scrolled (the wheel, as a person does)."""
    size = page.viewport_size or {"width": 390, "height": 844}
    page.mouse.move(size["width"] / 2, size["height"] / 2)
    page.mouse.wheel(0, -20_000)
    settle(page)


def screen_shots(page: Page, name: str) -> list[Path]:
    """The screen from its top to its end: a screenshot per screenful (Flutter draws on a
    canvas and scrolls on wheel events: a full-page screenshot would show one screenful),
    named `<name>-1`, `<name>-2`, ... A scroll that changes nothing ends it; the screen is
    left at its top."""
    size = page.viewport_size or {"width": 390, "height": 844}
    top_of(page)
    shots = [screenshot(page, f"{name}-1")]
    for number in range(2, MOST_PAGES + 1):
        # Less than a screenful (the bars above and below take some): lines overlap.
        page.mouse.wheel(0, size["height"] * 0.6)
        settle(page)
        shot = screenshot(page, f"{name}-{number}")
        if shot.read_bytes() == shots[-1].read_bytes():
            shot.unlink()
            break
        shots.append(shot)
    top_of(page)
    return shots


def code_step_shots(page: Page, email: str, name: str) -> None:
    """Account, signed out, in Spanish: ask for a code and photograph the code step."""
    type_into(page, "Correo electrónico", email)
    page.get_by_role("button", name="Enviar código").click()
    sent = page.get_by_text(re.compile(f"^Enviamos un código de acceso a {re.escape(email)}"))
    expect(sent).to_be_visible(timeout=30_000)
    screen_shots(page, name)


def sign_in_with_code(page: Page, email: str, code: str) -> None:
    """The code step, in Spanish: type the code, sign in."""
    type_into(page, "Código de acceso", code)
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_text(f"Sesión iniciada como {email}")).to_be_visible(timeout=30_000)
