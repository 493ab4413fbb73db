"""Time of dlref's convolution and pooling operators next to torch's, forward and forward + backward.

Run: `PYTHONPATH=src python benchmarks/bench_conv.py [repeats]`

Rows, float32 on CPU:

- `conv2d`: (8, 64, 56, 56) input, 3x3 kernel, 64 -> 64 channels, padding 1, with bias;
- `conv_transpose2d`: (8, 64, 28, 28) -> (8, 64, 56, 56), 3x3 kernel, stride 2, padding 1,
  output_padding 1, with bias;
- `max_pool2d`: (8, 64, 56, 56), kernel 3, stride 2, padding 1;
- `avg_pool2d` (same window), `adaptive_avg_pool2d` (global, output 1) and
  `interpolate_bilinear` (2x upsampling of the (8, 64, 28, 28) input).

dlref and torch calls are interleaved within one run (order alternating per repeat)
after a warm-up of every row, and the median of the repeats is reported with
`time.perf_counter`. The target, as DESIGN.md sets it for every op, is a forward +
backward ratio (`out.backward(grad)` w.r.t. input, weight and bias) of at most 3x; the
forward ratio is reported for information. Nothing is asserted, and the script always
exits 0.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from _side_by_side import median_ms, warm_up

from dlref.conv.ops import (
    adaptive_avg_pool2d,
    avg_pool2d,
    conv2d,
    conv_transpose2d,
    interpolate_bilinear,
    max_pool2d,
)

Op = Callable[..., torch.Tensor]


def _rows() -> dict[str, tuple[Op, Op, list[torch.Tensor], float | None]]:
    """name -> (dlref op, torch op, tensor arguments, forward + backward ratio target)."""
    gen = torch.Generator().manual_seed(0)
    big = torch.randn(8, 64, 56, 56, generator=gen)
    small = torch.randn(8, 64, 28, 28, generator=gen)
    weight = torch.randn(64, 64, 3, 3, generator=gen) * 0.05
    bias = torch.randn(64, generator=gen)
    up = dict(stride=2, padding=1, output_padding=1)

    def torch_bilinear(x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, size=(56, 56), mode="bilinear", align_corners=False)

    return {
        "conv2d": (lambda x, w, b: conv2d(x, w, b, padding=1), lambda x, w, b: F.conv2d(x, w, b, padding=1),
                   [big, weight, bias], 3.0),
        "conv_transpose2d": (lambda x, w, b: conv_transpose2d(x, w, b, **up),
                             lambda x, w, b: F.conv_transpose2d(x, w, b, **up), [small, weight, bias], 3.0),
        "max_pool2d": (lambda x: max_pool2d(x, 3, 2, 1), lambda x: F.max_pool2d(x, 3, 2, 1), [big], 3.0),
        "avg_pool2d": (lambda x: avg_pool2d(x, 3, 2, 1), lambda x: F.avg_pool2d(x, 3, 2, 1), [big], 3.0),
        "adaptive_avg_pool2d": (lambda x: adaptive_avg_pool2d(x, 1), lambda x: F.adaptive_avg_pool2d(x, 1),
                                [big], 3.0),
        "interpolate_bilinear": (lambda x: interpolate_bilinear(x, (56, 56)), torch_bilinear, [small], 3.0),
    }


def _timers(op: Op, tensors: list[torch.Tensor]) -> tuple[Callable[[], float], Callable[[], float]]:
    """(forward timer, forward + backward timer), each a no-argument callable returning seconds."""
    leaves = [t.detach().clone().requires_grad_() for t in tensors]
    with torch.no_grad():
        grad = torch.randn_like(op(*tensors))

    def forward() -> float:
        with torch.no_grad():
            start = time.perf_counter()
            op(*tensors)
            return time.perf_counter() - start

    def forward_backward() -> float:
        start = time.perf_counter()
        op(*leaves).backward(grad)
        elapsed = time.perf_counter() - start
        for t in leaves:
            t.grad = None
        return elapsed

    return forward, forward_backward


def main(repeats: int = 20) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float32, median of {repeats} "
          f"(load average {load:.2f} on {os.cpu_count()} CPUs: ratios are reliable only on an idle machine)")
    width = 22
    print(f"{'op':<{width}}| {'fwd dlref ms':>12} | {'fwd torch ms':>12} | {'ratio':>6} "
          f"| {'f+b dlref ms':>12} | {'f+b torch ms':>12} | {'ratio':>6} | {'target':>6}")
    verdicts: list[str] = []
    for name, (ours, theirs, tensors, target) in _rows().items():
        try:
            mine, torchs = _timers(ours, tensors), _timers(theirs, tensors)
            warm_up({"fwd": (mine[0], torchs[0]), "fb": (mine[1], torchs[1])})
            fwd = median_ms((mine[0], torchs[0]), repeats)
            fb = median_ms((mine[1], torchs[1]), repeats)
        except Exception as exc:  # report and keep going: this script never fails
            print(f"{name:<{width}}| error: {exc}")
            verdicts.append(f"{name}: error")
            continue
        ratio = fb[0] / fb[1]
        goal = "-" if target is None else f"<={target:.0f}x"
        print(f"{name:<{width}}| {fwd[0]:>12.2f} | {fwd[1]:>12.2f} | {fwd[0] / fwd[1]:>5.2f}x "
              f"| {fb[0]:>12.2f} | {fb[1]:>12.2f} | {ratio:>5.2f}x | {goal:>6}")
        if target is not None:
            verdicts.append(f"{name}: {ratio:.2f}x {'meets' if ratio <= target else 'MISSES'} <= {target:.0f}x")
    print("forward + backward targets: " + "; ".join(verdicts))

if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    except Exception as exc:  # informational script: always exit 0
        print(f"benchmark failed: {exc}")
    sys.exit(0)
