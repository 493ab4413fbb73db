"""Figures of the worked example, dlref.plots.worked_example_figures (the numbers: test_experiments_phone_prices)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import torch

from dlref.experiments import phone_price_diagnosis, phone_price_run
from dlref.plots import worked_example_figures as wef

from .figure_capture import draw_capturing

MATRIX = ((93, 7, 0, 0), (8, 86, 6, 0), (0, 5, 89, 6), (0, 0, 9, 91))
FIGURES: dict[str, Callable[..., str]] = {
    "phone_diagnosis_chart": wef.phone_diagnosis_chart,
    "phone_training_curves": wef.phone_training_curves,
    "phone_confusion_matrix": lambda **kw: wef.phone_confusion_matrix(MATRIX, **kw),
}
CLEAR = {"phone_diagnosis_chart": wef.phone_diagnosis_chart, "phone_training_curves": wef.phone_training_curves,
         "phone_confusion_matrix": wef.phone_confusion_matrix}
def test_ids_differ_between_the_figures_of_the_page() -> None:
    ids = [set(re.findall(r'id="([^"]+)"', figure(lang="en"))) for figure in FIGURES.values()]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])


@pytest.fixture(scope="module")
def drawn() -> list[tuple[str, str, str, object]]:
    """Every figure drawn afresh in both languages: (name, language, aria label, Figure)."""
    return draw_capturing(wef, FIGURES, CLEAR)


def test_diagnosis_chart_draws_one_bar_per_configuration(drawn) -> None:
    d = phone_price_diagnosis()
    expected = [d.corrected, *d.put_back.values(), d.notes]
    for name, _, _, fig in drawn:
        if name == "phone_diagnosis_chart":
            (ax,) = fig.axes
            widths = [bar.get_width() for bar in ax.patches]
            assert widths == expected
            assert [f"{v:.3f}" for v in expected] == [t.get_text() for t in ax.texts if t.get_text()[:1].isdigit()]


def test_training_curves_draw_the_history_and_mark_the_best_epoch(drawn) -> None:
    history = phone_price_run().history
    for name, _, _, fig in drawn:
        if name == "phone_training_curves":
            loss, accuracy = fig.axes
            curves = [list(line.get_ydata()) for line in loss.get_lines() if len(line.get_ydata()) > 2]
            assert curves == [history.train_loss, history.val_loss]
            assert [list(line.get_xdata()) for line in loss.get_lines() if len(line.get_ydata()) == 2] == [
                [history.best_epoch] * 2]
            assert list(accuracy.get_lines()[0].get_ydata()) == history.val_accuracy


def test_confusion_matrix_writes_every_count(drawn) -> None:
    for name, lang, label, fig in drawn:
        if name == "phone_confusion_matrix":
            (ax,) = fig.axes
            assert sorted(int(t.get_text()) for t in ax.texts) == sorted(c for row in MATRIX for c in row)
            assert "359" in label and "400" in label
            assert [t.get_text() for t in ax.get_xticklabels()][-1] == ("very high" if lang == "en" else "很高")


def test_confusion_matrix_takes_a_tensor_and_caches_by_value() -> None:
    as_tensor = wef.phone_confusion_matrix(torch.tensor(MATRIX), lang="en")
    assert as_tensor is wef.phone_confusion_matrix([list(row) for row in MATRIX], lang="en")


def test_diagnosis_table_lists_every_configuration() -> None:
    d = phone_price_diagnosis()
    headers = {"en": "| configuration | validation accuracy | change |", "zh": "| 配置 | 验证集准确率 | 变化 |"}
    for lang, header in headers.items():
        lines = wef.phone_diagnosis_table(lang=lang).splitlines()
        assert lines[0] == header and lines[1] == "|---|---|---|" and len(lines) == 2 + 7
        assert lines[2].endswith(f"| {d.corrected:.4f} | — |")
        assert lines[-1].endswith(f"| {d.notes:.4f} | {d.notes - d.corrected:+.4f} |".replace("-", "−"))


@pytest.mark.parametrize(("matrix", "error", "match"), [
    ("4x4", TypeError, r"phone_confusion_matrix: matrix .*4 x 4"),
    ([[1, 2], [3, 4]], ValueError, r"phone_confusion_matrix: matrix has the wrong shape"),
    ([[1, 0, 0, 0]] * 3 + [[0, 0, 0, -1]], ValueError, r"phone_confusion_matrix: matrix has a count"),
    ([[1.5, 0, 0, 0]] * 4, ValueError, r"phone_confusion_matrix: matrix has a count"),
])
def test_bad_matrix_raises(matrix: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        wef.phone_confusion_matrix(matrix)
