"""A snippet never quotes the list of links an article ends with ("Related articles",
"Artículos relacionados", "See also:"), in any language, and keeps everything else."""

from __future__ import annotations

from app.store import PublicStore
from app.store.plain_text import without_link_list
from app.store.ranking import snippet
from tests.store.kb_fixture import demo_articles

BODY = """Refunds go back to the card you paid with.

## How long it takes

Most refunds arrive in 7 days.

## Related articles

- [Lost baggage](/help/lost-baggage)
- [Baggage allowance](/help/baggage-allowance)
"""


def test_the_snippet_skips_the_closing_links() -> None:
    text = "".join(t for t, _ in snippet(BODY, {"baggag"}))
    assert "baggage" not in text.lower() and "Related" not in text
    assert text.startswith("Refunds go back")


def test_any_closing_list_of_links_goes_with_its_title() -> None:
    prose = "Check in online.\n\n"
    cases = {
        "## Artículos relacionados\n\n- [Equipaje](/help/a)\n\n- [Reembolsos](/help/b)\n": prose,
        "See also:\n1. [Seats](/help/seats)\n2. <https://example.com/pets>.\n": prose,
        "**Voir aussi**\n* [Sièges](/help/sieges)\n": prose,
        "- [Seats](/help/seats)\n": prose,  # no title
    }
    for ending, kept in cases.items():
        assert without_link_list(prose + ending).strip() == kept.strip(), ending


def test_lists_that_are_not_only_links_and_pages_of_links_stay() -> None:
    prose = "Check in online.\n\n- Bring your passport.\n- [Seats](/help/seats)\n"
    assert without_link_list(prose) == "Check in online.\n\n- Bring your passport.\n"
    middle = "Intro.\n\n- [Seats](/help/seats)\n\nMore text after the links.\n"
    assert without_link_list(middle) == middle
    only_links = "## Index\n\n- [Seats](/help/seats)\n- [Pets](/help/pets)\n"
    assert without_link_list(only_links) == only_links


def test_no_demo_article_quotes_its_related_articles(store: PublicStore) -> None:
    headings = ("Related articles", "Related help", "Artículos relacionados")
    for article in demo_articles():
        kept = without_link_list(article.body)
        assert not any(h in kept for h in headings), article.slug
        assert article.body.startswith(kept.rstrip()), article.slug
    [hit, *_] = store.search.search("how long refunds take taxes unused ticket", limit=1)
    assert "Related" not in "".join(t for t, _ in hit.snippet)


def test_a_link_item_may_say_a_few_words_besides() -> None:
    ending = "## Related help\n\n- [Passports](/help/p)\n- Need to talk? [Call us](/help/c).\n"
    assert without_link_list("Bring ID.\n\n" + ending) == "Bring ID.\n"
    long = "Bring ID.\n\n- You may also want to read the page about [passports](/help/p) first.\n"
    assert without_link_list(long) == long
