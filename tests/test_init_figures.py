"""Figures of the initialization chapter, dlref.plots.init_figures (test_experiments_init_signal tests the numbers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dlref.plots import init_figures as inf

from .figure_capture import draw_capturing

FIGURES: dict[str, Callable[..., str]] = {
    "init_histograms": inf.init_histograms,
    "init_signal": inf.init_signal,
    "init_symmetry": inf.init_symmetry,
}


@pytest.fixture(scope="module")
def drawn() -> list[tuple[str, str, str, object]]:
    """Every figure drawn afresh in both languages: (name, language, aria label, Figure)."""
    return draw_capturing(inf, FIGURES)


def test_histograms_have_ten_panels_on_one_x_range(drawn) -> None:
    for name, _, _, fig in drawn:
        if name == "init_histograms":
            assert len(fig.axes) == 10
            assert {ax.get_xlim() for ax in fig.axes} == {(-0.2, 0.2)}
            titles = [ax.get_title() for ax in fig.axes]
            assert "9.8%" in titles[8]  # sparse_: 25 of 256 rows are non-zero


def test_signal_figure_draws_four_curves_per_panel_on_log_axes(drawn) -> None:
    for name, _, _, fig in drawn:
        if name == "init_signal":
            assert len(fig.axes) == 4
            for ax in fig.axes:
                assert ax.get_yscale() == "log" and len(ax.get_lines()) == 4
            assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 4


def test_symmetry_figure_counts_distinct_curves(drawn) -> None:
    """Constant weights: 12 weights, 3 distinct trajectories (one per input); random: 12."""
    for name, lang, _, fig in drawn:
        if name == "init_symmetry":
            constant, random = fig.axes
            assert len(constant.get_lines()) == len(random.get_lines()) == 12
            assert ("3 distinct" if lang == "en" else "3 条") in constant.get_title()
            assert ("12 distinct" if lang == "en" else "12 条") in random.get_title()
