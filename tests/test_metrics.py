"""dlref.metrics against hand-computed cases and against loop-by-loop formulas on random labels; edge cases; errors."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import torch
from torch.testing import assert_close

from dlref import metrics as M

from .torch_reference import gen

Y_TRUE = torch.tensor([0, 0, 1, 2, 2, 2])
Y_PRED = torch.tensor([0, 1, 1, 2, 2, 0])


def t(values: list[float]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


# --------------------------------------------------------------------------- by hand


def test_hand_computed_case() -> None:
    # class 0: TP 1, FP 1 (a 2 called 0), FN 1;  class 1: TP 1, FP 1, FN 0;  class 2: TP 2, FP 0, FN 1
    assert M.confusion_matrix(Y_TRUE, Y_PRED).tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert M.accuracy(Y_TRUE, Y_PRED) == 4 / 6
    assert_close(M.precision(Y_TRUE, Y_PRED), t([1 / 2, 1 / 2, 2 / 2]))
    assert_close(M.recall(Y_TRUE, Y_PRED), t([1 / 2, 1 / 1, 2 / 3]))
    assert_close(M.f1(Y_TRUE, Y_PRED), t([2 / 4, 2 / 3, 4 / 5]))
    assert M.precision(Y_TRUE, Y_PRED, average="macro") == pytest.approx(2 / 3)
    assert M.recall(Y_TRUE, Y_PRED, average="macro") == pytest.approx((1 / 2 + 1 + 2 / 3) / 3)
    assert M.f1(Y_TRUE, Y_PRED, average="macro") == pytest.approx((1 / 2 + 2 / 3 + 4 / 5) / 3)


def test_macro_f1_is_the_mean_of_f1_not_the_f1_of_the_means() -> None:
    p = M.precision(Y_TRUE, Y_PRED, average="macro")
    r = M.recall(Y_TRUE, Y_PRED, average="macro")
    assert M.f1(Y_TRUE, Y_PRED, average="macro") != pytest.approx(2 * p * r / (p + r))


def test_f1_is_the_harmonic_mean_where_defined() -> None:
    p, r, f = M.precision(Y_TRUE, Y_PRED), M.recall(Y_TRUE, Y_PRED), M.f1(Y_TRUE, Y_PRED)
    assert_close(f, 2 * p * r / (p + r))


# --------------------------------------------------------------------------- edge cases


def test_a_class_never_predicted_has_precision_zero() -> None:
    y_true, y_pred = torch.tensor([0, 1, 1, 2]), torch.tensor([0, 0, 0, 2])  # class 1 never predicted
    assert_close(M.precision(y_true, y_pred), t([1 / 3, 0.0, 1.0]))
    assert_close(M.recall(y_true, y_pred), t([1.0, 0.0, 1.0]))
    assert_close(M.f1(y_true, y_pred), t([0.5, 0.0, 1.0]))


def test_a_class_absent_from_the_targets_has_recall_zero_and_counts_in_the_macro_mean() -> None:
    y_true, y_pred = torch.tensor([0, 0, 2, 2]), torch.tensor([0, 1, 2, 2])  # class 1 absent, predicted once
    assert M.confusion_matrix(y_true, y_pred).tolist() == [[1, 1, 0], [0, 0, 0], [0, 0, 2]]
    assert_close(M.recall(y_true, y_pred), t([0.5, 0.0, 1.0]))
    assert_close(M.precision(y_true, y_pred), t([1.0, 0.0, 1.0]))
    assert M.recall(y_true, y_pred, average="macro") == pytest.approx(0.5)


def test_num_classes_adds_classes_absent_from_both() -> None:
    C = M.confusion_matrix(Y_TRUE, Y_PRED, num_classes=5)
    assert C.shape == (5, 5) and C[3:].sum() == 0 and C[:, 3:].sum() == 0
    assert_close(M.f1(Y_TRUE, Y_PRED, num_classes=5), t([2 / 4, 2 / 3, 4 / 5, 0.0, 0.0]))
    assert M.precision(Y_TRUE, Y_PRED, num_classes=4, average="macro") == pytest.approx(2 / 4)


def test_a_single_sample() -> None:
    right, wrong = torch.tensor([2]), torch.tensor([1])
    assert M.accuracy(right, right) == 1.0 and M.accuracy(right, wrong) == 0.0
    assert M.confusion_matrix(right, wrong).tolist() == [[0, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert_close(M.precision(right, right), t([0.0, 0.0, 1.0]))
    assert_close(M.f1(right, wrong), t([0.0, 0.0, 0.0]))
    assert M.f1(right, right, num_classes=3, average="macro") == pytest.approx(1 / 3)


def test_perfect_and_constant_predictions() -> None:
    y = torch.arange(4).repeat(5)
    assert M.accuracy(y, y) == 1.0 and M.f1(y, y, average="macro") == 1.0
    constant = torch.zeros_like(y)  # always class 0 on balanced classes: chance accuracy
    assert M.accuracy(y, constant) == 0.25
    assert_close(M.precision(y, constant), t([0.25, 0.0, 0.0, 0.0]))
    assert_close(M.recall(y, constant), t([1.0, 0.0, 0.0, 0.0]))


def test_any_integer_dtype() -> None:
    for dtype in (torch.int8, torch.int32, torch.uint8):
        assert M.confusion_matrix(Y_TRUE.to(dtype), Y_PRED.to(dtype)).tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


# --------------------------------------------------------------------------- random, against loops


def loop_metrics(y_true: list[int], y_pred: list[int], k: int) -> dict[str, list[float]]:
    """Each metric by its definition, one sample and one class at a time, with the zero-division rule."""
    out: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    for c in range(k):
        tp = sum(1 for a, b in zip(y_true, y_pred, strict=True) if a == c and b == c)
        predicted = sum(1 for b in y_pred if b == c)
        actual = sum(1 for a in y_true if a == c)
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        out["precision"].append(p)
        out["recall"].append(r)
        out["f1"].append(2 * p * r / (p + r) if p + r else 0.0)
    return out


@pytest.mark.parametrize("seed", range(20))
def test_random_labels_against_loops(seed: int) -> None:
    g = gen(seed)
    k = int(torch.randint(1, 7, (), generator=g))
    n = int(torch.randint(1, 60, (), generator=g))
    y_true = torch.randint(0, k, (n,), generator=g)
    # predictions right about half the time, so every count is exercised
    y_pred = torch.where(torch.rand(n, generator=g) < 0.5, y_true, torch.randint(0, k, (n,), generator=g))
    yt, yp = y_true.tolist(), y_pred.tolist()
    C = M.confusion_matrix(y_true, y_pred, num_classes=k)
    assert C.tolist() == [[sum(1 for a, b in zip(yt, yp, strict=True) if (a, b) == (i, j)) for j in range(k)]
                          for i in range(k)]
    assert M.accuracy(y_true, y_pred) == sum(a == b for a, b in zip(yt, yp, strict=True)) / n
    expected = loop_metrics(yt, yp, k)
    for name in ("precision", "recall", "f1"):
        fn = getattr(M, name)
        assert_close(fn(y_true, y_pred, num_classes=k), t(expected[name]))
        assert fn(y_true, y_pred, num_classes=k, average="macro") == pytest.approx(sum(expected[name]) / k)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("fn", [M.accuracy, M.confusion_matrix, M.precision, M.recall, M.f1])
def test_errors_shared_by_every_metric(fn: Callable[..., object]) -> None:
    name = fn.__name__
    with pytest.raises(TypeError, match=re.escape(f"{name}: y_true has the wrong type (got list); "
                                                  "expected a torch.Tensor")):
        fn([0, 1], Y_PRED)
    with pytest.raises(TypeError, match=re.escape(f"{name}: y_pred has the wrong dtype (got torch.float32); "
                                                  "expected an integer tensor of class indices")):
        fn(Y_TRUE, torch.zeros(6))
    with pytest.raises(TypeError, match=re.escape(f"{name}: y_true has the wrong dtype (got torch.bool)")):
        fn(Y_TRUE > 0, Y_PRED)
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_true has the wrong number of dimensions "
                                                   "(got 2-D of shape (2, 3)); expected 1-D (N,) of class indices")):
        fn(Y_TRUE.reshape(2, 3), Y_PRED)
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_pred has a different shape from y_true (got (5,)); "
                                                   "expected (6,)")):
        fn(Y_TRUE, Y_PRED[:5])
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_true has no samples (got shape (0,)); "
                                                   "expected at least one sample")):
        fn(torch.tensor([], dtype=torch.int64), torch.tensor([], dtype=torch.int64))
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_pred has a class index out of range "
                                                   "(got -1 at index (2,)); expected class indices in 0..2")):
        fn(Y_TRUE, torch.tensor([0, 1, -1, 2, 2, 0]))


@pytest.mark.parametrize("fn", [M.confusion_matrix, M.precision, M.recall, M.f1])
def test_num_classes_errors(fn: Callable[..., object]) -> None:
    name = fn.__name__
    with pytest.raises(ValueError, match=re.escape(f"{name}: y_true has a class index out of range "
                                                   "(got 2 at index (3,)); expected class indices in 0..1")):
        fn(Y_TRUE, Y_PRED, num_classes=2)
    with pytest.raises(ValueError, match=re.escape(f"{name}: num_classes is out of range (got 0); "
                                                   "expected an int >= 1")):
        fn(Y_TRUE, Y_PRED, num_classes=0)
    with pytest.raises(TypeError, match=re.escape(f"{name}: num_classes has the wrong type (got float); "
                                                  "expected an int")):
        fn(Y_TRUE, Y_PRED, num_classes=3.0)


@pytest.mark.parametrize("fn", [M.precision, M.recall, M.f1])
def test_average_must_be_none_or_macro(fn: Callable[..., object]) -> None:
    with pytest.raises(ValueError, match=re.escape(f"{fn.__name__}: average is not a valid choice (got 'micro'); "
                                                   "expected one of None, 'macro'")):
        fn(Y_TRUE, Y_PRED, average="micro")
