"""Suite-wide hooks: tests marked ``sources`` need the maintainers' source bundle.

Without the bundle they are skipped with the reason (listed in pytest's ``-ra`` summary);
with ``SOCIAL_SELLING_REQUIRE_SOURCES=1`` a missing bundle makes each of them an error instead,
so CI cannot pass without really running them.
"""

from __future__ import annotations

import pytest

from tests.sources import REQUIRE_ENV, missing_reason, sources_required


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("sources") is None:
        return
    reason = missing_reason()
    if reason is None:
        return
    name = getattr(item, "originalname", item.name)
    if sources_required():
        pytest.fail(f"{name}: {reason}, and {REQUIRE_ENV}=1 requires it", pytrace=False)
    pytest.skip(f"{name} not run: {reason}")
