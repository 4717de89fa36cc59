"""Account state: sign-in with an emailed code, wrong codes, sign-out that asks first."""

from __future__ import annotations

from app.backend.crud import auth
from app.state.account import AccountState
from app.state.services import Services
from tests.sync.conftest import Rig


def latest_code(rig: Rig, email: str) -> str:
    with rig.db.read() as conn:
        return next(c["code"] for c in auth.pending_codes(conn) if c["email"] == email)


async def test_sign_in_with_a_code_then_sign_out(rig: Rig, services: Services) -> None:
    account = AccountState(services)
    await account.load()
    assert account.customer is None
    await account.send_code("not an email")
    assert (account.step, account.error) == ("email", "invalid_email")
    await account.send_code(" Dana@Example.com ")
    assert (account.step, account.error, account.email) == ("code", None, "Dana@Example.com")
    await account.verify("000000" if latest_code(rig, "dana@example.com") != "000000" else "1")
    assert account.error == "wrong_code" and account.customer is None
    await account.verify(latest_code(rig, "dana@example.com"))
    assert account.customer is not None and account.customer.email == "dana@example.com"
    assert services.personal.account.token() is not None

    services.personal.cases.open(subject="s", description="d", category="c")
    await account.sign_out()
    assert account.confirm_sign_out and account.unsent == 1
    assert account.customer is not None, "nothing happens before the customer confirms"
    await account.sign_out(confirmed=True)
    assert account.customer is None and not account.confirm_sign_out
    assert services.personal.account.token() is None
    assert services.personal.cases.list() == []


async def test_offline_sign_in_says_so(rig: Rig, services: Services) -> None:
    account = AccountState(services)
    rig.transport.down = True
    await account.send_code("dana@example.com")
    assert (account.step, account.error, account.busy) == ("email", "offline", False)
