"""Help in a language the help centre is only partly translated into: the customer's
language first, then the articles not translated yet, in English and marked so."""

from __future__ import annotations

from pathlib import Path

from app.backend.kb_import import import_folder
from app.state.help import HelpState, in_other_language
from app.state.runtime import DeviceRuntime
from tests.store.kb_fixture import DEMO_KB
from tests.sync.support import Rig

BAGGAGE = {
    "delayed-or-lost-baggage",
    "lost-baggage-claim",
    "damaged-baggage",
    "checked-baggage-allowance",
    "carry-on-size-and-personal-item",
    "excess-and-overweight-baggage-fees",
}


async def help_in(rig: Rig, runtime: DeviceRuntime, folder: Path, locale: str) -> HelpState:
    with rig.db.write() as conn:
        import_folder(conn, folder)
    await runtime.engine.sync()
    help_ = HelpState(runtime, locale=locale)
    await help_.load()
    return help_


async def test_maleta_finds_the_spanish_baggage_help_first(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    help_ = await help_in(rig, runtime, DEMO_KB, "es")
    await help_.search("maleta perdida")
    results = [(hit.slug, hit.locale) for hit in help_.results]
    assert results[0] == ("delayed-or-lost-baggage", "es")
    assert ("lost-baggage-claim", "en") in results, "the English-only article after them"
    assert len({slug for slug, _ in results}) == len(results), "an article once"
    await help_.search("maleta")
    assert {hit.slug for hit in help_.results[:3]} <= BAGGAGE


async def test_maleta_finds_english_baggage_help_marked_english(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    help_ = await help_in(rig, runtime, DEMO_KB / "en", "es")
    await help_.search("maleta perdida")
    [first, *_] = help_.results
    assert first.slug in {"delayed-or-lost-baggage", "lost-baggage-claim"}
    assert first.locale == "en" and in_other_language(first.locale, help_.locale)
    assert any(marked for _, marked in first.snippet), "the English words found are marked"
    await help_.search("malta")  # a Spanish typo, corrected in Spanish, then bridged
    assert help_.results and help_.results[0].slug in BAGGAGE
    await help_.open_article(first.slug)
    assert help_.article is not None and help_.article.locale == "en"
    assert help_.related and all(link.locale == "en" for link in help_.related)


async def test_a_category_lists_untranslated_articles_after_the_translated_ones(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    help_ = await help_in(rig, runtime, DEMO_KB, "es")
    assert "baggage" in {c.id for c in help_.categories}
    await help_.open_category("baggage")
    articles = [(a.slug, a.locale) for a in help_.category_articles]
    locales = [locale for _, locale in articles]
    assert locales[0] == "es" and "en" in locales
    assert locales == sorted(locales, key=lambda locale: locale != "es")
    assert len({slug for slug, _ in articles}) == len(articles), "never both translations"


async def test_english_customers_see_english_only(rig: Rig, runtime: DeviceRuntime) -> None:
    help_ = await help_in(rig, runtime, DEMO_KB, "en")
    await help_.search("equipaje")
    assert all(hit.locale == "en" for hit in help_.results)
    await help_.open_category("baggage")
    assert {a.locale for a in help_.category_articles} == {"en"}
