"""Time of dlref's `kaiming_normal_` and `xavier_uniform_` next to torch.nn.init's, on a 4096 x 4096 tensor.

Run: `PYTHONPATH=src python benchmarks/bench_init.py [repeats]`

Each row fills one float32 (4096, 4096) tensor in place (16.8M elements), with the
default arguments, from a seeded `torch.Generator`. An initializer has no backward,
so the ratio is of the fill alone; the target, as DESIGN.md sets it for every op, is
at most 3x. Both sides spend nearly all their time in the same `normal_`/`uniform_`
kernel, so the ratio measures dlref's validation and fan arithmetic on top of it.

dlref and torch calls are interleaved within one run (order alternating per repeat)
after a warm-up of every row, and the median of the repeats is reported with
`time.perf_counter`. Nothing is asserted, and the script always exits 0.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import torch
from _side_by_side import Timer, median_ms, warm_up

from dlref import init

SHAPE = (4096, 4096)
TARGET_RATIO = 3.0


def _timer(fn: Callable[..., torch.Tensor]) -> Timer:
    """A no-argument callable filling one preallocated tensor with `fn`; returns seconds."""
    tensor = torch.empty(SHAPE)
    generator = torch.Generator().manual_seed(0)

    def run() -> float:
        start = time.perf_counter()
        fn(tensor, generator=generator)
        return time.perf_counter() - start

    return run


def main(repeats: int = 20) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32 {SHAPE}, median of {repeats} "
          f"(load average {load:.2f} on {os.cpu_count()} CPUs: ratios are reliable only on an idle machine)")
    rows = {
        "kaiming_normal_": (_timer(init.kaiming_normal_), _timer(torch.nn.init.kaiming_normal_)),
        "xavier_uniform_": (_timer(init.xavier_uniform_), _timer(torch.nn.init.xavier_uniform_)),
    }
    warm_up(rows)
    width = 18
    print(f"{'initializer':<{width}}| {'dlref ms':>9} | {'torch ms':>9} | {'ratio':>6} | {'target':>6}")
    verdicts: list[str] = []
    for name, pair in rows.items():
        try:
            ours, theirs = median_ms(pair, repeats)
        except Exception as exc:  # report and keep going: this script never fails
            print(f"{name:<{width}}| error: {exc}")
            verdicts.append(f"{name}: error")
            continue
        ratio = ours / theirs
        print(f"{name:<{width}}| {ours:>9.2f} | {theirs:>9.2f} | {ratio:>5.2f}x | <={TARGET_RATIO:.0f}x")
        verdicts.append(f"{name}: {ratio:.2f}x {'meets' if ratio <= TARGET_RATIO else 'MISSES'} <= {TARGET_RATIO:.0f}x")
    print("targets: " + "; ".join(verdicts))


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    except Exception as exc:  # informational script: always exit 0
        print(f"benchmark failed: {exc}")
    sys.exit(0)
