"""Content in the customer's language: the one rule both the hub (push text) and the app
(every screen) apply. A model the company writes text for keeps that text in the
company's default language in its own fields, and per locale the fields translated
(`translations`); `localized` gives the model as a customer of `locale` reads it, each
field in that language where it was translated and in the default language where not."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from app.schemas.booking import LanguageTag

# The key of a translation: a BCP 47 tag as the company writes it ('es', 'pt-BR').
Locale = LanguageTag
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def translations_field() -> Any:
    """The `translations` field of a model with text: locale -> the translated fields."""
    return Field(
        default_factory=dict,
        description="Locale -> the fields translated; missing ones read in the default language.",
    )


def pick(translations: Mapping[str, T], locale: str | None) -> T | None:
    """The translation for `locale`: its exact tag ('es-MX'), else its language ('es'),
    compared without regard to case or '_'; None when there is none."""
    if not locale or not translations:
        return None
    wanted = locale.replace("_", "-").lower()
    found = {key.replace("_", "-").lower(): value for key, value in translations.items()}
    if wanted in found:
        return found[wanted]
    return found.get(wanted.split("-")[0])


def localized(model: M, locale: str | None) -> M:
    """`model` with its text (and that of the models it holds: an incident's updates and
    actions) in `locale` where translated; `model` itself when nothing changes."""
    changes: dict[str, Any] = {}
    translation = pick(getattr(model, "translations", None) or {}, locale)
    if isinstance(translation, BaseModel):
        changes.update(translation.model_dump(exclude_none=True))
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel) and _has_text(value):
            inner = localized(value, locale)
            if inner is not value:
                changes[name] = inner
        elif isinstance(value, list) and value and _has_text(value[0]):
            items = [localized(item, locale) for item in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changes[name] = items
    return model.model_copy(update=changes) if changes else model


def text_for(
    item: BaseModel | Mapping[str, Any], field: str, locale: str | None, *, default: str = ""
) -> str:
    """One field of `item` (a model, or one as JSON: an event's data) in `locale`, else
    in the default language; `default` when `item` has no such field."""
    if isinstance(item, BaseModel):
        item = item.model_dump(include={field, "translations"}, exclude_none=True)
    translation = pick(item.get("translations") or {}, locale) or {}
    value = translation.get(field) if isinstance(translation, Mapping) else None
    return str(value if value is not None else item.get(field, default))


def _has_text(value: object) -> bool:
    return isinstance(value, BaseModel) and "translations" in type(value).model_fields
