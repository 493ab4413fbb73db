"""Forward + backward time of dlref's cross-entropy losses next to torch's.

Run: `PYTHONPATH=src python benchmarks/bench_losses.py [repeats]`

Each row times `loss = f(x, target); loss.backward()` with the default
`reduction="mean"` on (4096 x 1000) float32 logits: `cross_entropy` with class-index
targets and `binary_cross_entropy_with_logits` with probability targets. dlref and
torch calls are interleaved within one run (order alternating per repeat) after a
warm-up of every row, and the median of the repeats is reported with
`time.perf_counter`. The target is a ratio of at most 3x (readable at 3x beats
obscure at 1.5x). Informational only: nothing is asserted, and the script always
exits 0.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from _side_by_side import median_ms, warm_up

from dlref.losses import binary_cross_entropy_with_logits, cross_entropy

SHAPE = (4096, 1000)
TARGET_RATIO = 3.0

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _timer(fn: Loss, x: torch.Tensor, target: torch.Tensor) -> Callable[[], float]:
    """A no-argument callable running one forward + backward; returns seconds."""
    leaf = x.detach().requires_grad_()

    def run() -> float:
        start = time.perf_counter()
        fn(leaf, target).backward()
        elapsed = time.perf_counter() - start
        leaf.grad = None
        return elapsed

    return run


def main(repeats: int = 30) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(SHAPE, generator=gen) * 3
    classes = torch.randint(0, SHAPE[1], SHAPE[:1], generator=gen)
    probs = torch.rand(SHAPE, generator=gen)
    rows: dict[str, tuple[Loss, Loss, torch.Tensor]] = {
        "cross_entropy": (cross_entropy, F.cross_entropy, classes),
        "binary_cross_entropy_with_logits": (
            binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits, probs
        ),
    }
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {SHAPE[0]} x {SHAPE[1]} float32, "
          f"forward + backward, median of {repeats}")
    timers = {name: (_timer(ours, x, t), _timer(theirs, x, t)) for name, (ours, theirs, t) in rows.items()}
    warm_up(timers)
    width = max(map(len, rows)) + 2
    print(f"{'loss':<{width}}| {'dlref ms':>9} | {'torch ms':>9} | {'ratio':>6}")
    ratios: dict[str, float] = {}
    for name, runs in timers.items():
        try:
            dlref_ms, torch_ms = median_ms(runs, repeats)
        except Exception as exc:  # report and keep going: this script never fails
            print(f"{name:<{width}}| error: {exc}")
            continue
        ratios[name] = dlref_ms / torch_ms
        print(f"{name:<{width}}| {dlref_ms:>9.3f} | {torch_ms:>9.3f} | {ratios[name]:>5.2f}x")
    if ratios:
        worst = max(ratios, key=ratios.__getitem__)
        verdict = "within" if ratios[worst] <= TARGET_RATIO else "OVER"
        print(f"max ratio {ratios[worst]:.2f}x ({worst}); target <= {TARGET_RATIO:.0f}x: {verdict}")


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    except Exception as exc:  # informational script: always exit 0
        print(f"benchmark failed: {exc}")
    sys.exit(0)
