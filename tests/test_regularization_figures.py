"""Figures of the regularization chapter, dlref.plots.regularization_figures (test_experiments_regularization tests
the numbers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dlref import plots
from dlref.plots import regularization_figures as rf

from .figure_capture import draw_capturing

FIGURES: dict[str, Callable[..., str]] = {
    "overfitting_curves": rf.overfitting_curves,
    "penalty_paths": rf.penalty_paths,
    "normalization_axes": rf.normalization_axes,
    "scaling_distributions": rf.scaling_distributions,
    "batchnorm_training": rf.batchnorm_training,
}


@pytest.fixture(scope="module")
def drawn() -> list[tuple[str, str, str, object]]:
    """Every figure drawn afresh in both languages: (name, language, aria label, Figure)."""
    return draw_capturing(rf, FIGURES)


def _figure(drawn, wanted: str, language: str):
    return next(fig for name, lang, _, fig in drawn if name == wanted and lang == language)


def test_overfitting_figure_marks_the_validation_minimum(drawn) -> None:
    from dlref.experiments import overfitting_experiment

    run = overfitting_experiment()
    left, right = _figure(drawn, "overfitting_curves", "en").axes
    assert len(left.get_lines()) == 3 and len(right.get_lines()) == 4  # 2 curves + marker; 3 curves + noise level
    (x,), (y,) = left.get_lines()[2].get_data()
    assert y == min(run["none"]["val"]) and x == run["none"]["val"].index(y) + 1
    assert right.get_lines()[3].get_ydata()[0] == pytest.approx(0.09)


def test_penalty_paths_draw_eight_weights_per_penalty(drawn) -> None:
    for lang in plots.LANGUAGES:
        fig = _figure(drawn, "penalty_paths", lang)
        assert [ax.get_xscale() for ax in fig.axes] == ["log", "log"]
        assert all(len(ax.get_lines()) == 9 for ax in fig.axes)  # 8 weights and the zero line
        assert len(fig.legends[0].get_texts()) == 3


def test_normalization_axes_shade_the_right_blocks(drawn) -> None:
    """Batch norm's block shows three faces (it reaches the right side), the others two."""
    from matplotlib.patches import Polygon

    fig = _figure(drawn, "normalization_axes", "zh")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["批量规范化", "层规范化", "实例规范化", "组规范化"]
    shaded = [sum(isinstance(p, Polygon) and 0 < p.get_facecolor()[3] < 1 for p in ax.patches) for ax in fig.axes]
    assert shaded == [3, 2, 2, 2]


def test_scaling_figure_titles_give_one_skewness(drawn) -> None:
    fig = _figure(drawn, "scaling_distributions", "en")
    skews = {ax.get_title().rsplit(" ", 1)[-1] for ax in fig.axes[:3]}
    assert len(skews) == 1
    fig = _figure(drawn, "scaling_distributions", "zh")
    assert all("：" in ax.get_title() for ax in fig.axes[:3])


def test_batchnorm_figure_draws_accuracy_per_rate_and_two_loss_curves(drawn) -> None:
    left, right = _figure(drawn, "batchnorm_training", "en").axes
    assert left.get_xscale() == "log" and len(left.get_lines()) == 3  # with, without, chance
    assert [len(line.get_xdata()) for line in right.get_lines()] == [150, 150]
