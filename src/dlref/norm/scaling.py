r"""Data scaling: min-max and standard (z-score) scalers fitted on training data only, and $L_p$ normalization.

A scaler learns its statistics from the training set in `fit` and applies that same
affine map, feature by feature, to any later data in `transform`. Fitting on the test
set, or on training and test together, leaks information about the test set into the
model; the scalers therefore refuse to `transform` before `fit`. Both are affine maps of
each feature: they shift and rescale the values but keep the shape of the distribution
(a skewed feature stays skewed, outliers stay outliers), and min-max scaling of test
data can leave $[0, 1]$.

**Constant features.** A feature whose training values are all equal (max = min) has
no spread to divide by. The rule, as scikit-learn's: its scale is taken as 1, and it is
centred on its value, so it transforms to the lower end of `feature_range`
(`MinMaxScaler`) or to 0 (`StandardScaler`) instead of dividing by zero.

[normalize][dlref.norm.normalize] is different: it rescales each *sample* (a vector
along `dim`) to unit $L_p$ norm and learns nothing.

Deliberate differences from scikit-learn: tensors in, tensors out (2-D,
(n_samples, n_features)); an unfitted scaler raises `ValueError` (scikit-learn's
`NotFittedError` is a subclass of it); only exactly constant features get scale 1
(scikit-learn also treats a spread within a few machine epsilons as constant).
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from dlref._checks import check_bool, check_dim, check_ndim, check_real, check_tensor, fail, fail_type

__all__ = ["MinMaxScaler", "StandardScaler", "normalize"]


def _check_data(fn: str, X: object, n_features: int | None = None) -> Tensor:
    """A 2-D floating-point tensor with at least one row (and `n_features` columns, once fitted)."""
    x = check_tensor(fn, "X", X)
    check_ndim(fn, "X", x, (2,), "(n_samples, n_features)")
    if x.shape[0] == 0:
        fail(fn, "X", "has no samples", f"shape {tuple(x.shape)}", "expected at least one row")
    if n_features is not None and x.shape[1] != n_features:
        fail(fn, "X", "has the wrong number of features", x.shape[1],
             f"expected {n_features}, the number of features seen in fit")
    return x


def _not_fitted(fn: str) -> ValueError:
    return ValueError(f"{fn}: the scaler is not fitted (got no call to fit); "
                      "call fit(X_train) or fit_transform(X_train) first, on the training data only")


class MinMaxScaler:
    r"""Rescale each feature to `feature_range` using the training minimum and maximum.

    $$
    x' = a + (b - a) \frac{x - \min_{\text{train}}}{\max_{\text{train}} - \min_{\text{train}}}
    $$

    Training data lands in $[a, b]$; test data can fall outside it. A constant feature
    ($\max = \min$) divides by 1 instead, so it maps to $a$.

    Args:
        feature_range: The target interval $(a, b)$ with $a < b$. Defaults to (0.0, 1.0).

    Attributes:
        data_min_: Per-feature training minimum, shape (n_features,).
        data_max_: Per-feature training maximum.
        data_range_: ``data_max_ - data_min_`` (0 for a constant feature, which divides by 1).
        n_features_in_: The number of features seen in `fit`.

    Raises:
        TypeError: If `feature_range` is not a pair of real numbers, or `X` not a floating-point tensor.
        ValueError: If $a \ge b$, `X` is not 2-D with at least one row, has another number of
            features than in `fit`, or `transform` is called before `fit`.

    Torch counterpart: none; `sklearn.preprocessing.MinMaxScaler` (same attribute names).

    References:
        - scikit-learn, [MinMaxScaler](https://scikit-learn.org/stable/modules/generated/sklearn.preprocessing.MinMaxScaler.html).

    Examples:
        >>> import torch
        >>> from dlref.norm import MinMaxScaler
        >>> scaler = MinMaxScaler().fit(torch.tensor([[0.0, 5.0], [10.0, 5.0]]))
        >>> scaler.transform(torch.tensor([[5.0, 5.0], [20.0, 6.0]]))  # test data may leave [0, 1]
        tensor([[0.5000, 0.0000],
                [2.0000, 1.0000]])
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        fn = "MinMaxScaler"
        if not isinstance(feature_range, (tuple, list)) or len(feature_range) != 2:
            fail_type(fn, "feature_range", feature_range, "expected a pair (a, b) of real numbers")
        a = check_real(fn, "feature_range[0]", feature_range[0])
        b = check_real(fn, "feature_range[1]", feature_range[1])
        if a >= b:
            fail(fn, "feature_range", "is empty", repr(feature_range), "expected (a, b) with a < b")
        self.feature_range = (a, b)
        self.data_min_: Tensor | None = None
        self.data_max_: Tensor | None = None
        self.data_range_: Tensor | None = None
        self.n_features_in_: int | None = None

    def _fitted(self, fn: str, X: object) -> tuple[Tensor, Tensor, Tensor]:
        """`X` checked against the fit, the training minimum and the divisor max − min (1 for a constant feature)."""
        if self.data_min_ is None or self.data_range_ is None or self.n_features_in_ is None:
            raise _not_fitted(fn)
        x = _check_data(fn, X, self.n_features_in_)
        # a constant feature has no spread: divide by 1 instead of 0
        divisor = torch.where(self.data_range_ == 0, torch.ones_like(self.data_range_), self.data_range_)
        return x, self.data_min_, divisor

    def fit(self, X: Tensor) -> MinMaxScaler:
        """Learn each feature's minimum and maximum from the training data `X` (n_samples, n_features)."""
        x = _check_data("MinMaxScaler.fit", X)
        self.data_min_ = x.min(dim=0).values
        self.data_max_ = x.max(dim=0).values
        self.data_range_ = self.data_max_ - self.data_min_
        self.n_features_in_ = x.shape[1]
        return self

    def transform(self, X: Tensor) -> Tensor:
        """Scale `X` with the training statistics: a + (b − a)(x − min) / (max − min)."""
        x, data_min, divisor = self._fitted("MinMaxScaler.transform", X)
        a, b = self.feature_range
        # x' = a + (b − a)(x − min) / (max − min)
        return a + (b - a) * (x - data_min) / divisor

    def fit_transform(self, X: Tensor) -> Tensor:
        """`fit` on `X`, then `transform` it."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: Tensor) -> Tensor:
        """Undo `transform`: x = min + (x' − a)(max − min) / (b − a)."""
        x, data_min, divisor = self._fitted("MinMaxScaler.inverse_transform", X)
        a, b = self.feature_range
        # x = min + (x' − a)(max − min) / (b − a)
        return data_min + (x - a) * divisor / (b - a)


class StandardScaler:
    r"""Standardize each feature to zero mean and unit variance with the training mean and standard deviation.

    $$
    x' = \frac{x - \mu_{\text{train}}}{\sigma_{\text{train}}}, \qquad
    \sigma_{\text{train}}^2 = \frac1n \sum_{i=1}^n (x_i - \mu_{\text{train}})^2
    $$

    (the biased variance, as scikit-learn). The training data gets mean 0 and standard
    deviation 1 per feature; nothing makes it normal. A constant feature ($\sigma = 0$)
    divides by 1 and is centred on its value, so it maps to 0.

    Args:
        with_mean: Subtract the mean. Defaults to True.
        with_std: Divide by the standard deviation. Defaults to True.

    Attributes:
        mean_: Per-feature training mean, shape (n_features,) (None without `with_mean`).
        var_: Per-feature biased training variance.
        scale_: Per-feature divisor $\sigma$, with 1 for a constant feature (None without `with_std`).

    Raises:
        TypeError: If `with_mean`/`with_std` is not a bool, or `X` not a floating-point tensor.
        ValueError: If `X` is not 2-D with at least one row, has another number of features
            than in `fit`, or `transform` is called before `fit`.

    Torch counterpart: none; `sklearn.preprocessing.StandardScaler` (same attribute names).

    References:
        - scikit-learn, [StandardScaler](https://scikit-learn.org/stable/modules/generated/sklearn.preprocessing.StandardScaler.html).

    Examples:
        >>> import torch
        >>> from dlref.norm import StandardScaler
        >>> scaler = StandardScaler().fit(torch.tensor([[1.0, 7.0], [3.0, 7.0]]))
        >>> scaler.mean_, scaler.scale_
        (tensor([2., 7.]), tensor([1., 1.]))
        >>> scaler.transform(torch.tensor([[4.0, 7.0]]))
        tensor([[2., 0.]])
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = check_bool("StandardScaler", "with_mean", with_mean)
        self.with_std = check_bool("StandardScaler", "with_std", with_std)
        self.mean_: Tensor | None = None
        self.var_: Tensor | None = None
        self.scale_: Tensor | None = None
        self.n_features_in_: int | None = None

    def fit(self, X: Tensor) -> StandardScaler:
        """Learn each feature's mean and standard deviation from the training data `X` (n_samples, n_features)."""
        x = _check_data("StandardScaler.fit", X)
        constant = x.max(dim=0).values == x.min(dim=0).values
        # μ = (1/n) Σ x; a constant feature is centred on its value exactly (the mean may round)
        mean = torch.where(constant, x[0], x.mean(dim=0))
        # σ² = (1/n) Σ (x − μ)²
        self.var_ = ((x - mean) ** 2).mean(dim=0)
        self.mean_ = mean if self.with_mean else None
        # σ, with 1 for a constant feature instead of 0
        self.scale_ = torch.where(constant, torch.ones_like(mean), self.var_.sqrt()) if self.with_std else None
        self.n_features_in_ = x.shape[1]
        return self

    def transform(self, X: Tensor) -> Tensor:
        """Standardize `X` with the training statistics: (x − μ) / σ."""
        fn = "StandardScaler.transform"
        if self.n_features_in_ is None:
            raise _not_fitted(fn)
        x = _check_data(fn, X, self.n_features_in_)
        # x' = (x − μ) / σ
        centered = x if self.mean_ is None else x - self.mean_
        return centered if self.scale_ is None else centered / self.scale_

    def fit_transform(self, X: Tensor) -> Tensor:
        """`fit` on `X`, then `transform` it."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: Tensor) -> Tensor:
        """Undo `transform`: x = x' σ + μ."""
        fn = "StandardScaler.inverse_transform"
        if self.n_features_in_ is None:
            raise _not_fitted(fn)
        x = _check_data(fn, X, self.n_features_in_)
        # x = x' σ + μ
        scaled = x if self.scale_ is None else x * self.scale_
        return scaled if self.mean_ is None else scaled + self.mean_


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    r"""Divide each vector along `dim` by its $L_p$ norm (at least `eps`), giving unit-norm vectors.

    $$
    v' = \frac{v}{\max(\lVert v \rVert_p, \epsilon)}, \qquad
    \lVert v \rVert_p = \Big(\sum_i |v_i|^p\Big)^{1/p}, \quad \lVert v \rVert_\infty = \max_i |v_i|
    $$

    A zero vector stays zero instead of dividing by zero.

    Args:
        input: Floating-point tensor.
        p: The norm's exponent, $p > 0$ (``math.inf`` for the max norm). Defaults to 2.0.
        dim: The dimension holding the vectors. Defaults to 1.
        eps: $\epsilon \ge 0$, the smallest divisor. Defaults to 1e-12.

    Shape:
        - Input: $(*)$, at least `dim` + 1 dimensions.
        - Output: the shape of the input.

    Returns:
        The normalized tensor.

    Raises:
        TypeError: If `input` is not a floating-point tensor, `p`/`eps` not a real number or `dim` not an int.
        ValueError: If `p` $\le 0$, `eps` is negative or not finite, or `dim` is out of range.

    Torch counterpart: `torch.nn.functional.normalize` (without its `out=` argument).

    References:
        - [torch.nn.functional.normalize](https://docs.pytorch.org/docs/stable/generated/torch.nn.functional.normalize.html)

    Examples:
        >>> import torch
        >>> from dlref.norm import normalize
        >>> normalize(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
        tensor([[0.6000, 0.8000],
                [0.0000, 0.0000]])
        >>> normalize(torch.tensor([[3.0, -1.0]]), p=1)
        tensor([[ 0.7500, -0.2500]])
    """
    fn = "normalize"
    x = check_tensor(fn, "input", input)
    if not (isinstance(p, (int, float)) and not isinstance(p, bool) and p == math.inf):
        p = check_real(fn, "p", p, low=0, low_open=True)
    dim = check_dim(fn, x, dim)
    eps = check_real(fn, "eps", eps, low=0)
    # ‖v‖_p = (Σ |v_i|^p)^(1/p), one per vector along dim (a norm primitive: its gradient at 0 is 0, not NaN)
    norm: Tensor = torch.linalg.vector_norm(x, ord=p, dim=dim, keepdim=True)
    # v' = v / max(‖v‖_p, ε)
    return x / norm.clamp_min(eps)
