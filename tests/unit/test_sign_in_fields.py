"""The sign-in fields ask for the right keyboard and autofill: the email keyboard and
address for the email, the numeric keypad and the texted or emailed one-time code for
the code. (In a desktop browser Flutter shows only part of this in the page: see
tests/e2e/test_sign_in_sizes.py.)"""

from __future__ import annotations

import flet as ft

from app.schemas.customers import SIGN_IN_CODE_DIGITS
from app.state.window import UiState
from app.views.sign_in_panel import code_field, email_field


def test_the_code_field_takes_digits_and_one_time_code_autofill() -> None:
    field = code_field(UiState(390, "es"), lambda _: None)
    assert field.keyboard_type == ft.KeyboardType.NUMBER
    assert field.autofill_hints == ft.AutofillHint.ONE_TIME_CODE
    assert field.max_length == SIGN_IN_CODE_DIGITS
    assert field.label == "Código de acceso"


def test_the_email_field_takes_an_address_and_email_autofill() -> None:
    field = email_field(UiState(390), lambda _: None)
    assert field.keyboard_type == ft.KeyboardType.EMAIL
    assert field.autofill_hints == ft.AutofillHint.EMAIL
    assert field.key != code_field(UiState(390), lambda _: None).key
