"""The translators' catalogs: `python -m app.views.catalogs extract|update|init|compile`.

- extract: `careline.pot`, every key the code passes to `tr` or `trn` as written, both
  branches of `"a" if x else "b"` included (the same as `pybabel extract -F babel.cfg
  -k tr:2 -k trn:2,2 -o app/views/locales/careline.pot .`, which uses `extract_keys`).
- update: adds those keys to every catalog (empty, hence untranslated, outside English)
  and lists the entries no code uses; it never deletes a translation.
- init LANG: a new catalog with every English key, untranslated, and Babel's plural rule
  for LANG.
- compile: the `.mo` beside every `.po`, which the app reads (committed, so `flet build`
  and the served app need no step of their own; tests/unit/test_catalogs.py fails when
  one is stale).

Keys built at run time (f"impact_{x}") cannot be extracted: their prefixes are listed in
DYNAMIC_PREFIXES, and a test fails when the code builds a key with a prefix not listed."""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterator, Mapping
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.schemas.wording import CompanyWord
from app.views.strings import DOMAIN, LOCALES, SOURCE

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "app" / "views"
CONFIG = ROOT / "babel.cfg"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
# `tr(locale, key, ...)`: the key is argument 2; `trn(locale, key, count)` is a plural
# message whose msgid and msgid_plural are both the key.
KEYWORDS: dict[str, tuple[int, ...]] = {"tr": (2,), "trn": (2, 2)}

# Every family of keys the code builds at run time, by prefix (from an enum or a code).
DYNAMIC_PREFIXES = (
    "alerts_page_",  # web/alerts.py: the alerts page's words
    "callback_",  # callbacks_screen.py: a callback's status
    "case_",  # cases_screen.py: a case's status
    "error_",  # widgets.py, sign_in_panel.py: a refusal's or a form error's code
    "file_",  # widgets.py: why an attachment cannot be sent
    "impact_",  # an incident's impact
    "offline_page_",  # web/offline.py: the offline page's words
    "quiet_",  # alerts_panel.py: the quiet hours choices
    "rejection_",  # widgets.py: why the hub refused a change (RejectionCode)
    "state_",  # a service's state
    "status_",  # an incident's stage
    "storage_",  # shell.py: what is wrong with the device's storage
    "theme_",  # account_screen.py: the theme choices
    "times_",  # slot_picker.py: the parts of the day
)


def catalogs() -> Iterator[tuple[str, Path]]:
    for path in sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        yield path.parent.parent.name, path


def read(path: Path) -> Catalog:
    with path.open("rb") as found:
        return read_po(found, locale=path.parent.parent.name, domain=DOMAIN)


def write(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as out:
        write_po(out, catalog, width=100, no_location=True, sort_output=False)


Extracted = tuple[int, str, tuple[str | None, ...], list[str]]


def extract_keys(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel's extraction method for the views: each call of a keyword function with the
    arguments that are literal strings, once per branch of a conditional argument (Babel's
    own Python extractor glues the two branches into one key)."""
    del comment_tags, options
    for node in ast.walk(ast.parse(fileobj.read())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id in keywords:
            for args in alternatives(node.args):
                yield node.lineno, node.func.id, args, []


def alternatives(args: list[ast.expr]) -> Iterator[tuple[str | None, ...]]:
    """The literal strings of `args` (None for anything else), for each choice of branch."""
    if not args:
        yield ()
        return
    first, rest = args[0], args[1:]
    choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
    for choice in choices:
        value = choice.value if isinstance(choice, ast.Constant) else None
        for tail in alternatives(rest):
            yield (value if isinstance(value, str) else None, *tail)


def extracted() -> Catalog:
    """The keys the code uses as written, singular (`tr`) or plural (`trn`)."""
    found = Catalog(domain=DOMAIN, project="Careline", fuzzy=False)
    with CONFIG.open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    for filename, lineno, message, _, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message, locations=[(filename, lineno)], context=context)
    return found


def compiled(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update() -> list[str]:
    """Adds the keys the code uses to every catalog; returns the entries no code uses."""
    template = extracted()
    unused: set[str] = set()
    for locale, path in catalogs():
        catalog = read(path)
        for message in template:
            if message.id and message.id not in catalog:
                empty = ("",) * catalog.num_plurals if message.pluralizable else ""
                catalog.add(message.id, empty)
        write(path, catalog)
        if locale == SOURCE:
            unused = keys(catalog) - keys(template) - literals()
    return sorted(k for k in unused if not k.startswith(DYNAMIC_PREFIXES))


def literals() -> set[str]:
    """Every string constant in the views (the keys a screen keeps in a variable first),
    and the keys a company may word itself (`CompanyWord`: the catalog holds the generic
    words)."""
    return {
        node.value
        for path in VIEWS.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    } | {word.value for word in CompanyWord}


def keys(catalog: Catalog) -> set[str]:
    """The msgids of `catalog` (a plural message's first one), header left out."""
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def init(locale: str) -> Path:
    """A catalog for `locale` with every English message left to translate."""
    path = LOCALES / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        raise SystemExit(f"{path} exists")
    source = read(LOCALES / SOURCE / "LC_MESSAGES" / f"{DOMAIN}.po")
    catalog = Catalog(locale=locale, domain=DOMAIN, project="Careline", fuzzy=False)
    for message in source:
        if message.id:
            empty = ("",) * catalog.num_plurals if message.pluralizable else ""
            catalog.add(message.id, empty, auto_comments=message.auto_comments)
    path.parent.mkdir(parents=True)
    write(path, catalog)
    return path


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        write(TEMPLATE, extracted())
    elif command == "update":
        for key in update():
            print(f"no code uses {key}: delete it from every catalog, or list its prefix")
    elif command == "init" and len(argv) == 2:
        print(f"translate every message of {init(argv[1])}, then compile")
    elif command == "compile":
        for _, path in catalogs():
            path.with_suffix(".mo").write_bytes(compiled(read(path)))
    else:
        usage = "usage: python -m app.views.catalogs extract|update|init LANG|compile"
        print(usage, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
