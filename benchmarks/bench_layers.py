"""Time of dlref's `forward_loop` (one neuron and one input at a time) next to `forward` (one matrix product per layer).

Run: `PYTHONPATH=src python benchmarks/bench_layers.py [repeats]`

Both push a batch of 8 samples through the same small MLP, 16 -> 32 -> 32 -> 4 with
ReLU between the layers, in float64: 13,312 multiply-adds. `forward_loop` does each one
as a step of Python; `forward` does each layer as one `x @ W.T + b`. The basics
chapter prints only a conservative lower bound of this ratio (its build must not
depend on the machine); this script prints the measured one. There is no target:
the loop exists to be read next to the equations, not to be fast.

The two calls are interleaved within one run (order alternating per repeat) after a
warm-up, and the median of the repeats is reported with `time.perf_counter`. Torch runs
on one thread, as the site's build does: on tensors this small a second intra-op thread
only adds waiting, and on a busy machine a `forward` that follows the loop can wait
milliseconds for it. Nothing is asserted, and the script always exits 0.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable

import torch
from _side_by_side import Timer, median_ms, warm_up

from dlref import layers
from dlref.activations import identity, relu

WIDTHS = (16, 32, 32, 4)
BATCH = 8


def _timer(fn: Callable[..., torch.Tensor], x: torch.Tensor, net: list, activations: list) -> Timer:
    """A no-argument callable running one forward pass with `fn`; returns seconds."""

    def run() -> float:
        start = time.perf_counter()
        fn(x, net, activations)
        return time.perf_counter() - start

    return run


def main(repeats: int = 10) -> None:
    torch.set_num_threads(1)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    gen = torch.Generator().manual_seed(0)
    net = [(torch.randn(d_out, d_in, generator=gen, dtype=torch.float64),
            torch.randn(d_out, generator=gen, dtype=torch.float64))
           for d_in, d_out in itertools.pairwise(WIDTHS)]
    x = torch.randn(BATCH, WIDTHS[0], generator=gen, dtype=torch.float64)
    activations = [relu, relu, identity]
    macs = BATCH * sum(d_in * d_out for d_in, d_out in itertools.pairwise(WIDTHS))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, MLP {' -> '.join(map(str, WIDTHS))}, "
          f"batch {BATCH}, float64, {macs:,} multiply-adds, median of {repeats} "
          f"(load average {load:.2f} on {os.cpu_count()} CPUs: ratios are reliable only on an idle machine)")
    agree = torch.allclose(layers.forward_loop(x, net, activations), layers.forward(x, net, activations))
    print(f"same result (allclose): {agree}")
    pair = (_timer(layers.forward_loop, x, net, activations), _timer(layers.forward, x, net, activations))
    warm_up({"forward": pair})
    loop_ms, vectorized_ms = median_ms(pair, repeats)
    print(f"{'forward_loop ms':>16} | {'forward ms':>10} | {'ratio':>8}")
    print(f"{loop_ms:>16.2f} | {vectorized_ms:>10.4f} | {loop_ms / vectorized_ms:>7.0f}x")


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    except Exception as exc:  # informational script: always exit 0
        print(f"benchmark failed: {exc}")
    sys.exit(0)
