"""dlref.plots: deterministic, memoized, theme-aware figures and measured tables."""

from __future__ import annotations

import math
import re

import pytest
import torch

from dlref import plots
from dlref.activations import ACTIVATIONS


def test_figures_are_deterministic_across_cache_clears() -> None:
    first = plots.activation("gelu")
    plots.activation.cache_clear()
    assert plots.activation("gelu") == first
    for figure in (plots.xor, plots.gradient_bound):
        figure_first = figure(lang="zh")
        figure.cache_clear()  # type: ignore[attr-defined]
        assert figure(lang="zh") == figure_first


def test_figures_are_memoized() -> None:
    assert plots.activation("relu") is plots.activation("relu")
    assert plots.xor(lang="en") is plots.xor(lang="en")


def test_svg_is_inline_theme_aware_and_has_unique_ids() -> None:
    svgs = [plots.activation("tanh"), plots.activation("sigmoid"), plots.xor(lang="en")]
    ids: list[str] = []
    for svg in svgs:
        assert svg.startswith('<div class="dlref-figure"><svg') and svg.endswith("</svg></div>")
        assert "<?xml" not in svg and "DOCTYPE" not in svg
        assert "#000000" not in svg and "currentColor" in svg
        assert "<dc:date>" not in svg  # metadata={"Date": None}
        ids += re.findall(r'id="([^"]+)"', svg)
        # every internal reference points at an id of the same figure
        for ref in re.findall(r'(?:href="|url\()#([^")]+)', svg):
            assert ref in re.findall(r'id="([^"]+)"', svg)
    assert len(ids) == len(set(ids)), "two figures on one page would share an id"


def test_word_labels_follow_the_language() -> None:
    en, zh = plots.gradient_bound(lang="en"), plots.gradient_bound(lang="zh")
    assert 'aria-label="Gradient bound against depth"' in en
    assert 'aria-label="梯度上界随层数的变化"' in zh
    with plots.use_language("zh"):
        assert plots.xor() == plots.xor(lang="zh")
    assert plots.get_language() == "en"


def test_math_only_figures_are_shared_between_languages() -> None:
    with plots.use_language("zh"):
        zh = plots.activation("softplus")
    assert zh is plots.activation("softplus")


@pytest.mark.parametrize(("call", "match"), [
    (lambda: plots.set_language("fr"), r"lang: got 'fr'; allowed values are 'en', 'zh'"),
    (lambda: plots.activation("mish"), r"name: got 'mish'"),
    (lambda: plots.activation("relu", 1.0, -1.0), r"lo, hi: need lo < hi, got lo=1.0, hi=-1.0"),
    (lambda: plots.gradient_bound(1), r"depth: got 1; allowed is an int >= 2"),
    (lambda: plots.measure("mish"), r"name: got 'mish'"),
    (lambda: plots.xor_network(torch.zeros(3, 3)), r"x must have shape \(N, 2\), got \(3, 3\)"),
])
def test_bad_arguments_raise_value_error(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_xor_network_rejects_non_tensors() -> None:
    with pytest.raises(TypeError, match="xor_network: x must be a torch.Tensor, got list"):
        plots.xor_network([[0.0, 1.0]])  # type: ignore[arg-type]


def test_xor_network_solves_xor() -> None:
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    torch.testing.assert_close(plots.xor_network(X), torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=torch.float64))


def test_measure_matches_closed_forms() -> None:
    sig, relu, tanh, gelu = (plots.measure(n) for n in ("sigmoid", "relu", "tanh", "gelu"))
    assert sig["d0"] == 0.25 and sig["dmax"] == 0.25 and sig["saturates"] == "both"
    assert math.isclose(relu["normal_mean"], 1 / math.sqrt(2 * math.pi), rel_tol=1e-9)
    assert relu["d0"] == 0.0 and relu["saturates"] == "left" and not relu["smooth"]
    assert abs(tanh["normal_mean"]) < 1e-12 and tanh["smooth"] and tanh["monotonic"]
    # GELU's minimum: f'(x) = Phi(x) + x phi(x) = 0 near x = -0.7518, value -0.16997.
    assert not gelu["monotonic"] and math.isclose(gelu["ymin"], ACTIVATIONS["gelu"].output_range[0], abs_tol=1e-8)


def test_table_has_one_row_per_activation_in_both_languages() -> None:
    for lang, head in (("en", "| function | range |"), ("zh", "| 函数 | 值域 |")):
        table = plots.activation_table(lang=lang).splitlines()
        assert table[0].startswith(head)
        assert len(table) == 2 + len(ACTIVATIONS)
        assert [row.split(" | ")[0].lstrip("| ") for row in table[2:]] == [a.title for a in ACTIVATIONS.values()]


def test_table_ranges_use_open_and_closed_ends_correctly() -> None:
    rows = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[1] for row in plots.activation_table(lang="en").splitlines()[2:]}
    assert rows["Sigmoid"] == "$(0, 1)$"
    assert rows["Tanh"] == "$(-1, 1)$"
    assert rows["ReLU"] == "$[0, \\infty)$"
    assert rows["ReLU6"] == "$[0, 6]$"
    assert rows["GELU"] == "$[-0.17, \\infty)$"
    assert rows["LogSoftmax"] == "$(-\\infty, 0)$"
    assert rows["Step (Heaviside)"] == "$\\{0, 1\\}$"


def test_card_labels_follow_the_language() -> None:
    assert "*Range*" in plots.activation_card("elu", lang="en")
    assert "*值域*" in plots.activation_card("elu", lang="zh")
    assert "`alpha=1.0`" in plots.activation_card("elu", lang="en")


@pytest.mark.parametrize("figure", [plots.regression_losses, plots.outlier_fit, plots.focal_loss_curves, plots.giou_boxes])
def test_loss_figures_are_deterministic_and_follow_the_language(figure) -> None:
    en = figure(lang="en")
    figure.cache_clear()
    assert figure(lang="en") == en
    zh = figure(lang="zh")
    assert zh != en and re.search(r'aria-label="[^"]*[\u4e00-\u9fff]', zh)


def test_outlier_experiment_fits() -> None:
    run = plots.outlier_experiment()
    x, y = run["x"], run["y"]
    X1 = torch.stack([x, torch.ones_like(x)], dim=1)
    lstsq = torch.linalg.lstsq(X1, y[:, None]).solution.squeeze(1)
    torch.testing.assert_close(torch.tensor(run["fits"]["MSE"], dtype=torch.float64), lstsq, rtol=0, atol=1e-6)
    slope_error = {name: abs(a - 2.0) for name, (a, _) in run["fits"].items()}
    assert slope_error["MAE"] < slope_error["MSE"] / 3 and slope_error["Huber"] < slope_error["MSE"] / 3
