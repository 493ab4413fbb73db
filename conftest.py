"""Root conftest: names that every doctest in src/dlref may use without importing."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["torch"] = torch


# Property tests explore the same examples on every run, so CI cannot fail by chance.
from hypothesis import settings  # noqa: E402

settings.register_profile("dlref", derandomize=True, deadline=None)
settings.load_profile("dlref")
