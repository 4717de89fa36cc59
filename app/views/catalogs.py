"""The translators' catalogs: `python -m app.views.catalogs [--domain D] extract|update|
init|compile`, for the customer app (domain `careline`, the default) or the storm
console (`--domain console`, app/console/locales); `DOMAINS` lists them.

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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Domain:
    """One app's catalogs: `<locales>/<lang>/LC_MESSAGES/<name>.po`, the keys of the
    code under `sources`, and the families of keys it builds at run time."""

    name: str
    locales: Path
    sources: Path
    dynamic_prefixes: tuple[str, ...]
    extra_literals: frozenset[str] = frozenset()

    def method_map(self) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
        if self.name == DOMAIN:  # the customer app's, shared with `pybabel extract`
            with CONFIG.open() as config:
                return parse_mapping_cfg(config)  # type: ignore[no-any-return,no-untyped-call]
        pattern = f"{self.sources.relative_to(ROOT).as_posix()}/**.py"
        return [(pattern, "app.views.catalogs.extract_keys")], {}


CUSTOMER = Domain(
    DOMAIN, LOCALES, VIEWS, DYNAMIC_PREFIXES, frozenset(word.value for word in CompanyWord)
)
CONSOLE = Domain(
    "console",
    ROOT / "app" / "console" / "locales",
    ROOT / "app" / "console",
    (
        "error_",  # a failed call's code (app.console.state.errors)
        "impact_",  # an incident's impact
        "kind_",  # incident or maintenance
        "notice_",  # why the sign-in screen is back
        "role_",  # a member of staff's role
        "status_",  # an incident's or a case's status
        "filter_",  # an inbox filter's label
        "team_done_",  # what the Team screen's last action did
        "team_wrong_",  # a field of the add-a-member form to correct
        "family_",  # a family of audited actions
        "action_",  # an audited action
        "warning_done_",  # what the Early warnings screen's last action did
        "warning_state_",  # an early warning's state
    ),
)
DOMAINS = {domain.name: domain for domain in (CUSTOMER, CONSOLE)}


def catalogs(domain: Domain = CUSTOMER) -> Iterator[tuple[str, Path]]:
    for path in sorted(domain.locales.glob(f"*/LC_MESSAGES/{domain.name}.po")):
        yield path.parent.parent.name, path


def read(path: Path) -> Catalog:
    with path.open("rb") as found:
        return read_po(found, locale=path.parent.parent.name, domain=path.stem)


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


def extracted(domain: Domain = CUSTOMER) -> Catalog:
    """The keys the code uses as written, singular (`tr`) or plural (`trn`)."""
    found = Catalog(domain=domain.name, project="Careline", fuzzy=False)
    method_map, options_map = domain.method_map()
    for filename, lineno, message, _, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message, locations=[(filename, lineno)], context=context)
    return found


def compiled(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update(domain: Domain = CUSTOMER) -> list[str]:
    """Adds the keys the code uses to every catalog; returns the entries no code uses."""
    template = extracted(domain)
    unused: set[str] = set()
    for locale, path in catalogs(domain):
        catalog = read(path)
        for message in template:
            if message.id and message.id not in catalog:
                empty = ("",) * catalog.num_plurals if message.pluralizable else ""
                catalog.add(message.id, empty)
        write(path, catalog)
        if locale == SOURCE:
            unused = keys(catalog) - keys(template) - literals(domain)
    return sorted(k for k in unused if not k.startswith(domain.dynamic_prefixes))


def literals(domain: Domain = CUSTOMER) -> set[str]:
    """Every string constant in the code (the keys a screen keeps in a variable first),
    and for the customer app the keys a company may word itself (`CompanyWord`: the
    catalog holds the generic words)."""
    return {
        node.value
        for path in domain.sources.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    } | set(domain.extra_literals)


def keys(catalog: Catalog) -> set[str]:
    """The msgids of `catalog` (a plural message's first one), header left out."""
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def init(locale: str, domain: Domain = CUSTOMER) -> Path:
    """A catalog for `locale` with every English message left to translate."""
    path = domain.locales / locale / "LC_MESSAGES" / f"{domain.name}.po"
    if path.exists():
        raise SystemExit(f"{path} exists")
    source = read(domain.locales / SOURCE / "LC_MESSAGES" / f"{domain.name}.po")
    catalog = Catalog(locale=locale, domain=domain.name, project="Careline", fuzzy=False)
    for message in source:
        if message.id:
            empty = ("",) * catalog.num_plurals if message.pluralizable else ""
            catalog.add(message.id, empty, auto_comments=message.auto_comments)
    path.parent.mkdir(parents=True)
    write(path, catalog)
    return path


def main(argv: list[str]) -> int:
    domain = CUSTOMER
    if argv[:1] == ["--domain"] and len(argv) > 1 and argv[1] in DOMAINS:
        domain, argv = DOMAINS[argv[1]], argv[2:]
    command = argv[0] if argv else ""
    if command == "extract":
        write(domain.locales / f"{domain.name}.pot", extracted(domain))
    elif command == "update":
        for key in update(domain):
            print(f"no code uses {key}: delete it from every catalog, or list its prefix")
    elif command == "init" and len(argv) == 2:
        print(f"translate every message of {init(argv[1], domain)}, then compile")
    elif command == "compile":
        for _, path in catalogs(domain):
            path.with_suffix(".mo").write_bytes(compiled(read(path)))
    else:
        names = "|".join(DOMAINS)
        usage = (
            f"usage: python -m app.views.catalogs [--domain {names}] "
            "extract|update|init LANG|compile"
        )
        print(usage, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
