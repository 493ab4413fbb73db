r"""The worked example's data: the phone-price table, read from CSV or made synthetically, and a stratified split.

The notes on neural networks (001) close with a classifier of phone prices: a table of
2,000 phones, 20 specifications each, and a price range 0–3 (low to very high) with 500
phones per class. That file cannot be downloaded at build time, so the site works on a
**synthetic twin** from [make_phone_prices][dlref.data.make_phone_prices]: the same columns,
types and ranges, four balanced classes, and a generating rule written down below.
[load_phone_prices][dlref.data.load_phone_prices] reads the real file (or any CSV in its
schema) into the same tensors, so every line of the worked example runs on either.

The 20 features, in the file's order ([FEATURES][dlref.data.FEATURES]), then the label
[LABEL][dlref.data.LABEL]:

| column | meaning | kind | range |
|---|---|---|---|
| battery_power | battery capacity, mAh | integer | 500–2000 |
| blue | has Bluetooth | flag | 0/1 |
| clock_speed | CPU clock, GHz | one decimal | 0.5–3.0 |
| dual_sim | takes two SIM cards | flag | 0/1 |
| fc | front camera, megapixels | integer | 0–19 |
| four_g | has 4G | flag | 0/1 |
| int_memory | internal memory, GB | integer | 2–64 |
| m_dep | thickness, cm | one decimal | 0.1–1.0 |
| mobile_wt | weight, g | integer | 80–200 |
| n_cores | processor cores | integer | 1–8 |
| pc | primary camera, megapixels | integer | 0–20 |
| px_height | screen height, pixels | integer | 0–1960 |
| px_width | screen width, pixels | integer | 500–2000 |
| ram | RAM, MB | integer | 256–3998 |
| sc_h | screen height, cm | integer | 5–19 |
| sc_w | screen width, cm | integer | 0–18 |
| talk_time | talk time on one charge, hours | integer | 2–20 |
| three_g | has 3G | flag | 0/1 |
| touch_screen | has a touch screen | flag | 0/1 |
| wifi | has Wi-Fi | flag | 0/1 |
| price_range | the class: 0 low, 1 medium, 2 high, 3 very high | label | 0–3 |

The features span four orders of magnitude (a flag is 0 or 1, RAM is in the thousands),
which is why the worked example scales them, fitting the scaler on the training split only.
"""

from __future__ import annotations

import csv
import math
import os
import struct
from pathlib import Path
from typing import NamedTuple

import torch
from torch import Tensor

from dlref._checks import check_int, check_ndim, check_real, check_tensor, fail, fail_type, message

__all__ = ["FEATURES", "LABEL", "PhonePrices", "load_phone_prices", "make_phone_prices", "save_phone_prices",
           "train_val_test_split"]

FEATURES: tuple[str, ...] = (
    "battery_power", "blue", "clock_speed", "dual_sim", "fc", "four_g", "int_memory", "m_dep", "mobile_wt",
    "n_cores", "pc", "px_height", "px_width", "ram", "sc_h", "sc_w", "talk_time", "three_g", "touch_screen", "wifi",
)
"""The 20 feature columns of the phone-price table, in the file's order."""

LABEL = "price_range"
"""The label column: the price class 0 (low), 1 (medium), 2 (high) or 3 (very high)."""

_NUM_CLASSES = 4

# the integer columns of the synthetic twin and their inclusive ranges (flags are 0..1)
_INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "battery_power": (500, 2000), "fc": (0, 19), "int_memory": (2, 64), "mobile_wt": (80, 200), "n_cores": (1, 8),
    "pc": (0, 20), "px_height": (0, 1960), "px_width": (500, 2000), "ram": (256, 3998), "sc_h": (5, 19),
    "sc_w": (0, 18), "talk_time": (2, 20),
}
# the one-decimal columns, in tenths: clock_speed 0.5..3.0 GHz, m_dep 0.1..1.0 cm
_TENTHS_RANGES: dict[str, tuple[int, int]] = {"clock_speed": (5, 30), "m_dep": (1, 10)}
# the price score's weights on each feature scaled to [0, 1], and the noise's standard deviation
_SCORE_WEIGHTS: dict[str, float] = {"ram": 1.0, "battery_power": 0.3, "px_height": 0.2, "px_width": 0.2}
_NOISE_STD = 0.03


class PhonePrices(NamedTuple):
    """The phone-price table as tensors; unpacks as ``X, y, feature_names = ...``."""

    X: Tensor
    """The features, float32, shape (N, 20), columns in the order of `feature_names`."""
    y: Tensor
    """The price class of each phone, int64 in 0..3, shape (N,)."""
    feature_names: tuple[str, ...]
    """The 20 column names, [FEATURES][dlref.data.FEATURES]."""


# --------------------------------------------------------------------------- reading


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(fn: str, text: str, column: str, line: int) -> float:
    """The cell `text` as a finite float, or a ValueError naming its line and column."""
    value = float(text) if _is_number(text) else math.nan
    if not math.isfinite(value):
        fail(fn, f"the cell on line {line}, column {column}", "is not a finite number", repr(text),
             "expected a number such as 1520 or 2.2")
    return value


def load_phone_prices(path: str | os.PathLike[str]) -> PhonePrices:
    r"""Read a phone-price CSV: the 20 feature columns and ``price_range``, with a header row.

    The header must name each column of [FEATURES][dlref.data.FEATURES] and
    [LABEL][dlref.data.LABEL] exactly once, and nothing else (the Kaggle file "Mobile Price
    Classification", ``train.csv``, has exactly these 21 columns in this order; its
    ``test.csv`` has an ``id`` column and no label, so it is rejected). The columns may come
    in any order; the features are returned in the order of `FEATURES`. Every cell must be
    a finite number, and every label one of 0, 1, 2, 3 (written ``2`` or ``2.0``). Spaces
    around names and cells are ignored; a UTF-8 byte-order mark is allowed. Lines are
    counted as an editor does: the header is line 1.

    Args:
        path: The CSV file.

    Returns:
        A [PhonePrices][dlref.data.PhonePrices] ``(X, y, feature_names)``: float32 features,
        int64 labels, and the 20 feature names.

    Shape:
        - X: $(N, 20)$, float32.
        - y: $(N)$, int64.

    Raises:
        TypeError: If `path` is not a str or a path.
        FileNotFoundError: If the file does not exist.
        ValueError: If the file is empty or has no data rows; if the header lacks a column,
            has an unknown or repeated one; if a row has the wrong number of cells; if a cell
            is not a finite number (the message names its line and column); or if a label is
            not one of 0, 1, 2, 3.

    Torch counterpart: none; the notes use ``pandas.read_csv`` and ``DataFrame.iloc``.

    References:
        - Abhishek Sharma, [Mobile Price Classification](https://www.kaggle.com/datasets/iabhishekofficial/mobile-price-classification),
          Kaggle, 2018 (the real file; not redistributed here).

    Examples:
        >>> import tempfile, pathlib
        >>> from dlref.data import load_phone_prices, make_phone_prices, save_phone_prices
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "phones.csv"
        >>> X, y, _ = make_phone_prices(8, seed=1)
        >>> save_phone_prices(path, X, y)
        >>> X2, y2, names = load_phone_prices(path)
        >>> bool((X2 == X).all()), y2.tolist(), names[13]
        (True, [1, 0, 3, 1, 2, 3, 2, 0], 'ram')
    """
    fn = "load_phone_prices"
    if not isinstance(path, (str, os.PathLike)):
        fail_type(fn, "path", path, "expected a str or a pathlib.Path")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(message(fn, "path", "is not a file", repr(str(path)),
                                        "expected an existing CSV file"))
    expected = [*FEATURES, LABEL]
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        header = [name.strip() for name in next(rows, [])]
        if not any(header):
            fail(fn, "the file", "is empty", repr(str(path)), "expected a header row, then one row per phone")
        if _is_number(header[0]):
            fail(fn, "the file", "has no header row", f"line 1 starting {header[0]!r}",
                 f"expected a first line naming the columns {', '.join(expected)}")
        unknown = [name for name in header if name not in expected]
        if unknown:
            fail(fn, "the header", "has an unknown column", repr(unknown[0]),
                 f"expected only the columns {', '.join(expected)}")
        repeated = [name for name in expected if header.count(name) > 1]
        if repeated:
            fail(fn, "the header", "repeats a column", repr(repeated[0]), "expected each column once")
        missing = [name for name in expected if name not in header]
        if missing:
            fail(fn, "the header", "is missing a column", repr(missing[0]),
                 f"expected the columns {', '.join(expected)}")
        # where each expected column sits in this file's rows
        position = [header.index(name) for name in expected]
        features: list[list[float]] = []
        labels: list[int] = []
        for line, row in enumerate(rows, start=2):
            if not row:
                continue  # a blank line, as at the end of many files
            if len(row) != len(header):
                fail(fn, f"line {line}", "has the wrong number of cells", len(row),
                     f"expected {len(header)}, one per column of the header")
            cells = [row[p].strip() for p in position]
            features.append([_number(fn, cell, name, line) for cell, name in zip(cells[:-1], FEATURES, strict=True)])
            label = _number(fn, cells[-1], LABEL, line)
            if label not in (0, 1, 2, 3):
                fail(fn, f"the label on line {line}", "is out of range", repr(cells[-1]),
                     "expected a price_range of 0, 1, 2 or 3")
            labels.append(int(label))
    if not labels:
        fail(fn, "the file", "has no data rows", repr(str(path)), "expected at least one row after the header")
    return PhonePrices(torch.tensor(features, dtype=torch.float32), torch.tensor(labels, dtype=torch.int64),
                       FEATURES)


def _shortest(value: float) -> str:
    """The shortest decimal that reads back as the same float32: 1520, 2.2, 0.1 (not 2.2000000476837)."""
    if value.is_integer():
        return str(int(value))
    for digits in range(1, 10):  # 9 significant digits always round-trip a float32
        text = f"{value:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == value:
            return text
    return repr(value)


def save_phone_prices(path: str | os.PathLike[str], X: Tensor, y: Tensor) -> None:
    r"""Write features and labels as a phone-price CSV, which `load_phone_prices` reads back exactly.

    One header row (the 20 [FEATURES][dlref.data.FEATURES], then ``price_range``), then
    one row per phone. Integral values are written without a decimal point; the others
    with the fewest digits that read back as the same float32, so
    ``load_phone_prices(path)`` returns `X` (as float32) and `y` exactly.

    Args:
        path: The file to write (overwritten if it exists).
        X: The features, columns in the order of `FEATURES`.
        y: The labels, 0..3.

    Shape:
        - X: $(N, 20)$, floating point.
        - y: $(N)$, integer.

    Raises:
        TypeError: If `path` is not a str or a path, `X` is not a floating-point tensor, or
            `y` not an integer tensor.
        ValueError: If `X` is not $(N, 20)$, `y` not $(N)$, or a label is outside 0..3.

    Torch counterpart: none; ``pandas.DataFrame.to_csv(path, index=False)``.

    Examples:
        >>> import tempfile, pathlib, torch
        >>> from dlref.data import save_phone_prices
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "one.csv"
        >>> x = torch.tensor([[1520, 1, 2.2, 0, 5, 1, 32, 0.4, 140, 4, 12, 800, 1200, 2100, 12, 6, 10, 1, 1, 0]])
        >>> save_phone_prices(path, x, torch.tensor([2]))
        >>> print(path.read_text().splitlines()[1])
        1520,1,2.2,0,5,1,32,0.4,140,4,12,800,1200,2100,12,6,10,1,1,0,2
    """
    fn = "save_phone_prices"
    if not isinstance(path, (str, os.PathLike)):
        fail_type(fn, "path", path, "expected a str or a pathlib.Path")
    X, y = _check_table(fn, X, y)
    if X.shape[1] != len(FEATURES):
        fail(fn, "X", "has the wrong number of columns", X.shape[1], f"expected {len(FEATURES)}, one per feature")
    ok = (y >= 0) & (y < _NUM_CLASSES)
    if not bool(ok.all()):
        fail(fn, "y", "has a label out of range", int(y[~ok][0]), "expected price classes 0, 1, 2, 3")
    single = X.to(torch.float32)
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([*FEATURES, LABEL])
        for row, label in zip(single.tolist(), y.tolist(), strict=True):
            writer.writerow([*(_shortest(v) for v in row), label])


def _check_table(fn: str, X: object, y: object) -> tuple[Tensor, Tensor]:
    """X a floating (N, F) tensor, y an integer (N,) tensor, N ≥ 1."""
    x = check_tensor(fn, "X", X)
    check_ndim(fn, "X", x, (2,), "(N, n_features)")
    labels = check_tensor(fn, "y", y, floating=False)
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(message(fn, "y", "has the wrong dtype", labels.dtype, "expected an integer tensor of labels"))
    check_ndim(fn, "y", labels, (1,), "(N,)")
    if labels.shape[0] != x.shape[0]:
        fail(fn, "y", "has a different length from X", labels.shape[0], f"expected {x.shape[0]}, one label per row")
    if x.shape[0] == 0:
        fail(fn, "X", "has no rows", f"shape {tuple(x.shape)}", "expected at least one sample")
    return x, labels


# --------------------------------------------------------------------------- the synthetic twin


def make_phone_prices(n: int = 2000, seed: int = 0) -> PhonePrices:
    r"""A deterministic synthetic twin of the phone-price table: the same 20 columns, four balanced classes.

    Each column is drawn independently and uniformly over the real file's range, with
    one generator seeded by `seed`:

    - integer counts: battery_power 500–2000, fc 0–19, int_memory 2–64, mobile_wt 80–200,
      n_cores 1–8, pc 0–20, px_height 0–1960, px_width 500–2000, ram 256–3998, sc_h 5–19,
      sc_w 0–18, talk_time 2–20 (inclusive);
    - one-decimal values: clock_speed 0.5–3.0, m_dep 0.1–1.0;
    - flags 0/1, each with probability 1/2: blue, dual_sim, four_g, touch_screen, wifi;
      and three_g, which is 1 whenever four_g is 1 (every 4G phone has 3G, as in the real
      file) and otherwise 1 with probability 1/2.

    The price depends on four columns and noise. With each of them scaled to $[0, 1]$ by
    its range, $u = (x - \text{low}) / (\text{high} - \text{low})$, and
    $\varepsilon \sim \mathcal{N}(0, 1)$,

    $$
    s = u_{\text{ram}} + 0.3\,u_{\text{battery\_power}} + 0.2\,u_{\text{px\_height}}
        + 0.2\,u_{\text{px\_width}} + 0.03\,\varepsilon ,
    \qquad
    \text{price\_range} = \left\lfloor \frac{4\,\operatorname{rank}(s)}{n} \right\rfloor ,
    $$

    where $\operatorname{rank}(s) \in \{0, \dots, n - 1\}$ is the position of the phone's
    score in ascending order: the class is the quartile of the score, so the four classes
    have $n/4$ phones each (sizes differ by at most one when 4 does not divide $n$). RAM
    carries most of the signal, as in the real file: in the default table the correlation
    of ram with the class is 0.90, of battery_power 0.21, of px_width 0.17 and of
    px_height 0.12; the other 16 columns carry none.

    Args:
        n: The number of phones. Defaults to 2000 (the real file's size).
        seed: The seed of the generator. Defaults to 0.

    Returns:
        A [PhonePrices][dlref.data.PhonePrices] ``(X, y, feature_names)``, as
        [load_phone_prices][dlref.data.load_phone_prices] returns.

    Shape:
        - X: $(n, 20)$, float32, columns in the order of [FEATURES][dlref.data.FEATURES].
        - y: $(n)$, int64.

    Raises:
        TypeError: If `n` or `seed` is not an int.
        ValueError: If `n` < 4 or `seed` < 0.

    Torch counterpart: none; the shape of ``sklearn.datasets.make_classification``'s output.

    Examples:
        >>> from dlref.data import make_phone_prices
        >>> X, y, names = make_phone_prices()
        >>> X.shape, y.bincount().tolist()
        (torch.Size([2000, 20]), [500, 500, 500, 500])
        >>> ram = X[:, names.index("ram")]
        >>> [round(ram[y == k].mean().item()) for k in range(4)]  # mean RAM (MB) of each class
        [798, 1644, 2631, 3431]
    """
    fn = "make_phone_prices"
    n = check_int(fn, "n", n, low=4)
    seed = check_int(fn, "seed", seed, low=0)
    g = torch.Generator().manual_seed(seed)
    columns: dict[str, Tensor] = {}
    for name in FEATURES:  # one column at a time, in the file's order, so the draws are reproducible
        if name in _INTEGER_RANGES:
            low, high = _INTEGER_RANGES[name]
            columns[name] = torch.randint(low, high + 1, (n,), generator=g).double()
        elif name in _TENTHS_RANGES:
            low, high = _TENTHS_RANGES[name]
            columns[name] = torch.randint(low, high + 1, (n,), generator=g).double() / 10
        else:
            columns[name] = torch.randint(0, 2, (n,), generator=g).double()
    # every 4G phone also has 3G
    columns["three_g"] = torch.maximum(columns["three_g"], columns["four_g"])
    # s = Σ_j w_j u_j + 0.03 ε,  u_j = (x_j − low_j) / (high_j − low_j)
    score = _NOISE_STD * torch.randn(n, generator=g, dtype=torch.float64)
    for name, weight in _SCORE_WEIGHTS.items():
        low, high = _INTEGER_RANGES[name]
        score = score + weight * (columns[name] - low) / (high - low)
    # price_range = ⌊4 · rank(s) / n⌋: the quartile of the score
    rank = torch.empty(n, dtype=torch.int64)
    rank[torch.argsort(score)] = torch.arange(n)
    y = torch.div(_NUM_CLASSES * rank, n, rounding_mode="floor")
    X = torch.stack([columns[name] for name in FEATURES], dim=1).to(torch.float32)  # (n, 20)
    return PhonePrices(X, y, FEATURES)


# --------------------------------------------------------------------------- splitting


def train_val_test_split(X: Tensor, y: Tensor, val_size: float = 0.2, test_size: float = 0.2, seed: int = 0
                         ) -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    r"""Split into training, validation and test sets, stratified by class and seeded.

    Each class is shuffled and cut on its own, so every split keeps the class
    proportions of `y`. For a class with $n_k$ samples,

    $$
    n_k^{\text{test}} = \lfloor \text{test\_size} \cdot n_k + \tfrac12 \rfloor, \qquad
    n_k^{\text{val}} = \lfloor \text{val\_size} \cdot n_k + \tfrac12 \rfloor, \qquad
    n_k^{\text{train}} = n_k - n_k^{\text{test}} - n_k^{\text{val}} ;
    $$

    then each split is shuffled, so its rows are not grouped by class. The three splits
    are disjoint and together hold every row once. With 500 phones per class and the
    defaults, that is 300/100/100 per class: 1,200, 400 and 400 rows.

    Fit anything learned from data (a scaler, a vocabulary, early stopping) on the
    training split only, choose settings on the validation split, and read the test split
    once, at the end.

    Args:
        X: The samples (any trailing shape).
        y: The class of each sample.
        val_size: The fraction of each class for validation. Defaults to 0.2.
        test_size: The fraction of each class for testing. Defaults to 0.2.
        seed: The seed of the shuffles. Defaults to 0.

    Shape:
        - X: $(N, *)$.
        - y: $(N)$, integer.

    Returns:
        ``((X_train, y_train), (X_val, y_val), (X_test, y_test))``.

    Raises:
        TypeError: If `X` or `y` is not a tensor, `y` is not an integer tensor, a size is not
            a real number or `seed` not an int.
        ValueError: If `y` is not 1-D with one entry per row of `X`, `X` is empty, a size is
            outside $(0, 1)$, the two sizes add up to 1 or more, or `seed` < 0.

    Torch counterpart: none; `sklearn.model_selection.train_test_split(X, y, test_size=...,
    stratify=y, random_state=seed)` applied twice (which rounds the whole split, not each class).

    Examples:
        >>> import torch
        >>> from dlref.data import train_val_test_split
        >>> X, y = torch.arange(20.0).reshape(10, 2), torch.tensor([0] * 5 + [1] * 5)
        >>> (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = train_val_test_split(X, y, seed=0)
        >>> y_tr.bincount().tolist(), y_va.bincount().tolist(), y_te.bincount().tolist()
        ([3, 3], [1, 1], [1, 1])
    """
    fn = "train_val_test_split"
    x = check_tensor(fn, "X", X, floating=False)
    if x.dim() == 0:
        fail(fn, "X", "has the wrong number of dimensions", "0-D of shape ()", "expected at least 1-D (N, *)")
    labels = check_tensor(fn, "y", y, floating=False)
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(message(fn, "y", "has the wrong dtype", labels.dtype, "expected an integer tensor of classes"))
    check_ndim(fn, "y", labels, (1,), "(N,)")
    if labels.shape[0] != x.shape[0]:
        fail(fn, "y", "has a different length from X", labels.shape[0], f"expected {x.shape[0]}, one label per row")
    if x.shape[0] == 0:
        fail(fn, "X", "has no rows", f"shape {tuple(x.shape)}", "expected at least one sample")
    val_size = check_real(fn, "val_size", val_size, low=0, high=1, low_open=True, high_open=True)
    test_size = check_real(fn, "test_size", test_size, low=0, high=1, low_open=True, high_open=True)
    if val_size + test_size >= 1:
        fail(fn, "val_size + test_size", "leaves no training data", f"{val_size:g} + {test_size:g}",
             "expected a sum < 1")
    seed = check_int(fn, "seed", seed, low=0)
    g = torch.Generator().manual_seed(seed)
    parts: tuple[list[Tensor], list[Tensor], list[Tensor]] = ([], [], [])
    for k in torch.unique(labels).tolist():  # ascending classes, so the draws are reproducible
        members = torch.nonzero(labels == k).flatten()
        members = members[torch.randperm(len(members), generator=g)]
        n_test = math.floor(test_size * len(members) + 0.5)
        n_val = math.floor(val_size * len(members) + 0.5)
        parts[2].append(members[:n_test])
        parts[1].append(members[n_test:n_test + n_val])
        parts[0].append(members[n_test + n_val:])
    splits = []
    for chunks in parts:
        rows = torch.cat(chunks)
        rows = rows[torch.randperm(len(rows), generator=g)]  # not grouped by class
        splits.append((x[rows], labels[rows]))
    return splits[0], splits[1], splits[2]
