"""'Send a new code' on the code step: a new attempt whose code signs in, and the hub's
limit on codes said in minutes, keeping the attempt the customer already has."""

from __future__ import annotations

from app.state.account import AccountState
from app.state.runtime import DeviceRuntime
from tests.state.support import attempt_code
from tests.sync.support import Rig


async def test_a_new_code_replaces_the_attempt_and_signs_in(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    account = AccountState(runtime)
    await account.send_code("dana@example.com")
    first = account.attempt
    assert not account.resent
    await account.resend_code()
    assert (account.step, account.error, account.resent) == ("code", None, True)
    assert account.attempt != first and account.email == "dana@example.com"
    await account.verify(attempt_code(rig, account.attempt))
    assert account.customer is not None and not account.resent


async def test_too_many_codes_says_how_long_to_wait_and_keeps_the_attempt(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    account = AccountState(runtime)
    await account.send_code("dana@example.com")
    # The hub sends five codes to one email from one address in fifteen minutes.
    for _ in range(4):
        await account.resend_code()
        assert account.error is None
    attempt = account.attempt
    await account.resend_code()
    assert (account.step, account.error, account.attempt) == ("code", "codes_wait", attempt)
    assert 1 <= account.wait_minutes <= 15 and not account.resent
    await account.verify(attempt_code(rig, attempt))  # the newest code still works
    assert account.customer is not None


async def test_a_new_code_offline_says_so(rig: Rig, runtime: DeviceRuntime) -> None:
    account = AccountState(runtime)
    await account.send_code("dana@example.com")
    attempt = account.attempt
    rig.transport.down = True
    await account.resend_code()
    assert (account.step, account.error, account.attempt, account.busy) == (
        "code",
        "offline",
        attempt,
        False,
    )
