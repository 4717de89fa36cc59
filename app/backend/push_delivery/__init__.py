"""Push delivery for when the app is not open: Web Push (VAPID, encrypted payloads) and
FCM HTTP v1 behind one interface, fed from the event log."""

from app.backend.push_delivery.base import Delivery, PushAdapter, PushMessage
from app.backend.push_delivery.dispatcher import PushDispatcher

__all__ = ["Delivery", "PushAdapter", "PushDispatcher", "PushMessage"]
