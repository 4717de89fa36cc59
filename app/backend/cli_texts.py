"""The operator CLI's translations: `--text LOCALE FIELD TEXT`, repeated, gives the
company's text in other languages (the plain options give it in the default one), e.g.
`incident publish --title Storm --text es title Tormenta --text es body "Nieva."`; and
the commands that translate components and queues."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from app.backend.cli_commands import CliError, write
from app.backend.crud import components, queues
from app.schemas.callbacks import CallbackQueueText
from app.schemas.localized import Locale
from app.schemas.status import ComponentText, IncidentTranslation

M = TypeVar("M", bound=BaseModel)
LOCALE: TypeAdapter[str] = TypeAdapter(Locale)


def add_text_option(parser: argparse.ArgumentParser, fields: str) -> None:
    parser.add_argument(
        "--text",
        nargs=3,
        action="append",
        default=[],
        metavar=("LOCALE", "FIELD", "TEXT"),
        help=f"text in another language (repeatable); FIELD is one of: {fields}",
    )


def texts(given: list[list[str]], model: type[M]) -> dict[str, M]:
    """The `--text` options as one `model` per locale; an unknown field or a locale that
    is no language tag is an error naming it."""
    found: dict[str, dict[str, str]] = {}
    for locale, field, text in given:
        try:
            LOCALE.validate_python(locale)
        except ValidationError as error:
            raise CliError(f"--text {locale}: not a language tag such as es or pt-BR") from error
        if field not in model.model_fields:
            names = ", ".join(model.model_fields)
            raise CliError(f"--text {locale} {field}: the field is one of {names}")
        found.setdefault(locale, {})[field] = text
    try:
        return {locale: model.model_validate(fields) for locale, fields in found.items()}
    except ValidationError as error:
        raise CliError(f"--text: {error.errors()[0]['msg']}") from error


def incident_texts(args: argparse.Namespace) -> dict[str, IncidentTranslation]:
    return texts(args.text, IncidentTranslation)


def _merged(old: Mapping[str, M], new: Mapping[str, M]) -> dict[str, M]:
    """Each locale's fields: the new ones over those it had."""
    merged = dict(old)
    for locale, text in new.items():
        kept = merged[locale].model_dump(exclude_none=True) if locale in merged else {}
        merged[locale] = text.model_validate({**kept, **text.model_dump(exclude_none=True)})
    return merged


def component_text(args: argparse.Namespace) -> int:
    given = texts(args.text, ComponentText)
    with write(args) as conn:
        found = {c.id: c for c in components.list_components(conn)}
        if args.id not in found:
            raise CliError(f"no component {args.id}")
        c = found[args.id]
        components.save_component(
            conn,
            component_id=c.id,
            name=c.name,
            group=c.group,
            description=c.description,
            status=c.status,
            position=c.position,
            translations=_merged(c.translations, given),
        )
    print(f"{args.id}: text in {', '.join(sorted(given)) or 'no other language'}")
    return 0


def queue_text(args: argparse.Namespace) -> int:
    given = texts(args.text, CallbackQueueText)
    with write(args) as conn:
        row = queues.queue_row(conn, args.id)
        queue = queues.queue_from_row(row)
        merged = _merged(queue.translations, given)
        changed = queue.model_copy(update={"translations": merged})
        queues.save_queue(conn, queue=changed, handle_minutes=row.handle_minutes)
    print(f"{args.id}: text in {', '.join(sorted(given)) or 'no other language'}")
    return 0
