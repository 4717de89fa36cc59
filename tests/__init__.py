"""Careline's tests. Plain helpers live in support modules (tests/support.py and the
`support.py` / `*_support.py` beside the tests that use them); no test module imports
another. The helpers' asserts are rewritten like a test's, so a failing helper explains
itself (registered here, before any of them is imported)."""

import pytest

pytest.register_assert_rewrite(
    "tests.support",
    "tests.backend",
    "tests.e2e",
    "tests.packaging",
    "tests.state",
    "tests.store",
    "tests.sync",
    "tests.unit",
)
