"""Mail to the support address: a case for the sender, threaded replies, one identity
for a verified sender and none for an unverified one (SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx

from app.backend.db import Database
from app.backend.settings import HubSettings
from tests.backend.mail_support import all_cases, counts, deliver, mail, mail_settings, messages_of
from tests.support import sign_in


async def test_a_mailed_question_is_a_case_the_signed_in_customer_sees(
    client: httpx.AsyncClient, db: Database, settings: HubSettings
) -> None:
    settings = mail_settings(settings)
    assert deliver(db, settings, mail()) == "250 OK"
    [case] = all_cases(db)
    assert (case.channel, case.subject) == ("email", "Lost bag on NW123")
    assert case.description == "My bag did not arrive in Denver."
    # A reply threads by In-Reply-To, another by the case reference in its subject alone.
    reply = mail(
        body="It is a red suitcase.", message_id="q2@example.com", In_Reply_To="<q1@example.com>"
    )
    assert deliver(db, settings, reply) == "250 OK"
    by_ref = mail(subject=f"Re: bag [Case #{case.number}]", body="Tag NW-778.", message_id="q3@x")
    assert deliver(db, settings, by_ref) == "250 OK"
    assert counts(db) == (1, 2)
    headers = await sign_in(client, db, "Carol@Example.com")
    listed = (await client.get("/v1/cases", headers=headers)).json()["items"]
    assert [c["number"] for c in listed] == [case.number]
    thread = listed[0]["messages"]
    assert [(m["body"], m["channel"]) for m in thread] == [
        ("It is a red suitcase.", "email"),
        ("Tag NW-778.", "email"),
    ]


async def test_a_forged_from_opens_a_case_that_never_joins_the_account(
    client: httpx.AsyncClient, db: Database, settings: HubSettings, operator: dict[str, str]
) -> None:
    settings = mail_settings(settings)
    headers = await sign_in(client, db, "carol@example.com")
    verified_case = deliver(db, settings, mail())
    assert verified_case == "250 OK"
    [case] = all_cases(db)
    # No Authentication-Results, or one another server wrote: unverified.
    forged = mail(body="Send my refund to IBAN XX", message_id="f1@evil.test", signed=False)
    assert deliver(db, settings, forged) == "250 OK"
    other_server = mail(message_id="f2@evil.test", signed=False)
    other_server["Authentication-Results"] = "mx.evil.test; dkim=pass header.d=example.com"
    # ...even naming the verified case by its reference: it opens a case of its own.
    other_server.replace_header("Subject", f"Re: [Case #{case.number}]")
    assert deliver(db, settings, other_server) == "250 OK"
    assert counts(db) == (3, 0)
    listed = (await client.get("/v1/cases", headers=headers)).json()["items"]
    assert [c["number"] for c in listed] == [case.number]
    feed = (await client.get("/v1/sync/pull", headers=headers)).json()
    assert "IBAN" not in str(feed)
    # The agents have all three to answer.
    inbox = (await client.get("/v1/admin/inbox", headers=operator)).json()
    assert sorted(c["customer_email"] for c in inbox["items"]) == [
        "carol@example.com",
        "carol@example.com (unverified)",
        "carol@example.com (unverified)",
    ]


async def test_mail_threads_only_into_a_case_of_the_same_sender(
    db: Database, settings: HubSettings
) -> None:
    settings = mail_settings(settings)
    deliver(db, settings, mail())
    [case] = all_cases(db)
    stranger = mail(
        "dave@example.com",
        f"Re: [Case #{case.number}]",
        "Me too",
        message_id="d1@x",
        In_Reply_To="<q1@example.com>",
    )
    assert deliver(db, settings, stranger) == "250 OK"
    assert counts(db) == (2, 0)
    assert messages_of(db, case.id) == []
