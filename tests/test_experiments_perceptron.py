"""dlref.experiments.perceptron: the perceptron on AND, OR, NAND and XOR, checked against an independent loop."""

from __future__ import annotations

import pytest
import torch

from dlref.experiments import perceptron_gates
from dlref.experiments.perceptron import GATES
from dlref.layers import Perceptron

CORNERS = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)


def _reference(labels: tuple[int, ...], max_epochs: int) -> tuple[list[int], list[tuple[float, float, float]]]:
    """Rosenblatt's rule written out on Python floats, with H(0) = 1."""
    w1 = w2 = b = 0.0
    history, weights = [], []
    for _ in range(max_epochs):
        mistakes = 0
        for (x1, x2), y in zip(CORNERS.tolist(), labels, strict=True):
            y_hat = 1.0 if w1 * x1 + w2 * x2 + b >= 0 else 0.0
            w1, w2, b = w1 + (y - y_hat) * x1, w2 + (y - y_hat) * x2, b + (y - y_hat)
            mistakes += y_hat != y
        history.append(mistakes)
        weights.append((w1, w2, b))
        if mistakes == 0:
            break
    return history, weights


@pytest.mark.parametrize("gate", GATES)
def test_runs_match_an_independent_loop(gate: str) -> None:
    run = perceptron_gates(gate, max_epochs=30)
    history, weights = _reference(GATES[gate], 30)
    assert list(run.history) == history
    assert list(run.weights) == weights
    assert run.converged == (history[-1] == 0)


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND"])
def test_the_linearly_separable_gates_are_learned(gate: str) -> None:
    run = perceptron_gates(gate)
    assert run.converged and run.history[-1] == 0 and all(m > 0 for m in run.history[:-1])
    w1, w2, b = run.weights[-1]
    p = Perceptron(2, dtype=torch.float64)
    p.weight, p.bias = torch.tensor([w1, w2], dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    assert p.predict(CORNERS).tolist() == [float(y) for y in GATES[gate]]


def test_known_histories() -> None:
    assert perceptron_gates("AND").history == (2, 3, 3, 2, 1, 0)
    assert perceptron_gates("OR").history == (2, 2, 1, 0)
    assert perceptron_gates("AND").weights[-1] == (2.0, 1.0, -3.0)
    assert perceptron_gates("OR").weights[-1] == (1.0, 1.0, -1.0)


@pytest.mark.parametrize("max_epochs", [5, 20, 100])
def test_xor_never_converges_and_cycles(max_epochs: int) -> None:
    run = perceptron_gates("XOR", max_epochs=max_epochs)
    assert not run.converged and len(run.history) == max_epochs and min(run.history) > 0
    # from epoch 2 on, every epoch ends in the same state: the run is a cycle
    assert len(set(run.weights[1:])) == 1


def test_memoized() -> None:
    assert perceptron_gates("AND") is perceptron_gates("AND", max_epochs=20)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"gate": "XNOR"}, ValueError,
     r"perceptron_gates: gate is not a valid choice \(got 'XNOR'\); expected one of 'AND', 'OR', 'NAND', 'XOR'"),
    ({"gate": "AND", "max_epochs": 0}, ValueError,
     r"perceptron_gates: max_epochs is out of range \(got 0\); expected an int >= 1"),
    ({"gate": "AND", "max_epochs": 2.0}, TypeError,
     r"perceptron_gates: max_epochs has the wrong type \(got float\); expected an int"),
])
def test_bad_arguments(kwargs: dict, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        perceptron_gates(**kwargs)
