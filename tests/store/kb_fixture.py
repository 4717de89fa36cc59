"""The demo help centre loaded into a local store, and the labelled queries search is
judged by, for search tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.backend.kb_import import parse_article
from app.schemas import Article
from app.store import PublicStore

DEMO_KB = Path(__file__).resolve().parents[2] / "assets" / "demo" / "northwind" / "kb"


def demo_articles() -> list[Article]:
    found = []
    for path in sorted(DEMO_KB.rglob("*.md")):
        a = parse_article(path)
        found.append(
            Article(
                id=f"{a.locale}:{a.slug}",
                slug=a.slug,
                locale=a.locale,
                title=a.title,
                body=a.body,
                category=a.category,
                tags=a.tags,
                updated_at=datetime.now(UTC),
            )
        )
    return found


def load_articles(store: PublicStore, articles: list[Article]) -> None:
    with store.db.transaction() as conn:
        for article in articles:
            store.content.save_article(conn, article)


# (what a customer types, the articles that answer it)
LABELLED: list[tuple[str, set[str]]] = [
    ("baggage allowance", {"checked-baggage-allowance"}),
    ("bagage", {"checked-baggage-allowance", "delayed-or-lost-baggage"}),
    ("my bag didn't arrive", {"delayed-or-lost-baggage", "lost-baggage-claim"}),
    ("lost luggage", {"delayed-or-lost-baggage", "lost-baggage-claim"}),
    ("suitcase damaged", {"damaged-baggage"}),
    ("how big can my carry on be", {"carry-on-size-and-personal-item"}),
    ("overweight bag fee", {"excess-and-overweight-baggage-fees"}),
    ("can i bring golf clubs", {"sports-equipment-and-special-items"}),
    ("liquids", {"liquids-in-carry-on"}),
    ("flight cancelled", {"flight-cancelled-what-now"}),
    ("my flight was canceled what do i do", {"flight-cancelled-what-now"}),
    ("cancelation refund", {"refund-for-cancelled-flight"}),
    (
        "refnd",
        {"refund-for-cancelled-flight", "how-long-do-refunds-take", "refund-for-delayed-flight"},
    ),
    ("when will i get my money back", {"how-long-do-refunds-take"}),
    ("flight delayed", {"flight-delayed-what-to-do"}),
    ("missed my connecting flight", {"missed-connection"}),
    ("hotel voucher", {"hotel-and-meal-vouchers"}),
    ("compensation for delay", {"delay-and-cancellation-compensation"}),
    ("stuck on the plane on the tarmac", {"tarmac-delays"}),
    ("rebook cancelled flight", {"rebook-after-cancellation"}),
    ("change my flight", {"change-your-flight", "same-day-flight-change"}),
    ("change fee", {"change-fees-by-fare"}),
    ("spelling mistake in my name", {"name-correction-on-ticket"}),
    ("winter storm waiver", {"winter-weather-travel-waiver"}),
    ("snow", {"winter-weather-travel-waiver", "de-icing-delays-explained"}),
    ("why is deicing taking so long", {"de-icing-delays-explained"}),
    ("hurricane", {"hurricane-and-tropical-storm-waiver"}),
    ("online chek-in", {"online-check-in"}),
    ("check in onl", {"online-check-in"}),
    ("boarding pass on my phone", {"mobile-boarding-pass"}),
    ("tsa precheck", {"tsa-precheck-known-traveler-number"}),
    ("choose a seat", {"choose-or-change-seat"}),
    ("sit together with my kids", {"sitting-together-family"}),
    ("extra legroom", {"extra-legroom-seats"}),
    ("wheelchair at the airport", {"wheelchair-assistance"}),
    ("travelling pregnant", {"travelling-while-pregnant"}),
    ("child flying alone", {"unaccompanied-minors"}),
    ("oxygen concentrator", {"medical-devices-oxygen"}),
    ("travel with my dog in the cabin", {"pets-in-cabin"}),
    ("pet carrier size", {"pet-carrier-size-fees"}),
    ("do my miles expire", {"miles-expiry"}),
    ("missing miles from my flight", {"claim-missing-miles"}),
    ("upgrade with points", {"upgrade-with-miles"}),
    ("card declined", {"payment-declined"}),
    ("receipt for my ticket", {"invoices-and-receipts"}),
    ("passport expires soon", {"passport-validity"}),
    ("esta visa", {"visas-and-esta"}),
    ("real id", {"real-id-domestic-flights"}),
    ("call me back", {"request-a-callback"}),
    ("sign in code not received", {"sign-in-code-not-received"}),
    ("storm notifications", {"disruption-alerts", "flight-status-notifications"}),
    ("use the app without internet", {"use-app-offline"}),
]
