"""Forward + backward time of each dlref activation next to its torch reference.

Run: `PYTHONPATH=src python benchmarks/bench_activations.py [repeats]`

Each row times `y = f(x, **params); y.backward(grad)` on 1M float32 elements
(softmax and log_softmax: a (1000, 1000) tensor, normalized along dim -1) with the
registry's default params, plus two non-default modes. `step` is timed forward-only,
because `torch.heaviside` has no backward.

Two dlref columns: `dlref` is the public function as users call it, which hands a
tensor this large to its fast path where it has one; `plain` is the same call with
the fast paths switched off, so every value comes from the plain formula a reader
sees. The target is a ratio of at most 3x for `dlref` (readable at 3x beats obscure
at 1.5x); the `plain` ratio shows what each fast path buys.

dlref and torch calls are interleaved within one run (order alternating per repeat)
after a warm-up of every row, and the median of the repeats is reported. On a shared
machine, run it with `OMP_NUM_THREADS=1`: with two threads, a busy second core stalls
every parallel kernel. Informational only: nothing is asserted, and the script always
exits 0.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Mapping

import torch
from _side_by_side import median_ms, warm_up

from dlref.activations import ACTIVATIONS, _fast

N = 1_000_000
TARGET_RATIO = 3.0

Timer = Callable[[], float]


def _timer(
    fn: Callable[..., torch.Tensor], params: Mapping[str, object], x: torch.Tensor, grad: torch.Tensor | None
) -> Timer:
    """A no-argument callable running one forward (+ backward when `grad` is given); returns seconds."""
    leaf = x.detach().requires_grad_(grad is not None)

    def run() -> float:
        start = time.perf_counter()
        y = fn(leaf, **params)
        if grad is not None:
            y.backward(grad)
        elapsed = time.perf_counter() - start
        leaf.grad = None
        return elapsed

    return run


def _plain(run: Timer) -> Timer:
    """`run` with dlref's fast paths switched off: every tensor counts as small."""

    def plain_run() -> float:
        saved, _fast.FAST_PATH_MIN_NUMEL = _fast.FAST_PATH_MIN_NUMEL, math.inf
        try:
            return run()
        finally:
            _fast.FAST_PATH_MIN_NUMEL = saved

    return plain_run


def _rows() -> list[tuple[str, Callable[..., torch.Tensor], Callable[..., torch.Tensor], Mapping[str, object]]]:
    rows = [(name, a.forward, a.reference, a.params) for name, a in ACTIVATIONS.items()]
    # two non-default modes worth seeing
    gelu, rrelu = ACTIVATIONS["gelu"], ACTIVATIONS["rrelu"]
    tanh_mode = ("gelu[tanh]", gelu.forward, gelu.reference, {"approximate": "tanh"})
    rows.insert(list(ACTIVATIONS).index("gelu") + 1, tanh_mode)
    training = {**rrelu.params, "training": True}
    rows.insert(list(ACTIVATIONS).index("rrelu") + 1, ("rrelu[training]", rrelu.forward, rrelu.reference, training))
    return rows


def main(repeats: int = 30) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(N, generator=gen)
    grad = torch.randn(N, generator=gen)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {N:,} float32 elements, median of {repeats}")
    timers: dict[str, tuple[Timer, Timer]] = {}
    for name, ours, theirs, params in _rows():
        shaped = x.view(1000, 1000) if name in ("softmax", "log_softmax") else x
        g = None if name == "step" else grad.view_as(shaped)
        timers[name] = (_timer(ours, params, shaped, g), _timer(theirs, params, shaped, g))
    warm_up(timers)
    warm_up({name: (_plain(ours), theirs) for name, (ours, theirs) in timers.items()})
    print(f"{'activation':<18}{'dlref ms':>10}{'torch ms':>10}{'ratio':>8}{'plain ms':>10}{'ratio':>8}")
    ratios: dict[str, float] = {}
    for name, (ours, theirs) in timers.items():
        try:
            dlref_ms, torch_ms = median_ms((ours, theirs), repeats)
            plain_ms, plain_torch_ms = median_ms((_plain(ours), theirs), repeats)
        except Exception as exc:  # report and keep going: this script never fails
            print(f"{name:<18}error: {exc}")
            continue
        ratios[name] = dlref_ms / torch_ms
        note = "  (forward only)" if name == "step" else ""
        print(f"{name:<18}{dlref_ms:>10.3f}{torch_ms:>10.3f}{ratios[name]:>7.2f}x"
              f"{plain_ms:>10.3f}{plain_ms / plain_torch_ms:>7.2f}x{note}")
    if ratios:
        worst = max(ratios, key=ratios.__getitem__)
        over = sum(r > TARGET_RATIO for r in ratios.values())
        print(f"max ratio {ratios[worst]:.2f}x ({worst}); {over} of {len(ratios)} exceed the {TARGET_RATIO:g}x target")


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
    except Exception as exc:  # informational script: always exit 0
        print(f"benchmark failed: {exc}")
    sys.exit(0)
