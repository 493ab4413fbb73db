"""The contract every chapter figure keeps (DESIGN §3): deterministic, inline and theme-aware SVG, labels in the
page language, legible on a 390 px phone. What each figure draws is tested in tests/test_<chapter>_figures.py.

The activation and loss figures keep their own older checks in tests/test_plots.py.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from dlref import plots
from dlref.plots import architecture_figures as af
from dlref.plots import backprop_figures as bpf
from dlref.plots import basics_figures as bf
from dlref.plots import conv_figures as cf
from dlref.plots import init_figures as inf
from dlref.plots import optimizer_figures as of
from dlref.plots import regularization_figures as rf
from dlref.plots import worked_example_figures as wef

P = functools.partial
MATRIX = ((93, 7, 0, 0), (8, 86, 6, 0), (0, 5, 89, 6), (0, 0, 9, 91))  # a confusion matrix for the worked example

# name: (the memoized function, a call with fixed arguments that takes lang=... or nothing)
FIGURES: dict[str, tuple[Callable[..., str], Callable[..., str]]] = {
    "network_diagram": (bf.network_diagram, bf.network_diagram),
    "perceptron_boundaries_and": (bf.perceptron_boundaries, P(bf.perceptron_boundaries, "AND")),
    "perceptron_boundaries_or": (bf.perceptron_boundaries, P(bf.perceptron_boundaries, "OR")),
    "perceptron_mistakes": (bf.perceptron_mistakes, bf.perceptron_mistakes),
    "init_histograms": (inf.init_histograms, inf.init_histograms),
    "init_signal": (inf.init_signal, inf.init_signal),
    "init_symmetry": (inf.init_symmetry, inf.init_symmetry),
    "computational_graph": (bpf.computational_graph, bpf.computational_graph),
    "computational_graph_other": (bpf.computational_graph, P(bpf.computational_graph, 1.0, -2.0, 0.5, 0.0)),
    "vanishing_gradients": (bpf.vanishing_gradients, bpf.vanishing_gradients),
    "gradient_remedies": (bpf.gradient_remedies, bpf.gradient_remedies),
    "learning_rate_tradeoff": (of.learning_rate_tradeoff, of.learning_rate_tradeoff),
    "batch_noise": (of.batch_noise, of.batch_noise),
    "saddle_point": (of.saddle_point, of.saddle_point),
    "ema_bias_correction": (of.ema_bias_correction, of.ema_bias_correction),
    "trajectories_quadratic": (of.optimizer_trajectories, P(of.optimizer_trajectories, "quadratic")),
    "trajectories_rosenbrock": (of.optimizer_trajectories, P(of.optimizer_trajectories, "rosenbrock")),
    "lr_schedule_curves": (of.lr_schedule_curves, of.lr_schedule_curves),
    "overfitting_curves": (rf.overfitting_curves, rf.overfitting_curves),
    "penalty_paths": (rf.penalty_paths, rf.penalty_paths),
    "normalization_axes": (rf.normalization_axes, rf.normalization_axes),
    "scaling_distributions": (rf.scaling_distributions, rf.scaling_distributions),
    "batchnorm_training": (rf.batchnorm_training, rf.batchnorm_training),
    "conv_grid": (cf.conv_grid, P(cf.conv_grid, 5, 3, s=2, p=1)),
    "conv_grid_dilated": (cf.conv_grid, P(cf.conv_grid, 7, 3, d=2)),
    "transposed_grid": (cf.transposed_grid, P(cf.transposed_grid, 3, 3, s=2, p=1, output_padding=1)),
    "receptive_field_growth": (cf.receptive_field_growth, cf.receptive_field_growth),
    "cnn_pipeline": (af.cnn_pipeline, af.cnn_pipeline),
    "residual_gradients": (af.residual_gradients, af.residual_gradients),
    "quant_error": (af.quant_error, af.quant_error),
    "phone_diagnosis_chart": (wef.phone_diagnosis_chart, wef.phone_diagnosis_chart),
    "phone_training_curves": (wef.phone_training_curves, wef.phone_training_curves),
    "phone_confusion_matrix": (wef.phone_confusion_matrix, P(wef.phone_confusion_matrix, MATRIX)),
}
# Two panels side by side or a wide diagram, drawn before the 390 px rule: on a phone they scroll sideways inside
# their frame (the browser test checks that the page itself does not).
WIDE = {"cnn_pipeline", "quant_error"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _aria(svg: str) -> str:
    match = re.search(r'<svg role="img" aria-label="([^"]+)"', svg)
    assert match, "the figure has no aria-label"
    return match.group(1)


def test_every_chapter_figure_is_listed() -> None:
    listed = {fn.__name__ for fn, _ in FIGURES.values()}
    modules = (af, bpf, bf, cf, inf, of, rf, wef)
    tables = {"phone_diagnosis_table"}  # Markdown, not SVG: its page checks it
    assert listed == {name for m in modules for name in m.__all__} - tables


@pytest.mark.parametrize("name", FIGURES)
def test_figures_are_deterministic_across_cache_clears(name: str) -> None:
    figure, call = FIGURES[name]
    first = {lang: call(lang=lang) for lang in plots.LANGUAGES}
    figure.cache_clear()  # type: ignore[attr-defined]
    assert {lang: call(lang=lang) for lang in plots.LANGUAGES} == first


@pytest.mark.parametrize("name", FIGURES)
def test_svg_is_well_formed_inline_and_theme_aware(name: str) -> None:
    svg = FIGURES[name][1](lang="en")
    assert svg.startswith('<div class="dlref-figure"><svg') and svg.endswith("</svg></div>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "<dc:date>" not in svg
    assert "#000000" not in svg and "currentColor" in svg
    ET.fromstring(svg)  # raises if the markup is not well-formed
    ids = re.findall(r'id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:href="|url\()#([^")]+)', svg):
        assert ref in ids


@pytest.mark.parametrize("name", sorted(set(FIGURES) - WIDE))
def test_fits_a_390_px_phone(name: str) -> None:
    """The smallest text keeps 9 CSS px (the to_svg rule) at a width that fits a 390 px phone's content column."""
    svg = FIGURES[name][1](lang="zh")
    assert int(re.search(r"min-width: (\d+)px", svg).group(1)) <= 358


@pytest.mark.parametrize("call", [
    P(plots.activation, "relu"), P(plots.activation, "gelu"), plots.gradient_bound, plots.xor, plots.regression_losses,
    plots.outlier_fit, plots.focal_loss_curves, plots.giou_boxes, plots.ctc_lattice,
], ids=["activation_relu", "activation_gelu", "gradient_bound", "xor", "regression_losses", "outlier_fit",
        "focal_loss_curves", "giou_boxes", "ctc_lattice"])
def test_activation_and_loss_figures_fit_a_390_px_phone(call: Callable[[], str]) -> None:
    with plots.use_language("zh"):
        svg = call()
    assert int(re.search(r"min-width: (\d+)px", svg).group(1)) <= 358


@pytest.mark.parametrize("name", FIGURES)
def test_labels_follow_the_language(name: str) -> None:
    call = FIGURES[name][1]
    en, zh = call(lang="en"), call(lang="zh")
    assert en != zh
    assert not CJK.search(_aria(en)) and CJK.search(_aria(zh))
    assert call(lang="en") is en  # memoized per language
    with plots.use_language("zh"):
        assert call() == zh  # without lang=, the page language


def test_ids_are_unique_across_all_figures() -> None:
    """Several figures share a page; an id used twice would make one figure's clip paths hide another's."""
    ids: list[str] = []
    for lang in plots.LANGUAGES:
        for _, call in FIGURES.values():
            ids += re.findall(r'id="([^"]+)"', call(lang=lang))
    assert len(ids) == len(set(ids))
