"""Text folding, the words search ignores, and customer words mapped to the help centre's
words."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics, as the index tokenizer sees it."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


STOP_WORDS = frozenset(
    """a an and are as at be been but by can could did do does for from get got had has have
    how i if in into is it its me my no not of on or our so than that the their them then
    there they this to up us was we were what when where which who why will with would you
    your yours im dont cant didnt wont ive id
    al como con de del el en es la las lo los mi mis no para por que se su sus un una y yo
    """.split()  # noqa: SIM905 - easier to read and edit as text
)

# Each key also finds the listed words (one direction: what customers type -> what articles
# say). Keys are folded (lower case, no accents).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "luggage": ("baggage", "bag"),
    "suitcase": ("baggage", "bag"),
    "suitcases": ("baggage", "bags"),
    "bags": ("baggage",),
    "bag": ("baggage",),
    "canceled": ("cancelled", "cancellation"),
    "cancel": ("cancelled", "cancellation"),
    "cancelled": ("cancellation",),
    "money": ("refund",),
    "reimbursement": ("refund",),
    "reimburse": ("refund",),
    "late": ("delayed", "delay"),
    "delay": ("delayed",),
    "dog": ("pet", "pets"),
    "cat": ("pet", "pets"),
    "puppy": ("pet",),
    "snow": ("winter", "weather"),
    "storm": ("weather", "winter"),
    "blizzard": ("winter", "weather"),
    "ice": ("winter", "de"),
    "hotel": ("hotel", "voucher"),
    "food": ("meal",),
    "eat": ("meal",),
    "phone": ("callback", "call"),
    "call": ("callback",),
    "ring": ("callback",),
    "wheelchair": ("assistance", "mobility"),
    "disabled": ("assistance", "mobility"),
    "disability": ("assistance", "mobility"),
    "kid": ("child", "children", "minor"),
    "kids": ("children", "minors"),
    "child": ("minor", "children"),
    "alone": ("unaccompanied",),
    "points": ("miles",),
    "rewards": ("miles", "loyalty"),
    "frequent": ("miles",),
    "card": ("payment",),
    "declined": ("payment",),
    "receipt": ("invoice", "receipts"),
    "passport": ("passport", "documents"),
    "id": ("identification", "real"),
    "boarding": ("boarding",),
    "notification": ("alerts", "notifications"),
    "notifications": ("alerts",),
    "alert": ("alerts", "notifications"),
    "offline": ("offline",),
    "login": ("sign", "code"),
    "password": ("sign", "code"),
    "broken": ("damaged",),
    "damage": ("damaged",),
    "connection": ("connecting", "missed"),
    "equipaje": ("maleta",),
    "maleta": ("equipaje",),
    "reembolso": ("reembolso", "devolucion"),
    "perro": ("mascota", "mascotas"),
    "gato": ("mascota", "mascotas"),
}
