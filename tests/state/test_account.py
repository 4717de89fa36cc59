"""Account state: sign-in with an emailed code, wrong codes, sign-out that asks first."""

from __future__ import annotations

from sqlalchemy import insert

from app.backend.db.tables import sign_in_failures
from app.backend.util import format_time, now
from app.state.account import AccountState
from app.state.runtime import DeviceRuntime
from tests.state.support import attempt_code
from tests.sync.support import Rig


async def test_sign_in_with_a_code_then_sign_out(rig: Rig, runtime: DeviceRuntime) -> None:
    account = AccountState(runtime)
    await account.load()
    assert account.customer is None
    await account.send_code("not an email")
    assert (account.step, account.error) == ("email", "invalid_email")
    await account.send_code(" Dana@Example.com ")
    assert (account.step, account.error, account.email) == ("code", None, "Dana@Example.com")
    # The code belongs to the attempt the hub answered, which the state keeps.
    code = attempt_code(rig, account.attempt)
    await account.verify("00000000" if code != "00000000" else "00000001")
    assert account.error == "wrong_code" and account.customer is None
    await account.verify(code)
    assert account.customer is not None and account.customer.email == "dana@example.com"
    assert runtime.personal.account.token() is not None

    runtime.personal.cases.open(subject="s", description="d", category="c")
    await account.sign_out()
    assert account.confirm_sign_out and account.unsent == 1
    assert account.customer is not None, "nothing happens before the customer confirms"
    await account.sign_out(confirmed=True)
    assert account.customer is None and not account.confirm_sign_out
    assert runtime.personal.account.token() is None
    assert runtime.personal.cases.list() == []


async def test_an_attempt_out_of_wrong_codes_asks_for_a_new_code(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    account = AccountState(runtime)
    await account.send_code("dana@example.com")
    code = attempt_code(rig, account.attempt)
    wrong = "00000000" if code != "00000000" else "00000001"
    for _ in range(5):
        await account.verify(wrong)
        assert (account.step, account.error) == ("code", "wrong_code")
    await account.verify(code)  # too late for this attempt
    assert (account.step, account.error, account.attempt) == ("email", "rate_limited", "")
    await account.send_code("dana@example.com")
    await account.verify(attempt_code(rig, account.attempt))
    assert account.customer is not None


async def test_a_daily_cap_keeps_the_code_step_and_says_so(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    """A daily cap is not a dead attempt: a new code would be refused too, so the screen
    must not send the customer back for one (a loop until the cap lifts)."""
    account = AccountState(runtime)
    await account.send_code("dana@example.com")
    code = attempt_code(rig, account.attempt)
    wrong = "00000000" if code != "00000000" else "00000001"
    # Others' wrong codes took the email over its daily cap (50).
    with rig.db.write() as conn:
        for n in range(50):
            row = {"email": "dana@example.com", "client": f"198.51.100.{n}"}
            conn.execute(insert(sign_in_failures).values(**row, created_at=format_time(now())))
    for _ in range(3):  # this device's own few wrong codes are still let through
        await account.verify(wrong)
        assert (account.step, account.error) == ("code", "wrong_code")
    attempt = account.attempt
    await account.verify(code)
    assert (account.step, account.error, account.attempt) == ("code", "sign_in_capped", attempt)
    assert account.customer is None


async def test_offline_sign_in_says_so(rig: Rig, runtime: DeviceRuntime) -> None:
    account = AccountState(runtime)
    rig.transport.down = True
    await account.send_code("dana@example.com")
    assert (account.step, account.error, account.busy) == ("email", "offline", False)
