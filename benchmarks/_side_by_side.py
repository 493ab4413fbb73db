"""Side-by-side timing shared by the benchmark scripts: dlref and torch measured in one run.

Each pair of callables returns the seconds one call took. Both are warmed up, then
run alternately (the order flips every repeat, so neither side always runs on a
warmer cache), and the medians are compared. Timings never go into tests.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

Timer = Callable[[], float]
WARMUP = 3


def warm_up(pairs: dict[str, tuple[Timer, Timer]]) -> None:
    """Run every timer a few times first: the first calls of a process also pay for growing the heap."""
    for pair in pairs.values():
        for run in pair:
            for _ in range(WARMUP):
                try:
                    run()
                except Exception:
                    break


def median_ms(pair: tuple[Timer, Timer], repeats: int) -> tuple[float, float]:
    """Median milliseconds of (dlref, torch), interleaved with alternating order."""
    times: list[list[float]] = [[], []]
    for r in range(repeats):
        for i in (0, 1) if r % 2 == 0 else (1, 0):
            times[i].append(pair[i]())
    return statistics.median(times[0]) * 1e3, statistics.median(times[1]) * 1e3
