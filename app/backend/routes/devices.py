"""Where pushes go: the hub's VAPID key a browser subscribes with; devices that get public
alerts without an account (`/v1/alerts/devices`, changed or ended with their secret); and
a customer's own devices (claim one registered signed out, stop one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from app.backend.crud import alert_devices, subscriptions
from app.backend.crud.rejections import MutationRejected
from app.backend.deps import CustomerId, HubDep, client_address
from app.backend.problems import ProblemError
from app.schemas import (
    AlertDeviceCreated,
    AlertDeviceIn,
    AlertDeviceUpdate,
    DeviceClaim,
    DeviceClaimed,
)
from app.schemas.common import WireModel

router = APIRouter(prefix="/v1", tags=["push"])


class PushKey(WireModel):
    public_key: str


@router.get("/push/key", response_model=PushKey)
def push_key(hub: HubDep) -> PushKey:
    """The application server key (VAPID, base64url) a browser subscribes with; then send
    the subscription in a `device.register` mutation, or to `/v1/alerts/devices`."""
    return PushKey(public_key=hub.push_key)


def device_secret(request: Request) -> str:
    """The secret of `Authorization: Device <secret>`."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "device" or not value.strip():
        raise ProblemError(
            401,
            "Device secret required",
            "Send 'Authorization: Device <secret>' with the secret the registration gave.",
            slug="unauthorized",
            headers={"WWW-Authenticate": 'Device realm="careline"'},
        )
    return value.strip()


DeviceSecret = Annotated[str, Depends(device_secret)]


def _refused(error: MutationRejected) -> ProblemError:
    refusal = error.rejection
    return ProblemError(422, "Refused", refusal.detail, slug=refusal.code)


@router.post("/alerts/devices", status_code=201, response_model=AlertDeviceCreated)
async def register_alert_device(
    body: AlertDeviceIn, request: Request, hub: HubDep
) -> AlertDeviceCreated:
    """Public alerts for a device without an account: every critical incident and those
    touching what it follows (all of them while it follows nothing). Nothing personal is
    ever sent to it. Keep the secret: it changes or ends the registration."""
    hub.limiter.hit("alert-devices", client_address(request), hub.settings.alert_devices_per_client)

    def register() -> AlertDeviceCreated:
        with hub.db.write() as conn:
            return alert_devices.register(conn, device=body)

    try:
        return await run_in_threadpool(register)
    except MutationRejected as error:
        raise _refused(error) from error


@router.put("/alerts/devices/{device_id}", status_code=204, response_class=Response)
async def follow_with_alert_device(
    device_id: str, body: AlertDeviceUpdate, secret: DeviceSecret, hub: HubDep
) -> Response:
    """Change what the device follows, and the language its pushes come in."""

    def change() -> None:
        with hub.db.write() as conn:
            alert_devices.follow(
                conn,
                device_id=device_id,
                secret=secret,
                follows=body.follows,
                locale=body.locale,
            )

    try:
        await run_in_threadpool(change)
    except MutationRejected as error:
        raise _refused(error) from error
    return Response(status_code=204)


@router.delete("/alerts/devices/{device_id}", status_code=204, response_class=Response)
async def end_alert_device(device_id: str, secret: DeviceSecret, hub: HubDep) -> Response:
    """No more alerts for this device."""

    def end() -> None:
        with hub.db.write() as conn:
            alert_devices.remove(conn, device_id=device_id, secret=secret)

    await run_in_threadpool(end)
    return Response(status_code=204)


@router.post("/me/devices", response_model=DeviceClaimed)
async def claim_device(body: DeviceClaim, customer_id: CustomerId, hub: HubDep) -> DeviceClaimed:
    """The device registered without an account becomes the customer's, and what it
    followed joins what the customer follows."""
    hub.limiter.hit("writes", customer_id, hub.settings.writes_per_customer)

    def claim() -> DeviceClaimed:
        with hub.db.write() as conn:
            claimed = alert_devices.claim(
                conn, customer_id=customer_id, device_id=body.id, secret=body.secret
            )
            subscriptions.keep_latest_devices(
                conn, customer_id=customer_id, keep=hub.settings.devices_per_customer
            )
            return claimed

    try:
        return await run_in_threadpool(claim)
    except MutationRejected as error:
        raise _refused(error) from error


@router.delete("/me/devices/{device_id}", status_code=204, response_class=Response)
async def stop_device(device_id: str, customer_id: CustomerId, hub: HubDep) -> Response:
    """No more pushes to this device of the customer's (signed out on it)."""

    def stop() -> bool:
        with hub.db.write() as conn:
            return subscriptions.unregister_device(
                conn, customer_id=customer_id, device_id=device_id
            )

    if not await run_in_threadpool(stop):
        raise ProblemError(404, "Not found", "No such device.", slug="not-found")
    return Response(status_code=204)
