"""A large help centre for benchmarks: the demo articles plus generated ones made of the
demo's own sentences, so vocabulary and length look real."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime

from app.schemas import Article
from tests.store.kb_fixture import demo_articles


def corpus(size: int, seed: int = 7) -> list[Article]:
    """`size` English articles: every demo article, then generated ones made of 8-20
    sentences drawn from the demo, titled by their first sentence and tagged with their
    most frequent words."""
    real = [a for a in demo_articles() if a.locale == "en"]
    rng = random.Random(seed)
    sentences = [
        s.strip() for a in real for s in re.split(r"(?<=[.!?])\s+", a.body) if len(s.split()) > 4
    ]
    categories = sorted({a.category for a in real})
    made = list(real)
    now = datetime.now(UTC)
    for n in range(size - len(real)):
        # Like a real article, its title and tags come from its own text.
        chosen = rng.sample(sentences, rng.randint(8, 20))
        words = re.findall(r"[A-Za-z]{4,}", " ".join(chosen))
        lead = re.findall(r"[A-Za-z]{3,}", chosen[0])[:6]
        common = [w for w, _ in Counter(w.lower() for w in words).most_common(3)]
        made.append(
            Article(
                id=f"en:gen-{n}",
                slug=f"gen-{n}",
                locale="en",
                title=" ".join(lead).capitalize() + f" ({n})",
                body=" ".join(chosen),
                category=rng.choice(categories),
                tags=common,
                updated_at=now,
            )
        )
    return made
