r"""Classification metrics: accuracy, the confusion matrix, and per-class and macro precision, recall and F1.

Every metric here is a count read off the confusion matrix $C$ of $K$ classes, where
$C_{ij}$ is the number of samples of true class $i$ predicted as class $j$ (rows: true
class, columns: predicted class, as in scikit-learn). For class $k$,

$$
\text{TP}_k = C_{kk}, \qquad
\text{FP}_k = \sum_{i \ne k} C_{ik}, \qquad
\text{FN}_k = \sum_{j \ne k} C_{kj},
$$

so the column sum $\text{TP}_k + \text{FP}_k$ counts the samples *predicted* as $k$ and the
row sum $\text{TP}_k + \text{FN}_k$ the samples that *are* $k$ (the class's support).
Accuracy is the trace over the total. Precision asks "of what I called $k$, how much was
$k$?", recall "of the real $k$, how much did I find?", and F1 is their harmonic mean.

**Zero division.** A class that is never predicted has no precision to speak of
($0/0$); a class absent from the targets has no recall. The rule, as scikit-learn's
``zero_division=0``: such a ratio is **0**. F1 is computed as
$2\,\text{TP} / (2\,\text{TP} + \text{FP} + \text{FN})$, equal to the harmonic mean of
precision and recall whenever they are defined and 0 when $\text{TP} = 0$.

**Macro average** is the plain mean over the $K$ classes, each class weighing the same
whatever its support; an absent or never-predicted class counts with its 0, which pulls
the average down (that is the point: it shows a class the model ignores). Macro F1 is
the mean of the per-class F1 scores, not the F1 of macro precision and macro recall.

Inputs are class indices, not scores: pass ``logits.argmax(dim=1)``. Deliberate
differences from scikit-learn: tensors in; the classes are $0, \dots, K - 1$ with $K$ =
`num_classes`, or the largest index seen plus one when it is None (scikit-learn uses the
sorted set of labels present, so a label missing in the middle is dropped there and
counted here); no warning on a zero division.
"""

from __future__ import annotations

from typing import Literal, overload

import torch
from torch import Tensor

from dlref._checks import check_choice, check_int, check_ndim, check_tensor, check_values, fail, message

__all__ = ["accuracy", "confusion_matrix", "f1", "precision", "recall"]

_AVERAGES = (None, "macro")


# --------------------------------------------------------------------------- checks


def _check_labels(fn: str, y_true: object, y_pred: object, num_classes: object = None) -> tuple[Tensor, Tensor, int]:
    """Two 1-D integer tensors of class indices, one shape, at least one sample; K from num_classes or the data."""
    tensors = []
    for name, value in (("y_true", y_true), ("y_pred", y_pred)):
        t = check_tensor(fn, name, value, floating=False)
        if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
            raise TypeError(message(fn, name, "has the wrong dtype", t.dtype,
                                    "expected an integer tensor of class indices (use logits.argmax(dim=1))"))
        check_ndim(fn, name, t, (1,), "(N,) of class indices")
        tensors.append(t)
    true, pred = tensors
    if pred.shape != true.shape:
        fail(fn, "y_pred", "has a different shape from y_true", tuple(pred.shape), f"expected {tuple(true.shape)}")
    if true.numel() == 0:
        fail(fn, "y_true", "has no samples", "shape (0,)", "expected at least one sample")
    if num_classes is None:
        k = int(max(true.max().item(), pred.max().item())) + 1
    else:
        k = check_int(fn, "num_classes", num_classes, low=1)
    for name, t in (("y_true", true), ("y_pred", pred)):
        check_values(fn, name, t, (t >= 0) & (t < k), f"expected class indices in 0..{k - 1}",
                     "has a class index out of range")
    return true.long(), pred.long(), k


# --------------------------------------------------------------------------- counts


def confusion_matrix(y_true: Tensor, y_pred: Tensor, num_classes: int | None = None) -> Tensor:
    r"""The $K \times K$ table of counts: row = true class, column = predicted class.

    $$
    C_{ij} = \#\{\, n : y_n = i,\ \hat y_n = j \,\}
    $$

    The diagonal holds the correct predictions; row $i$ sums to the number of samples of
    class $i$, column $j$ to the number predicted as $j$.

    Args:
        y_true: True class indices.
        y_pred: Predicted class indices.
        num_classes: $K$. Defaults to None (the largest index in either tensor plus one).

    Shape:
        - y_true, y_pred: $(N)$, integer.
        - Output: $(K, K)$, int64.

    Returns:
        The confusion matrix.

    Raises:
        TypeError: If `y_true` or `y_pred` is not an integer tensor, or `num_classes` not an int.
        ValueError: If they are not 1-D of one shape with at least one sample, `num_classes` < 1,
            or an index is outside $0, \dots, K - 1$.

    Torch counterpart: none; `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(K))`.

    References:
        - Fawcett, [An introduction to ROC analysis](https://doi.org/10.1016/j.patrec.2005.10.010),
          Pattern Recognition Letters, 2006.

    Examples:
        >>> import torch
        >>> from dlref.metrics import confusion_matrix
        >>> confusion_matrix(torch.tensor([0, 0, 1, 2, 2, 2]), torch.tensor([0, 1, 1, 2, 2, 0]))
        tensor([[1, 1, 0],
                [0, 1, 0],
                [1, 0, 2]])
    """
    true, pred, k = _check_labels("confusion_matrix", y_true, y_pred, num_classes)
    C = torch.zeros(k, k, dtype=torch.int64)
    # C[y_n, ŷ_n] += 1 for every sample n (accumulate: repeated pairs add up)
    C.index_put_((true, pred), torch.ones_like(true), accumulate=True)
    return C


def accuracy(y_true: Tensor, y_pred: Tensor) -> float:
    r"""The fraction of samples whose predicted class is the true class.

    $$
    \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} [\hat y_n = y_n] = \frac{\operatorname{tr} C}{N}
    $$

    With four balanced classes, guessing scores 0.25 on average; a model that always
    predicts one class scores exactly 0.25 too.

    Args:
        y_true: True class indices.
        y_pred: Predicted class indices.

    Shape:
        - y_true, y_pred: $(N)$, integer.

    Returns:
        The accuracy, a float in $[0, 1]$.

    Raises:
        TypeError: If `y_true` or `y_pred` is not an integer tensor.
        ValueError: If they are not 1-D of one shape with at least one sample, or hold a negative index.

    Torch counterpart: none; `sklearn.metrics.accuracy_score(y_true, y_pred)`.

    Examples:
        >>> import torch
        >>> from dlref.metrics import accuracy
        >>> accuracy(torch.tensor([0, 0, 1, 2, 2, 2]), torch.tensor([0, 1, 1, 2, 2, 0]))
        0.6666666666666666
    """
    true, pred, _ = _check_labels("accuracy", y_true, y_pred)
    # (1/N) Σ_n [ŷ_n = y_n]
    return (pred == true).sum().item() / true.numel()


def _ratio(numerator: Tensor, denominator: Tensor) -> Tensor:
    """numerator / denominator per class, with 0 where the denominator is 0 (the zero-division rule)."""
    safe = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
    return torch.where(denominator == 0, torch.zeros_like(numerator), numerator / safe)


def _per_class(fn: str, y_true: object, y_pred: object, num_classes: object, average: object
               ) -> tuple[Tensor, Tensor, Tensor, str | None]:
    """TP, FP, FN per class (float64, shape (K,)) from the confusion matrix, and the checked `average`."""
    average = check_choice(fn, "average", average, _AVERAGES)
    true, pred, k = _check_labels(fn, y_true, y_pred, num_classes)
    C = confusion_matrix(true, pred, k).double()
    # TP_k = C_kk;  TP_k + FP_k = Σ_i C_ik (column: predicted as k);  TP_k + FN_k = Σ_j C_kj (row: really k)
    tp = torch.diagonal(C)
    fp = C.sum(dim=0) - tp
    fn_ = C.sum(dim=1) - tp
    return tp, fp, fn_, average


def _average(per_class: Tensor, average: str | None) -> Tensor | float:
    # macro: (1/K) Σ_k score_k, every class weighing the same
    return per_class if average is None else per_class.mean().item()


@overload
def precision(y_true: Tensor, y_pred: Tensor, num_classes: int | None = ..., average: None = ...) -> Tensor: ...
@overload
def precision(y_true: Tensor, y_pred: Tensor, num_classes: int | None = ..., *, average: Literal["macro"]) -> float: ...


def precision(y_true: Tensor, y_pred: Tensor, num_classes: int | None = None,
              average: Literal["macro"] | None = None) -> Tensor | float:
    r"""Per-class (or macro) precision: of the samples predicted as class $k$, the fraction that are $k$.

    $$
    P_k = \frac{\text{TP}_k}{\text{TP}_k + \text{FP}_k}, \quad P_k = 0 \text{ if class } k \text{ is never predicted};
    \qquad P_{\text{macro}} = \frac{1}{K}\sum_{k} P_k
    $$

    Args:
        y_true: True class indices.
        y_pred: Predicted class indices.
        num_classes: $K$. Defaults to None (the largest index in either tensor plus one).
        average: None for one score per class, ``"macro"`` for their plain mean. Defaults to None.

    Shape:
        - y_true, y_pred: $(N)$, integer.
        - Output: $(K)$, float64, for ``average=None``; a float for ``"macro"``.

    Returns:
        The precision of each class, or their mean.

    Raises:
        TypeError: If `y_true` or `y_pred` is not an integer tensor, or `num_classes` not an int.
        ValueError: If `average` is not None or ``"macro"``, the tensors are not 1-D of one shape
            with at least one sample, `num_classes` < 1, or an index is outside $0, \dots, K - 1$.

    Torch counterpart: none; `sklearn.metrics.precision_score(y_true, y_pred, labels=range(K),
    average=average, zero_division=0)`.

    Examples:
        >>> import torch
        >>> from dlref.metrics import precision
        >>> y_true, y_pred = torch.tensor([0, 0, 1, 2, 2, 2]), torch.tensor([0, 1, 1, 2, 2, 0])
        >>> precision(y_true, y_pred)
        tensor([0.5000, 0.5000, 1.0000], dtype=torch.float64)
        >>> precision(y_true, y_pred, num_classes=4)  # class 3 is never predicted: 0 by convention
        tensor([0.5000, 0.5000, 1.0000, 0.0000], dtype=torch.float64)
        >>> precision(y_true, y_pred, average="macro")
        0.6666666666666666
    """
    tp, fp, _, mode = _per_class("precision", y_true, y_pred, num_classes, average)
    # P_k = TP_k / (TP_k + FP_k), 0 when nothing was predicted as k
    return _average(_ratio(tp, tp + fp), mode)


@overload
def recall(y_true: Tensor, y_pred: Tensor, num_classes: int | None = ..., average: None = ...) -> Tensor: ...
@overload
def recall(y_true: Tensor, y_pred: Tensor, num_classes: int | None = ..., *, average: Literal["macro"]) -> float: ...


def recall(y_true: Tensor, y_pred: Tensor, num_classes: int | None = None,
           average: Literal["macro"] | None = None) -> Tensor | float:
    r"""Per-class (or macro) recall: of the samples of class $k$, the fraction predicted as $k$.

    $$
    R_k = \frac{\text{TP}_k}{\text{TP}_k + \text{FN}_k}, \quad R_k = 0 \text{ if class } k \text{ is absent};
    \qquad R_{\text{macro}} = \frac{1}{K}\sum_{k} R_k
    $$

    Recall is the per-class accuracy; with balanced classes macro recall equals accuracy.

    Args:
        y_true: True class indices.
        y_pred: Predicted class indices.
        num_classes: $K$. Defaults to None (the largest index in either tensor plus one).
        average: None for one score per class, ``"macro"`` for their plain mean. Defaults to None.

    Shape:
        - y_true, y_pred: $(N)$, integer.
        - Output: $(K)$, float64, for ``average=None``; a float for ``"macro"``.

    Returns:
        The recall of each class, or their mean.

    Raises:
        TypeError: If `y_true` or `y_pred` is not an integer tensor, or `num_classes` not an int.
        ValueError: If `average` is not None or ``"macro"``, the tensors are not 1-D of one shape
            with at least one sample, `num_classes` < 1, or an index is outside $0, \dots, K - 1$.

    Torch counterpart: none; `sklearn.metrics.recall_score(y_true, y_pred, labels=range(K),
    average=average, zero_division=0)`.

    Examples:
        >>> import torch
        >>> from dlref.metrics import recall
        >>> y_true, y_pred = torch.tensor([0, 0, 1, 2, 2, 2]), torch.tensor([0, 1, 1, 2, 2, 0])
        >>> recall(y_true, y_pred)
        tensor([0.5000, 1.0000, 0.6667], dtype=torch.float64)
        >>> recall(y_true, y_pred, average="macro")
        0.7222222222222222
    """
    tp, _, fn_, mode = _per_class("recall", y_true, y_pred, num_classes, average)
    # R_k = TP_k / (TP_k + FN_k), 0 when class k has no samples
    return _average(_ratio(tp, tp + fn_), mode)


@overload
def f1(y_true: Tensor, y_pred: Tensor, num_classes: int | None = ..., average: None = ...) -> Tensor: ...
@overload
def f1(y_true: Tensor, y_pred: Tensor, num_classes: int | None = ..., *, average: Literal["macro"]) -> float: ...


def f1(y_true: Tensor, y_pred: Tensor, num_classes: int | None = None,
       average: Literal["macro"] | None = None) -> Tensor | float:
    r"""Per-class (or macro) F1 score: the harmonic mean of precision and recall.

    $$
    F_{1,k} = \frac{2 P_k R_k}{P_k + R_k} = \frac{2\,\text{TP}_k}{2\,\text{TP}_k + \text{FP}_k + \text{FN}_k},
    \quad F_{1,k} = 0 \text{ if } \text{TP}_k = 0;
    \qquad F_{1,\text{macro}} = \frac{1}{K}\sum_{k} F_{1,k}
    $$

    The count form on the right is the one computed: it needs no special case when
    $P_k$ or $R_k$ is undefined. The harmonic mean sits near the smaller of the two, so
    a class with high precision but low recall gets a low F1.

    Args:
        y_true: True class indices.
        y_pred: Predicted class indices.
        num_classes: $K$. Defaults to None (the largest index in either tensor plus one).
        average: None for one score per class, ``"macro"`` for their plain mean. Defaults to None.

    Shape:
        - y_true, y_pred: $(N)$, integer.
        - Output: $(K)$, float64, for ``average=None``; a float for ``"macro"``.

    Returns:
        The F1 score of each class, or their mean.

    Raises:
        TypeError: If `y_true` or `y_pred` is not an integer tensor, or `num_classes` not an int.
        ValueError: If `average` is not None or ``"macro"``, the tensors are not 1-D of one shape
            with at least one sample, `num_classes` < 1, or an index is outside $0, \dots, K - 1$.

    Torch counterpart: none; `sklearn.metrics.f1_score(y_true, y_pred, labels=range(K),
    average=average, zero_division=0)`.

    References:
        - van Rijsbergen, *Information Retrieval*, 2nd ed., Butterworths, 1979, ch. 7.

    Examples:
        >>> import torch
        >>> from dlref.metrics import f1
        >>> y_true, y_pred = torch.tensor([0, 0, 1, 2, 2, 2]), torch.tensor([0, 1, 1, 2, 2, 0])
        >>> f1(y_true, y_pred)
        tensor([0.5000, 0.6667, 0.8000], dtype=torch.float64)
        >>> f1(y_true, y_pred, average="macro")
        0.6555555555555556
    """
    tp, fp, fn_, mode = _per_class("f1", y_true, y_pred, num_classes, average)
    # F1_k = 2 TP_k / (2 TP_k + FP_k + FN_k), 0 when TP_k = FP_k = FN_k = 0
    return _average(_ratio(2 * tp, 2 * tp + fp + fn_), mode)
