"""Root conftest: names that every doctest in src/dlref may use without importing."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict) -> None:
    doctest_namespace["torch"] = torch
