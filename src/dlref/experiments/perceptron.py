r"""The perceptron on the logic gates: AND, OR and NAND are learned, XOR never is (basics chapter).

The four corners of the unit square, in the order $(0,0), (0,1), (1,0), (1,1)$,
labelled by a gate, are fed to [Perceptron.fit][dlref.layers.Perceptron.fit]
(zero initial weights, learning rate 1, samples in that order). The run records the
mistakes of every epoch and $(w_1, w_2, b)$ after it, which is what the basics
chapter prints and what [perceptron_boundaries][dlref.plots.perceptron_boundaries]
and [perceptron_mistakes][dlref.plots.perceptron_mistakes] draw.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import torch

from dlref._checks import check_choice, check_int
from dlref.layers import Perceptron

__all__ = ["GATES", "PerceptronRun", "perceptron_gates"]

GATES: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "XOR": (0, 1, 1, 0),
}
"""Each gate's output on the corners $(0,0), (0,1), (1,0), (1,1)$, in that order."""


class PerceptronRun(NamedTuple):
    """One training run of the perceptron on one gate."""

    history: tuple[int, ...]
    """Mistakes made in each epoch (a mistake is counted before the update it triggers)."""
    weights: tuple[tuple[float, float, float], ...]
    """$(w_1, w_2, b)$ at the end of each epoch."""
    converged: bool
    """Whether an epoch ended without a mistake."""


def _corners(dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """The four inputs $(0,0), (0,1), (1,0), (1,1)$, one per row, shape $(4, 2)$."""
    return torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=dtype)


def perceptron_gates(gate: str, max_epochs: int = 20) -> PerceptronRun:
    r"""Train a zero-initialized perceptron (learning rate 1) on a logic gate and record every epoch.

    The rule, applied after each sample in the order $(0,0), (0,1), (1,0), (1,1)$:
    $w \leftarrow w + (y - \hat{y})\,x$, $b \leftarrow b + (y - \hat{y})$, with
    $\hat{y} = H(w \cdot x + b)$ and $H(0) = 1$.

    Args:
        gate: ``"AND"``, ``"OR"``, ``"NAND"`` or ``"XOR"`` (see `GATES`).
        max_epochs: Most epochs, $\ge 1$. Defaults to 20.

    Returns:
        A `PerceptronRun`: mistakes per epoch, $(w_1, w_2, b)$ after each epoch, and
        whether training converged. Memoized: the same arguments return the same object.

    Raises:
        TypeError: If `max_epochs` is not an int.
        ValueError: If `gate` is not one of `GATES` or `max_epochs` < 1.

    References:
        - Rosenblatt, 1958: [The Perceptron: A Probabilistic Model for Information Storage and
          Organization in the Brain](https://doi.org/10.1037/h0042519)

    Examples:
        >>> from dlref.experiments import perceptron_gates
        >>> run = perceptron_gates("OR")
        >>> run.history, run.converged
        ((2, 2, 1, 0), True)
        >>> run.weights[-1]
        (1.0, 1.0, -1.0)
        >>> perceptron_gates("XOR").history[-3:], perceptron_gates("XOR").converged
        ((4, 4, 4), False)
    """
    fn = "perceptron_gates"
    name = check_choice(fn, "gate", gate, tuple(GATES))
    epochs = check_int(fn, "max_epochs", max_epochs, low=1)
    return _run(name, epochs)


@functools.cache
def _run(gate: str, max_epochs: int) -> PerceptronRun:
    perceptron = Perceptron(2, dtype=torch.float64)
    history = perceptron.fit(_corners(), torch.tensor(GATES[gate]), lr=1.0, max_epochs=max_epochs)
    weights = tuple((float(w[0]), float(w[1]), float(b)) for w, b in perceptron.weight_history)
    return PerceptronRun(tuple(history), weights, perceptron.converged)
