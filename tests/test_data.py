"""dlref.data: reading good and broken phone-price CSVs, the synthetic twin, and the stratified split."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from torch.testing import assert_close

from dlref.data import FEATURES, LABEL, load_phone_prices, make_phone_prices, save_phone_prices, train_val_test_split

HEADER = [*FEATURES, LABEL]
# two phones as the real file writes them (its first two rows' kind of values)
ROW_A = ["842", "0", "2.2", "0", "1", "0", "7", "0.6", "188", "2", "2", "20", "756", "2549", "9", "7", "19", "0", "0",
         "1", "1"]
ROW_B = ["1021", "1", "0.5", "1", "0", "1", "53", "0.7", "136", "3", "6", "905", "1988", "2631", "17", "3", "7", "1",
         "1", "0", "2"]


def write(path: Path, header: list[str], *rows: list[str], text: str | None = None) -> Path:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_text(text if text is not None else "\n".join(lines) + "\n", encoding="utf-8")
    return path


def raises_value(match: str):  # a pytest.raises context
    return pytest.raises(ValueError, match=re.escape(match))


# --------------------------------------------------------------------------- load_phone_prices: good files


def test_load_a_good_file(tmp_path: Path) -> None:
    X, y, names = load_phone_prices(write(tmp_path / "p.csv", HEADER, ROW_A, ROW_B))
    assert names == FEATURES and len(names) == 20
    assert X.dtype == torch.float32 and X.shape == (2, 20)
    assert y.dtype == torch.int64 and y.tolist() == [1, 2]
    assert_close(X[0], torch.tensor([float(v) for v in ROW_A[:-1]]))
    assert X[1, FEATURES.index("ram")] == 2631


def test_load_takes_columns_in_any_order_spaces_a_bom_and_crlf(tmp_path: Path) -> None:
    order = list(reversed(range(21)))
    header = [" " + HEADER[i] for i in order]
    rows = [[ROW_A[i] + " " for i in order], [ROW_B[i] for i in order]]
    text = "\ufeff" + "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n\r\n"
    X, y, _ = load_phone_prices(write(tmp_path / "p.csv", [], text=text))
    expected_X, expected_y, _ = load_phone_prices(write(tmp_path / "q.csv", HEADER, ROW_A, ROW_B))
    assert_close(X, expected_X)
    assert y.tolist() == expected_y.tolist()


def test_load_accepts_a_label_written_as_a_float_and_a_str_path(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", HEADER, [*ROW_A[:-1], "3.0"])
    assert load_phone_prices(str(path)).y.tolist() == [3]


# --------------------------------------------------------------------------- load_phone_prices: broken files


def test_load_rejects_a_missing_file_and_a_wrong_path_type(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError, match=re.escape(f"load_phone_prices: path is not a file (got '{missing}'); "
                                                          "expected an existing CSV file")):
        load_phone_prices(tmp_path / "nope.csv")
    with pytest.raises(FileNotFoundError, match="path is not a file"):
        load_phone_prices(tmp_path)  # a directory
    with pytest.raises(TypeError, match=re.escape("load_phone_prices: path has the wrong type (got int); "
                                                  "expected a str or a pathlib.Path")):
        load_phone_prices(3)  # type: ignore[arg-type]


def test_load_rejects_an_empty_file_and_a_header_only_file(tmp_path: Path) -> None:
    with raises_value("load_phone_prices: the file is empty (got '"):
        load_phone_prices(write(tmp_path / "p.csv", [], text=""))
    with raises_value("load_phone_prices: the file has no data rows (got '"):
        load_phone_prices(write(tmp_path / "p.csv", HEADER))


def test_load_rejects_a_file_without_a_header(tmp_path: Path) -> None:
    with raises_value("load_phone_prices: the file has no header row (got line 1 starting '842'); "
                      "expected a first line naming the columns battery_power, blue,"):
        load_phone_prices(write(tmp_path / "p.csv", ROW_A, ROW_B))


def test_load_rejects_a_wrong_column_name(tmp_path: Path) -> None:
    header = [*HEADER]
    header[13] = "RAM"
    with raises_value("load_phone_prices: the header has an unknown column (got 'RAM'); expected only the columns "
                      "battery_power, blue, clock_speed,"):
        load_phone_prices(write(tmp_path / "p.csv", header, ROW_A))


def test_load_rejects_a_missing_column(tmp_path: Path) -> None:
    with raises_value("load_phone_prices: the header is missing a column (got 'wifi'); expected the columns "):
        load_phone_prices(write(tmp_path / "p.csv", HEADER[:19] + HEADER[20:], ROW_A[:19] + ROW_A[20:]))
    with raises_value("load_phone_prices: the header is missing a column (got 'price_range')"):  # Kaggle's test.csv
        load_phone_prices(write(tmp_path / "p.csv", HEADER[:-1], ROW_A[:-1]))


def test_load_rejects_an_extra_or_repeated_column(tmp_path: Path) -> None:
    with raises_value("load_phone_prices: the header has an unknown column (got 'id'); expected only the columns"):
        load_phone_prices(write(tmp_path / "p.csv", ["id", *HEADER], ["1", *ROW_A]))
    with raises_value("load_phone_prices: the header repeats a column (got 'ram'); expected each column once"):
        load_phone_prices(write(tmp_path / "p.csv", [*HEADER, "ram"], [*ROW_A, "1"]))


def test_load_rejects_a_row_of_the_wrong_length(tmp_path: Path) -> None:
    with raises_value("load_phone_prices: line 3 has the wrong number of cells (got 20); "
                      "expected 21, one per column of the header"):
        load_phone_prices(write(tmp_path / "p.csv", HEADER, ROW_A, ROW_B[:-1]))


@pytest.mark.parametrize("cell", ["abc", "", "nan", "inf", "1,5"])
def test_load_rejects_a_non_numeric_cell_naming_its_line_and_column(tmp_path: Path, cell: str) -> None:
    row = [*ROW_B]
    row[13] = f'"{cell}"'  # quoted, so "1,5" stays one cell
    with raises_value(f"load_phone_prices: the cell on line 3, column ram is not a finite number (got {cell!r}); "
                      "expected a number such as 1520 or 2.2"):
        load_phone_prices(write(tmp_path / "p.csv", HEADER, ROW_A, row))


@pytest.mark.parametrize("label", ["4", "-1", "1.5"])
def test_load_rejects_a_label_out_of_range(tmp_path: Path, label: str) -> None:
    with raises_value(f"load_phone_prices: the label on line 2 is out of range (got {label!r}); "
                      "expected a price_range of 0, 1, 2 or 3"):
        load_phone_prices(write(tmp_path / "p.csv", HEADER, [*ROW_A[:-1], label]))


def test_load_rejects_a_non_numeric_label(tmp_path: Path) -> None:
    with raises_value("load_phone_prices: the cell on line 2, column price_range is not a finite number "
                      "(got 'high')"):
        load_phone_prices(write(tmp_path / "p.csv", HEADER, [*ROW_A[:-1], "high"]))


# --------------------------------------------------------------------------- save_phone_prices


def test_save_then_load_round_trips_exactly(tmp_path: Path) -> None:
    X, y, _ = make_phone_prices(200, seed=3)
    save_phone_prices(tmp_path / "p.csv", X, y)
    X2, y2, names = load_phone_prices(tmp_path / "p.csv")
    assert torch.equal(X2, X) and torch.equal(y2, y) and names == FEATURES
    lines = (tmp_path / "p.csv").read_text().splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 201
    assert ".0," not in lines[1] and "00000" not in "".join(lines)  # 1520, 2.2: no float noise


def test_save_round_trips_arbitrary_float32_values(tmp_path: Path) -> None:
    X = torch.randn(30, 20, generator=torch.Generator().manual_seed(0)) * 1e3
    y = torch.arange(30) % 4
    save_phone_prices(tmp_path / "p.csv", X, y)
    assert torch.equal(load_phone_prices(tmp_path / "p.csv").X, X)
    save_phone_prices(tmp_path / "q.csv", X.double(), y)  # float64 is written as float32
    assert torch.equal(load_phone_prices(tmp_path / "q.csv").X, X)


def test_save_errors(tmp_path: Path) -> None:
    X, y, _ = make_phone_prices(8)
    with pytest.raises(TypeError, match=re.escape("save_phone_prices: path has the wrong type (got NoneType)")):
        save_phone_prices(None, X, y)  # type: ignore[arg-type]
    with raises_value("save_phone_prices: X has the wrong number of columns (got 19); expected 20, one per feature"):
        save_phone_prices(tmp_path / "p.csv", X[:, :19], y)
    with raises_value("save_phone_prices: y has a label out of range (got 4); expected price classes 0, 1, 2, 3"):
        save_phone_prices(tmp_path / "p.csv", X, y + 1)
    with raises_value("save_phone_prices: y has a different length from X (got 7); expected 8, one label per row"):
        save_phone_prices(tmp_path / "p.csv", X, y[:7])
    with pytest.raises(TypeError, match=re.escape("save_phone_prices: y has the wrong dtype (got torch.float32); "
                                                  "expected an integer tensor of labels")):
        save_phone_prices(tmp_path / "p.csv", X, y.float())
    with pytest.raises(TypeError, match=re.escape("save_phone_prices: X has the wrong dtype (got torch.int64)")):
        save_phone_prices(tmp_path / "p.csv", X.long(), y)


# --------------------------------------------------------------------------- make_phone_prices

INTEGER_RANGES = {
    "battery_power": (500, 2000), "fc": (0, 19), "int_memory": (2, 64), "mobile_wt": (80, 200), "n_cores": (1, 8),
    "pc": (0, 20), "px_height": (0, 1960), "px_width": (500, 2000), "ram": (256, 3998), "sc_h": (5, 19),
    "sc_w": (0, 18), "talk_time": (2, 20),
}
FLAGS = ["blue", "dual_sim", "four_g", "three_g", "touch_screen", "wifi"]


def column(X: torch.Tensor, name: str) -> torch.Tensor:
    return X[:, FEATURES.index(name)].double()


def test_make_is_deterministic_and_seeded() -> None:
    a, b, c = make_phone_prices(), make_phone_prices(), make_phone_prices(seed=1)
    assert torch.equal(a.X, b.X) and torch.equal(a.y, b.y)
    assert not torch.equal(a.X, c.X)
    assert a.X.dtype == torch.float32 and a.y.dtype == torch.int64 and a.feature_names == FEATURES


@pytest.mark.parametrize("n", [4, 7, 2000, 2001])
def test_make_has_balanced_classes(n: int) -> None:
    X, y, _ = make_phone_prices(n, seed=2)
    counts = torch.bincount(y, minlength=4)
    assert X.shape == (n, 20) and counts.sum() == n
    assert counts.max() - counts.min() <= 1 and counts.min() >= 1
    if n == 2000:
        assert counts.tolist() == [500, 500, 500, 500]


def test_make_types_and_ranges() -> None:
    X, _, _ = make_phone_prices()
    for name, (low, high) in INTEGER_RANGES.items():
        x = column(X, name)
        assert torch.equal(x, x.round()), name
        assert x.min() >= low and x.max() <= high, name
        assert x.min() <= low + (high - low) * 0.02 and x.max() >= high - (high - low) * 0.02, name  # spans the range
    for name, (low, high) in {"clock_speed": (0.5, 3.0), "m_dep": (0.1, 1.0)}.items():
        tenths = column(X, name) * 10
        assert torch.allclose(tenths, tenths.round(), atol=1e-4), name  # one decimal
        assert column(X, name).min() == pytest.approx(low) and column(X, name).max() == pytest.approx(high), name
    for name in FLAGS:
        assert set(column(X, name).unique().tolist()) == {0.0, 1.0}, name
    assert (column(X, "three_g") >= column(X, "four_g")).all()  # every 4G phone has 3G


def correlation(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.double() - a.double().mean(), b.double() - b.double().mean()
    return float((a * b).sum() / (a.norm() * b.norm()))


def test_make_price_depends_mostly_on_ram_then_battery_and_pixels() -> None:
    X, y, _ = make_phone_prices()
    r = {name: correlation(column(X, name), y) for name in FEATURES}
    # the values the docstring states
    assert round(r["ram"], 2) == 0.90 and round(r["battery_power"], 2) == 0.21
    assert round(r["px_width"], 2) == 0.17 and round(r["px_height"], 2) == 0.12
    others = [abs(v) for name, v in r.items() if name not in {"ram", "battery_power", "px_width", "px_height"}]
    assert max(others) < 0.1
    ram = column(X, "ram")
    means = [ram[y == k].mean().item() for k in range(4)]
    assert means == sorted(means)  # a higher class has more RAM on average


def test_make_follows_its_documented_rule() -> None:
    """Recompute the score from the columns: it must sort the classes, up to the noise 0.03 ε."""
    X, y, _ = make_phone_prices(400, seed=5)

    def u(name: str) -> torch.Tensor:
        low, high = INTEGER_RANGES[name]
        return (column(X, name) - low) / (high - low)

    noiseless = u("ram") + 0.3 * u("battery_power") + 0.2 * u("px_height") + 0.2 * u("px_width")
    # each class's noiseless scores overlap the next class only within a few noise standard deviations
    for k in range(3):
        assert noiseless[y == k].max() < noiseless[y == k + 1].max()
        assert noiseless[y == k].max() - noiseless[y == k + 1].min() < 8 * 0.03


def test_make_errors() -> None:
    with raises_value("make_phone_prices: n is out of range (got 3); expected an int >= 4"):
        make_phone_prices(3)
    with pytest.raises(TypeError, match=re.escape("make_phone_prices: n has the wrong type (got float)")):
        make_phone_prices(2000.0)  # type: ignore[arg-type]
    with raises_value("make_phone_prices: seed is out of range (got -1); expected an int >= 0"):
        make_phone_prices(seed=-1)


# --------------------------------------------------------------------------- train_val_test_split


def test_split_is_stratified_disjoint_covering_and_seeded() -> None:
    y = make_phone_prices().y
    ids = torch.arange(len(y))
    (tr, y_tr), (va, y_va), (te, y_te) = train_val_test_split(ids, y, seed=0)
    assert torch.bincount(y_tr).tolist() == [300] * 4
    assert torch.bincount(y_va).tolist() == [100] * 4 and torch.bincount(y_te).tolist() == [100] * 4
    assert sorted(torch.cat([tr, va, te]).tolist()) == list(range(2000))  # disjoint and covering
    assert torch.equal(y[tr], y_tr) and torch.equal(y[te], y_te)  # rows keep their labels
    again = train_val_test_split(ids, y, seed=0)
    assert torch.equal(again[0][0], tr) and torch.equal(again[2][0], te)
    other = train_val_test_split(ids, y, seed=1)
    assert not torch.equal(other[0][0], tr)
    assert not torch.equal(y_tr[:12], y_tr[:12].sort().values)  # shuffled, not grouped by class


def test_split_rounds_each_class_and_keeps_trailing_dims() -> None:
    y = torch.tensor([0] * 7 + [1] * 3 + [2] * 10)
    X = torch.randn(20, 2, 3, generator=torch.Generator().manual_seed(0))
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = train_val_test_split(X, y, val_size=0.25, test_size=0.1, seed=4)
    # class sizes 7, 3, 10: test ⌊0.1 n + ½⌋ = 1, 0, 1; val ⌊0.25 n + ½⌋ = 2, 1, 3 (2.5 rounds up)
    assert torch.bincount(y_te, minlength=3).tolist() == [1, 0, 1]
    assert torch.bincount(y_va, minlength=3).tolist() == [2, 1, 3]
    assert torch.bincount(y_tr, minlength=3).tolist() == [4, 2, 6]
    assert X_tr.shape == (12, 2, 3) and X_va.shape == (6, 2, 3) and X_te.shape == (2, 2, 3)
    rows = {tuple(r.flatten().tolist()) for r in torch.cat([X_tr, X_va, X_te])}
    assert rows == {tuple(r.flatten().tolist()) for r in X}


def test_split_errors() -> None:
    X, y = torch.zeros(10, 3), torch.arange(10) % 2
    fn = "train_val_test_split"
    with pytest.raises(TypeError, match=re.escape(f"{fn}: y has the wrong dtype (got torch.float32); "
                                                  "expected an integer tensor of classes")):
        train_val_test_split(X, y.float())
    with raises_value(f"{fn}: y has a different length from X (got 9); expected 10, one label per row"):
        train_val_test_split(X, y[:9])
    with raises_value(f"{fn}: X has no rows (got shape (0, 3)); expected at least one sample"):
        train_val_test_split(X[:0], y[:0])
    with raises_value(f"{fn}: test_size is out of range (got 0); expected a finite number > 0 and < 1"):
        train_val_test_split(X, y, test_size=0)
    with raises_value(f"{fn}: val_size is out of range (got 1.0); expected a finite number > 0 and < 1"):
        train_val_test_split(X, y, val_size=1.0)
    with raises_value(f"{fn}: val_size + test_size leaves no training data (got 0.5 + 0.5); expected a sum < 1"):
        train_val_test_split(X, y, val_size=0.5, test_size=0.5)
    with raises_value(f"{fn}: y has the wrong number of dimensions (got 2-D of shape (10, 1)); expected 1-D (N,)"):
        train_val_test_split(X, y[:, None])
    with pytest.raises(TypeError, match=re.escape(f"{fn}: X has the wrong type (got list); expected a torch.Tensor")):
        train_val_test_split([1, 2], y)  # type: ignore[arg-type]
