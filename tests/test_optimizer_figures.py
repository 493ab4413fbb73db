"""Figures of the optimizers chapter (test_experiments_optimizer_runs tests the numbers they draw)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

from dlref import experiments
from dlref.plots import optimizer_figures as of

from .figure_capture import draw_capturing

FIGURES: dict[str, Callable[..., str]] = {
    "learning_rate_tradeoff": of.learning_rate_tradeoff,
    "batch_noise": of.batch_noise,
    "saddle_point": of.saddle_point,
    "ema_bias_correction": of.ema_bias_correction,
    "trajectories_quadratic": functools.partial(of.optimizer_trajectories, "quadratic"),
    "trajectories_rosenbrock": functools.partial(of.optimizer_trajectories, "rosenbrock"),
    "lr_schedule_curves": of.lr_schedule_curves,
}


def test_the_two_trajectory_figures_differ() -> None:
    assert of.optimizer_trajectories("quadratic", lang="en") != of.optimizer_trajectories("rosenbrock", lang="en")
    with pytest.raises(ValueError, match="optimizer_paths: function"):
        of.optimizer_trajectories("beale", lang="en")


@pytest.fixture(scope="module")
def drawn() -> list[tuple[str, str, str, object]]:
    """Every figure drawn afresh in both languages: (name, language, aria label, Figure)."""
    behind = dict.fromkeys(("trajectories_quadratic", "trajectories_rosenbrock"), of.optimizer_trajectories)
    return draw_capturing(of, FIGURES, behind)  # the cached function behind the two partials


def test_trajectory_panels_state_the_tuned_rates(drawn) -> None:
    for name, _, _, fig in drawn:
        if name.startswith("trajectories_"):
            runs = experiments.optimizer_paths(name.removeprefix("trajectories_"))
            assert len(fig.axes) == 6
            for ax, optimizer in zip(fig.axes, experiments.OPTIMIZER_NAMES, strict=True):
                assert rf"$\eta = {runs[optimizer]['lr']:g}$" in ax.get_title()
                assert len(ax.get_lines()) == 3  # path, start, minimum


def test_schedules_and_saddle_draw_every_curve(drawn) -> None:
    for name, _, _, fig in drawn:
        if name == "lr_schedule_curves":
            assert [len(ax.get_lines()) for ax in fig.axes] == [5, 5]
            assert fig.axes[1].get_yscale() == "log"
        if name == "saddle_point":
            assert [len(ax.get_lines()) for ax in fig.axes] == [4, 3]
        if name == "learning_rate_tradeoff":
            assert len(fig.axes[0].get_lines()) == 5  # four runs and the axis w = 0
