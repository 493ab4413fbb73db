"""dlref.norm scalers against hand computation (fit on train, applied to test); normalize against F.normalize."""

from __future__ import annotations

import math
import re
import statistics

import pytest
import torch
import torch.nn.functional as F
from torch.testing import assert_close

from dlref.norm import MinMaxScaler, StandardScaler, normalize

from .torch_reference import DT, gen, same

TRAIN = [[1.0, 10.0, -3.0], [2.0, 30.0, -1.0], [4.0, 20.0, 5.0], [5.0, 40.0, 3.0]]
TEST = [[0.0, 25.0, 1.0], [6.0, 50.0, -5.0]]


def raises(exc: type[Exception], message: str):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def columns(rows: list[list[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*rows, strict=True)]


# --------------------------------------------------------------------------- the scalers, by hand


@pytest.mark.parametrize("feature_range", [(0.0, 1.0), (-1.0, 1.0), (2, 5)])
def test_min_max_scaler_fitted_on_train_applied_to_test_matches_hand_computation(feature_range) -> None:
    a, b = feature_range
    lows = [min(col) for col in columns(TRAIN)]
    highs = [max(col) for col in columns(TRAIN)]
    scaler = MinMaxScaler(feature_range).fit(torch.tensor(TRAIN, dtype=DT))
    for rows in (TRAIN, TEST):
        expected = [[a + (b - a) * (v - lo) / (hi - lo) for v, lo, hi in zip(row, lows, highs, strict=True)]
                    for row in rows]
        assert_close(scaler.transform(torch.tensor(rows, dtype=DT)), torch.tensor(expected, dtype=DT))
    train = scaler.transform(torch.tensor(TRAIN, dtype=DT))
    assert train.min(0).values.tolist() == [a] * 3 and train.max(0).values.tolist() == [b] * 3
    test = scaler.transform(torch.tensor(TEST, dtype=DT))
    assert float(test.min()) < a and float(test.max()) > b  # test data may leave the range
    assert_close(scaler.inverse_transform(test), torch.tensor(TEST, dtype=DT))
    assert scaler.data_min_.tolist() == lows and scaler.data_range_.tolist() == [h - lo for h, lo in
                                                                                 zip(highs, lows, strict=True)]


def test_standard_scaler_fitted_on_train_applied_to_test_matches_hand_computation() -> None:
    means = [statistics.fmean(col) for col in columns(TRAIN)]
    stds = [statistics.pstdev(col) for col in columns(TRAIN)]  # the population (biased) standard deviation
    scaler = StandardScaler().fit(torch.tensor(TRAIN, dtype=DT))
    for rows in (TRAIN, TEST):
        expected = [[(v - m) / s for v, m, s in zip(row, means, stds, strict=True)] for row in rows]
        assert_close(scaler.transform(torch.tensor(rows, dtype=DT)), torch.tensor(expected, dtype=DT))
    train = scaler.transform(torch.tensor(TRAIN, dtype=DT))
    assert_close(train.mean(0), torch.zeros(3, dtype=DT))
    assert_close(train.std(0, correction=0), torch.ones(3, dtype=DT))
    assert_close(scaler.mean_, torch.tensor(means, dtype=DT))
    assert_close(scaler.var_, torch.tensor(stds, dtype=DT) ** 2)
    test = torch.tensor(TEST, dtype=DT)
    assert_close(scaler.inverse_transform(scaler.transform(test)), test)


def test_standard_scaler_without_mean_or_std() -> None:
    x = torch.tensor(TRAIN, dtype=DT)
    only_std = StandardScaler(with_mean=False).fit(x)
    assert only_std.mean_ is None
    assert_close(only_std.transform(x), x / x.std(0, correction=0))
    only_mean = StandardScaler(with_std=False).fit(x)
    assert only_mean.scale_ is None
    assert_close(only_mean.transform(x), x - x.mean(0))
    assert_close(StandardScaler(False, False).fit_transform(x), x)


def test_fit_transform_is_fit_then_transform_and_leaks_nothing_from_test() -> None:
    train = torch.tensor(TRAIN, dtype=DT)
    assert_close(StandardScaler().fit_transform(train), StandardScaler().fit(train).transform(train))
    assert_close(MinMaxScaler().fit_transform(train), MinMaxScaler().fit(train).transform(train))
    scaler = StandardScaler().fit(train)
    before = scaler.mean_.clone()
    scaler.transform(torch.tensor(TEST, dtype=DT))
    assert torch.equal(scaler.mean_, before)  # transform never refits


def test_a_constant_feature_divides_by_one() -> None:
    """The rule: max = min in training gives scale 1, centred on the value (min-max: to a; z-score: to 0)."""
    train = torch.tensor([[0.1, 1.0], [0.1, 3.0], [0.1, 2.0]], dtype=DT)  # the mean of 0.1, 0.1, 0.1 rounds
    test = torch.tensor([[0.1, 2.0], [0.6, 2.0]], dtype=DT)
    z = StandardScaler().fit(train)
    assert z.scale_.tolist()[0] == 1.0 and z.mean_.tolist()[0] == 0.1
    assert z.transform(train)[:, 0].tolist() == [0.0, 0.0, 0.0]
    assert_close(z.transform(test)[:, 0], torch.tensor([0.0, 0.5], dtype=DT))
    m = MinMaxScaler((-1.0, 1.0)).fit(train)
    assert m.data_range_.tolist()[0] == 0.0
    assert m.transform(train)[:, 0].tolist() == [-1.0, -1.0, -1.0]
    assert_close(m.transform(test)[:, 0], torch.tensor([-1.0, 0.0], dtype=DT))
    assert_close(m.inverse_transform(m.transform(train)), train)
    assert torch.isfinite(z.transform(test)).all() and torch.isfinite(m.transform(test)).all()
    one_row = torch.tensor([[3.0, -2.0]], dtype=DT)  # a single sample: every feature is constant
    assert StandardScaler().fit_transform(one_row).tolist() == [[0.0, 0.0]]


@pytest.mark.parametrize("cls", [MinMaxScaler, StandardScaler])
def test_transform_before_fit_and_bad_data_raise(cls) -> None:
    name = cls.__name__
    for method in ("transform", "inverse_transform"):
        with raises(ValueError, f"{name}.{method}: the scaler is not fitted (got no call to fit); "
                                "call fit(X_train) or fit_transform(X_train) first, on the training data only"):
            getattr(cls(), method)(torch.ones(2, 3))
    scaler = cls().fit(torch.tensor(TRAIN, dtype=DT))
    with raises(ValueError, f"{name}.transform: X has the wrong number of features (got 2); "
                            "expected 3, the number of features seen in fit"):
        scaler.transform(torch.ones(4, 2, dtype=DT))
    with raises(ValueError, f"{name}.fit: X has the wrong number of dimensions (got 1-D of shape (3,)); "
                            "expected 2-D (n_samples, n_features)"):
        cls().fit(torch.ones(3))
    with raises(ValueError, f"{name}.fit: X has no samples (got shape (0, 3)); expected at least one row"):
        cls().fit(torch.ones(0, 3))
    with raises(TypeError, f"{name}.fit: X has the wrong type (got list); expected a torch.Tensor"):
        cls().fit(TRAIN)
    with raises(TypeError, f"{name}.fit: X has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        cls().fit(torch.ones(2, 3, dtype=torch.long))


def test_constructor_arguments_are_checked() -> None:
    with raises(ValueError, "MinMaxScaler: feature_range is empty (got (1.0, 1.0)); expected (a, b) with a < b"):
        MinMaxScaler((1.0, 1.0))
    with raises(TypeError, "MinMaxScaler: feature_range has the wrong type (got float); "
                           "expected a pair (a, b) of real numbers"):
        MinMaxScaler(1.0)
    with raises(TypeError, "MinMaxScaler: feature_range[1] has the wrong type (got str); "
                           "expected a real number (int or float)"):
        MinMaxScaler((0, "1"))
    with raises(TypeError, "StandardScaler: with_mean has the wrong type (got int); expected True or False"):
        StandardScaler(1)


# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize("p", [2.0, 1, 3.5, 0.5, math.inf])
@pytest.mark.parametrize(("shape", "dim"), [((4, 5), 1), ((4, 5), 0), ((2, 3, 4), -1), ((6,), 0)])
def test_normalize_matches_torch(p: float, shape: tuple[int, ...], dim: int) -> None:
    x = torch.randn(shape, dtype=DT, generator=gen(1)) * 3
    same(lambda x: normalize(x, p, dim), lambda x: F.normalize(x, p, dim), [x], [True])


def test_normalize_keeps_a_zero_vector_at_zero_with_torchs_gradient() -> None:
    x = torch.tensor([[3.0, 4.0], [0.0, 0.0], [1e-14, 0.0]], dtype=DT)
    same(normalize, F.normalize, [x], [True])
    assert normalize(x)[1].tolist() == [0.0, 0.0]
    assert_close(normalize(x).norm(dim=1)[0], torch.tensor(1.0, dtype=DT))
    same(lambda x: normalize(x, eps=0.5), lambda x: F.normalize(x, eps=0.5), [x], [True])


def test_normalize_bad_arguments_raise() -> None:
    x = torch.ones(2, 3)
    with raises(ValueError, "normalize: p is out of range (got 0); expected a finite number > 0"):
        normalize(x, 0)
    with raises(ValueError, "normalize: dim is out of range (got 2); expected -2..1 for an input with 2 dims"):
        normalize(x, dim=2)
    with raises(ValueError, "normalize: eps is out of range (got -1); expected a finite number >= 0"):
        normalize(x, eps=-1)
    with raises(TypeError, "normalize: input has the wrong dtype (got torch.int64); expected a floating-point tensor"):
        normalize(torch.ones(2, 3, dtype=torch.long))
    with raises(TypeError, "normalize: p has the wrong type (got str); expected a real number (int or float)"):
        normalize(x, "fro")
