"""The app's language reaches the hub: sign-in carries it (a new customer is made in it,
the code's email is written in it) and a change while signed in is a mutation applied
once; a tag Babel does not know is refused."""

from __future__ import annotations

import string

import httpx
import pytest

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.languages import CATALOGS
from app.backend.mailer import send_sign_in_code
from app.backend.main import create_app
from app.backend.settings import HubSettings
from tests.backend.support import pending_code
from tests.support import Inbox, assert_problem, mutation, push


async def signed_in(
    client: httpx.AsyncClient, db: Database, address: str, **locale: str
) -> httpx.Response:
    started = await client.post("/v1/auth/start", json={"email": address, **locale})
    assert started.status_code == 202, started.text
    attempt = started.json()["attempt"]
    body = {"email": address, "attempt": attempt, "code": pending_code(db, attempt), **locale}
    return await client.post("/v1/auth/verify", json=body)


async def test_a_new_customer_is_made_in_the_apps_language(
    client: httpx.AsyncClient, db: Database
) -> None:
    verified = await signed_in(client, db, "ana@example.com", locale="es-mx")
    assert verified.status_code == 200, verified.text
    assert verified.json()["customer"]["locale"] == "es-MX"
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {verified.json()['token']}"})
    assert me.json()["locale"] == "es-MX"
    # Without a locale the customer keeps theirs; a new one is English.
    again = await signed_in(client, db, "ana@example.com")
    assert again.json()["customer"]["locale"] == "es-MX"
    plain = await signed_in(client, db, "bob@example.com")
    assert plain.json()["customer"]["locale"] == "en"


@pytest.mark.parametrize("locale", ["xx", "qq-QQ", "en_US", "klingon-language-x", "<es>", ""])
@pytest.mark.parametrize("path", ["/v1/auth/start", "/v1/auth/verify"])
async def test_a_language_babel_does_not_know_is_422(
    client: httpx.AsyncClient, path: str, locale: str
) -> None:
    body = {"email": "ana@example.com", "attempt": "a" * 32, "code": "12345678", "locale": locale}
    response = await client.post(path, json=body)
    problem = assert_problem(response, 422)
    assert any(error["loc"][-1] == "locale" for error in problem["errors"]), problem


async def test_a_change_of_language_is_applied_once(
    client: httpx.AsyncClient, db: Database
) -> None:
    verified = await signed_in(client, db, "ana@example.com")
    headers = {"Authorization": f"Bearer {verified.json()['token']}"}
    change = mutation("account.locale", locale="fr")
    (applied,) = await push(client, headers, change)
    assert applied["status"] == "applied", applied
    assert applied["entity"]["data"]["locale"] == "fr"
    # Back to Spanish on another device; then the first change is replayed (a retry).
    await push(client, headers, mutation("account.locale", seq=2, locale="es"))
    (replayed,) = await push(client, headers, change)
    assert replayed["status"] == "duplicate"
    assert (await client.get("/v1/me", headers=headers)).json()["locale"] == "es"


async def test_a_change_to_an_unknown_language_is_refused(
    client: httpx.AsyncClient, db: Database
) -> None:
    verified = await signed_in(client, db, "ana@example.com")
    headers = {"Authorization": f"Bearer {verified.json()['token']}"}
    (refused,) = await push(client, headers, mutation("account.locale", locale="xx"))
    assert refused["status"] == "rejected"
    assert refused["error"]["code"] == "invalid"
    assert (await client.get("/v1/me", headers=headers)).json()["locale"] == "en"


def mail_settings(settings: HubSettings, port: int) -> HubSettings:
    return settings.with_overrides(
        smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", code_ttl_seconds=900
    )


@pytest.mark.parametrize(
    ("locale", "subject", "words"),
    [
        ("es", "Tu código para entrar en Northwind Air: 12345678", "caduca en 15 minutos"),
        ("es-AR", "Tu código para entrar en Northwind Air: 12345678", "caduca en 15 minutos"),
        ("fr", "Votre code de connexion Northwind Air\u00a0: 12345678", "expire dans 15 minutes"),
        ("pt", "Your Northwind Air sign-in code: 12345678", "expires in 15 minutes"),
        (None, "Your Northwind Air sign-in code: 12345678", "expires in 15 minutes"),
    ],
)
def test_the_code_email_is_in_the_customers_language(
    settings: HubSettings,
    inbox: tuple[Inbox, int],
    locale: str | None,
    subject: str,
    words: str,
) -> None:
    found, port = inbox
    mail = mail_settings(settings, port)
    send_sign_in_code(mail, email="ana@example.com", code="12345678", locale=locale)
    (message,) = found.messages
    assert message["Subject"] == subject
    body = message.get_content()
    assert "12345678" in body and words in body


async def test_start_mails_in_the_given_language_else_the_customers(
    settings: HubSettings, inbox: tuple[Inbox, int]
) -> None:
    found, port = inbox
    api = create_app(mail_settings(settings, port))
    transport = httpx.ASGITransport(app=api)
    try:
        with api.state.hub.db.write() as conn:
            auth.ensure_customer(conn, email="ana@example.com", locale="es")
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            for asked in ({}, {"locale": "fr"}, {}):
                body = {"email": "ana@example.com", **asked}
                started = await client.post("/v1/auth/start", json=body)
                assert started.status_code == 202, started.text
    finally:
        api.state.hub.db.dispose()
    subjects = [str(m["Subject"]).split(" Northwind")[0] for m in found.messages]
    # The app's language for this email only: the customer's own stays Spanish.
    assert subjects == [
        "Tu código para entrar en",
        "Votre code de connexion",
        "Tu código para entrar en",
    ]


def test_the_hubs_catalogs_have_every_message_with_the_english_placeholders() -> None:
    def holes(language: str) -> dict[str, set[str]]:
        messages = CATALOGS.messages(language)
        return {
            key: {name for _, name, _, _ in string.Formatter().parse(text) if name}
            for key, text in messages.items()
        }

    english = holes("en")
    assert set(english) == {"sign_in_subject", "sign_in_body"}
    assert CATALOGS.languages() == ["en", "es", "fr"]
    for language in CATALOGS.languages():
        assert holes(language) == english, language
