"""Time of dlref's `batch_norm`, `layer_norm` and `dropout` next to torch's, forward + backward.

Run: `PYTHONPATH=src python benchmarks/bench_norm.py [repeats]`

Rows, all float32 on the CPU:

- `batch_norm`, training mode (batch statistics, running statistics updated), on
  (64, 256, 28, 28), with weight and bias (12.8M elements);
- `layer_norm` over the last dimension of (8192, 1024), with weight and bias, as in a
  transformer with 8192 tokens of width 1024;
- `dropout` with p = 0.5 on (8192, 1024).

Each timed call runs the forward pass and the backward pass of a fixed output gradient,
with the input's gradient reset outside the timing. The target, as DESIGN.md sets it for
every op, is at most 3x torch. dlref and torch calls are interleaved within one run
(order alternating per repeat) after a warm-up of every row, and the median of the
repeats is reported with `time.perf_counter`. Nothing is asserted, and the script
always exits 0.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from _side_by_side import Timer, median_ms, warm_up

from dlref import norm

TARGET_RATIO = 3.0
BN_SHAPE = (64, 256, 28, 28)
TOKENS_SHAPE = (8192, 1024)


def _timer(shape: tuple[int, ...], fn: Callable[..., torch.Tensor], params: int, *args: object) -> Timer:
    """A no-argument callable timing fn(x, *args, *params) forward and backward; returns seconds.

    `params` is the length of the per-feature weight and bias (0: none); they follow `args`.
    """
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(shape, generator=generator).requires_grad_()
    grad_out = torch.randn(shape, generator=generator)
    extra = [torch.ones(params, requires_grad=True), torch.zeros(params, requires_grad=True)] if params else []

    def run() -> float:
        for leaf in (x, *extra):
            leaf.grad = None
        start = time.perf_counter()
        fn(x, *args, *extra).backward(grad_out)
        return time.perf_counter() - start

    return run


def _batch_norm_timer(fn: Callable[..., torch.Tensor]) -> Timer:
    channels = BN_SHAPE[1]
    running_mean, running_var = torch.zeros(channels), torch.ones(channels)

    def train_step(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        return fn(x, running_mean, running_var, weight, bias, training=True)

    return _timer(BN_SHAPE, train_step, channels)


def main(repeats: int = 10) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32, forward + backward, median of "
          f"{repeats} (load average {load:.2f} on {os.cpu_count()} CPUs: ratios are reliable only on an idle machine)")
    width = TOKENS_SHAPE[-1]
    rows = {
        f"batch_norm {BN_SHAPE}": (_batch_norm_timer(norm.batch_norm), _batch_norm_timer(F.batch_norm)),
        f"layer_norm {TOKENS_SHAPE}": (_timer(TOKENS_SHAPE, norm.layer_norm, width, (width,)),
                                       _timer(TOKENS_SHAPE, F.layer_norm, width, (width,))),
        f"dropout {TOKENS_SHAPE}": (_timer(TOKENS_SHAPE, norm.dropout, 0, 0.5),
                                    _timer(TOKENS_SHAPE, F.dropout, 0, 0.5)),
    }
    warm_up(rows)
    name_width = 37
    print(f"{'op':<{name_width}}| {'dlref ms':>9} | {'torch ms':>9} | {'ratio':>6} | {'target':>6}")
    verdicts: list[str] = []
    for name, pair in rows.items():
        try:
            ours, theirs = median_ms(pair, repeats)
        except Exception as exc:  # report and keep going: this script never fails
            print(f"{name:<{name_width}}| error: {exc}")
            verdicts.append(f"{name.split()[0]}: error")
            continue
        ratio = ours / theirs
        print(f"{name:<{name_width}}| {ours:>9.2f} | {theirs:>9.2f} | {ratio:>5.2f}x | <={TARGET_RATIO:.0f}x")
        verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
        verdicts.append(f"{name.split()[0]}: {ratio:.2f}x {verdict} <= {TARGET_RATIO:.0f}x")
    print("targets: " + "; ".join(verdicts))


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    except Exception as exc:  # informational script: always exit 0
        print(f"benchmark failed: {exc}")
    sys.exit(0)
