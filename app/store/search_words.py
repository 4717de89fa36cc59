"""Text folding and the words of each language search knows: the words it ignores, the
customer's words mapped to the help centre's words in the same language, and a bridge
from one language's words to another's for articles not yet translated."""

from __future__ import annotations

import unicodedata

# The company's default language when its hub has not said one (before the first status
# document, or an older hub): content missing in the customer's language is shown in
# the company's (`Content.default_locale`).
FALLBACK_LOCALE = "en"


def fold(text: str) -> str:
    """Lower case without diacritics, as the index tokenizer sees it."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def language(locale: str) -> str:
    """The language of a locale tag: 'es-MX' -> 'es'."""
    return locale.replace("_", "-").split("-")[0].lower()


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Folded (lower case, no accents), as queries are.
_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """a an and are as at be been but by can could did do does for from get got had has
        have how i if in into is it its me my no not of on or our so than that the their them
        then there they this to up us was we were what when where which who why will with
        would you your yours im dont cant didnt wont ive id"""
    ),
    "es": _words(
        """a al como con de del el en es esta este esto estoy fue ha hay la las le les lo los
        me mi mis muy no nos o para pero por que se si sin su sus te tu un una unos unas y ya
        yo"""
    ),
    "fr": _words(
        """a au aux avec ce ces dans de des du elle en est et il ils je la le les leur ma mais
        me mes mon ne nous on ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un
        une vos votre vous y"""
    ),
}

# Each key also finds the listed words in the same language (one direction: what customers
# type -> what articles say).
_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
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
        "notification": ("alerts", "notifications"),
        "notifications": ("alerts",),
        "alert": ("alerts", "notifications"),
        "login": ("sign", "code"),
        "password": ("sign", "code"),
        "broken": ("damaged",),
        "damage": ("damaged",),
        "connection": ("connecting", "missed"),
    },
    "es": {
        "equipaje": ("maleta", "maletas"),
        "maleta": ("equipaje",),
        "maletas": ("equipaje",),
        "valija": ("equipaje", "maleta"),
        "reembolso": ("devolucion",),
        "devolucion": ("reembolso",),
        "dinero": ("reembolso",),
        "perro": ("mascota", "mascotas"),
        "gato": ("mascota", "mascotas"),
        "retraso": ("retrasado", "demora"),
        "demora": ("retraso",),
        "tarde": ("retraso",),
        "cancelar": ("cancelado", "cancelacion"),
        "llamar": ("llamada",),
        "telefono": ("llamada",),
        "nino": ("menor", "menores"),
        "ninos": ("menores",),
        "tarjeta": ("pago",),
        "rechazada": ("pago",),
        "contrasena": ("codigo",),
        "roto": ("danado",),
        "rota": ("danada",),
        "nieve": ("invierno", "clima"),
        "tormenta": ("clima",),
        "comida": ("comidas", "alimentos"),
    },
    "fr": {
        "bagages": ("bagage",),
        "valise": ("bagage", "bagages"),
        "valises": ("bagages",),
        "remboursement": ("rembourser",),
        "argent": ("remboursement",),
        "chien": ("animal", "animaux"),
        "chat": ("animal", "animaux"),
        "retard": ("retarde",),
        "annuler": ("annule", "annulation"),
        "appeler": ("rappel",),
        "telephone": ("rappel",),
        "enfant": ("mineur", "enfants"),
        "carte": ("paiement",),
        "neige": ("hiver", "meteo"),
        "casse": ("endommage",),
    },
}

# Words of the first language -> the same thing in the second, for searching articles
# not translated yet ("maleta perdida" finds the English "lost baggage"). The help
# centre's everyday topic words, not any one company's.
_BRIDGES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("es", "en"): {
        "equipaje": ("baggage", "luggage"),
        "maleta": ("baggage", "bag", "suitcase"),
        "maletas": ("baggage", "bags", "suitcases"),
        "valija": ("baggage", "suitcase"),
        "mano": ("carry",),
        "bodega": ("hold", "cargo"),
        "cabina": ("cabin",),
        "perdida": ("lost", "missing"),
        "perdido": ("lost", "missing"),
        "perdi": ("lost",),
        "extraviado": ("lost", "missing"),
        "danado": ("damaged",),
        "danada": ("damaged",),
        "roto": ("damaged", "broken"),
        "rota": ("damaged", "broken"),
        "vuelo": ("flight",),
        "vuelos": ("flights",),
        "cancelado": ("cancelled",),
        "cancelacion": ("cancellation",),
        "retraso": ("delay", "delayed"),
        "retrasado": ("delayed",),
        "demora": ("delay",),
        "reembolso": ("refund",),
        "devolucion": ("refund",),
        "asiento": ("seat",),
        "asientos": ("seats",),
        "tarifa": ("fare", "fee"),
        "cargo": ("fee", "fees"),
        "pago": ("payment",),
        "tarjeta": ("card", "payment"),
        "mascota": ("pet",),
        "mascotas": ("pets",),
        "perro": ("dog", "pet"),
        "gato": ("cat", "pet"),
        "pasaporte": ("passport",),
        "visa": ("visa",),
        "millas": ("miles",),
        "puntos": ("miles", "points"),
        "facturar": ("check",),
        "facturacion": ("check",),
        "embarque": ("boarding",),
        "conexion": ("connection", "connecting"),
        "escala": ("connection", "layover"),
        "hotel": ("hotel",),
        "comida": ("meal", "food"),
        "clima": ("weather",),
        "tormenta": ("storm", "weather"),
        "nieve": ("snow", "winter"),
        "invierno": ("winter",),
        "huracan": ("hurricane",),
        "silla": ("wheelchair",),
        "ruedas": ("wheelchair",),
        "asistencia": ("assistance",),
        "menor": ("minor",),
        "menores": ("minors",),
        "nino": ("child", "children"),
        "ninos": ("children",),
        "embarazada": ("pregnant",),
        "nombre": ("name",),
        "billete": ("ticket",),
        "boleto": ("ticket",),
        "cambiar": ("change",),
        "cambio": ("change",),
        "llamada": ("callback", "call"),
        "aplicacion": ("app",),
        "app": ("app",),
        "alertas": ("alerts",),
        "notificaciones": ("notifications",),
        "credito": ("credit",),
        "liquidos": ("liquids",),
        "deportivo": ("sports",),
        "mejora": ("upgrade",),
    },
    ("fr", "en"): {
        "bagage": ("baggage",),
        "bagages": ("baggage", "bags"),
        "valise": ("baggage", "suitcase", "bag"),
        "perdu": ("lost",),
        "perdue": ("lost",),
        "perdus": ("lost",),
        "endommage": ("damaged",),
        "soute": ("hold", "cargo"),
        "cabine": ("cabin",),
        "vol": ("flight",),
        "vols": ("flights",),
        "annule": ("cancelled",),
        "annulation": ("cancellation",),
        "retard": ("delay", "delayed"),
        "remboursement": ("refund",),
        "siege": ("seat",),
        "tarif": ("fare",),
        "frais": ("fees", "fee"),
        "paiement": ("payment",),
        "animal": ("pet",),
        "animaux": ("pets",),
        "chien": ("dog", "pet"),
        "chat": ("cat", "pet"),
        "passeport": ("passport",),
        "miles": ("miles",),
        "enregistrement": ("check",),
        "embarquement": ("boarding",),
        "correspondance": ("connection", "connecting"),
        "repas": ("meal",),
        "meteo": ("weather",),
        "neige": ("snow", "winter"),
        "hiver": ("winter",),
        "fauteuil": ("wheelchair",),
        "enfant": ("child",),
        "enfants": ("children",),
        "billet": ("ticket",),
        "changer": ("change",),
        "rappel": ("callback",),
        "application": ("app",),
    },
}


def stop_words(locale: str) -> frozenset[str]:
    """The words of `locale`'s language that say nothing on their own (English's for a
    language search does not know)."""
    return _STOP_WORDS.get(language(locale), _STOP_WORDS["en"])


def synonyms(locale: str, word: str) -> tuple[str, ...]:
    """What `word` (folded) also finds in articles of `locale`'s language."""
    return _SYNONYMS.get(language(locale), {}).get(word, ())


def bridge(source: str, target: str, word: str) -> tuple[str, ...]:
    """`word` (folded, in `source`'s language) in `target`'s language; () when unknown or
    the languages are the same."""
    return _BRIDGES.get((language(source), language(target)), {}).get(word, ())


def bridged_words(source: str, target: str) -> tuple[str, ...]:
    """The words of `source`'s language the bridge to `target`'s knows: a typo of one is
    corrected even when no article is written in `source`'s language yet."""
    return tuple(_BRIDGES.get((language(source), language(target)), {}))
