"""dlref.plots: deterministic, memoized, theme-aware figures and generated tables."""

from __future__ import annotations

import re

import pytest

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


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: plots.set_language("fr"), ValueError,
     r"set_language: lang is not a valid choice \(got 'fr'\); expected one of 'en', 'zh'"),
    (lambda: plots.activation("mish"), ValueError,
     r"activation: name is not a valid choice \(got 'mish'\); expected one of 'sigmoid', 'tanh', 'relu'"),
    (lambda: plots.activation("relu", 1.0, -1.0), ValueError,
     r"activation: hi is not above lo \(got -1.0\); expected hi > lo = 1.0"),
    (lambda: plots.activation("relu", "a", 1.0), TypeError,
     r"activation: lo has the wrong type \(got str\); expected a real number"),
    (lambda: plots.gradient_bound(1), ValueError,
     r"gradient_bound: depth is out of range \(got 1\); expected an int >= 2"),
    (lambda: plots.gradient_bound(2.0), TypeError,
     r"gradient_bound: depth has the wrong type \(got float\); expected an int"),
    (lambda: plots.activation_card("mish"), ValueError,
     r"activation_card: name is not a valid choice \(got 'mish'\); expected one of 'sigmoid'"),
    (lambda: plots.focal_loss_curves((1.0, -1.0)), ValueError,
     r"focal_loss_curves: gammas\[1\] is out of range \(got -1.0\); expected a finite number >= 0"),
])
def test_bad_arguments_raise(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_table_has_one_row_per_activation_in_both_languages() -> None:
    for lang, head in (("en", "| function | range |"), ("zh", "| 函数 | 值域 |")):
        table = plots.activation_table(lang=lang).splitlines()
        assert table[0].startswith(head)
        assert len(table) == 2 + len(ACTIVATIONS)
        assert [row.split(" | ")[0].lstrip("| ") for row in table[2:]] == [a.title for a in ACTIVATIONS.values()]


def test_table_ranges_use_open_and_closed_ends_correctly() -> None:
    table = plots.activation_table(lang="en").splitlines()[2:]
    rows = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[1] for row in table}
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


@pytest.mark.parametrize(
    "figure", [plots.regression_losses, plots.outlier_fit, plots.focal_loss_curves, plots.giou_boxes]
)
def test_loss_figures_are_deterministic_and_follow_the_language(figure) -> None:
    en = figure(lang="en")
    figure.cache_clear()
    assert figure(lang="en") == en
    zh = figure(lang="zh")
    assert zh != en and re.search(r'aria-label="[^"]*[\u4e00-\u9fff]', zh)


def test_figure_modules_hold_only_figures() -> None:
    """Each chapter's module exports figures and tables (strings), never experiments or models."""
    from dlref.plots import activation_figures, architecture_figures, conv_figures, loss_figures

    for module in (activation_figures, architecture_figures, conv_figures, loss_figures):
        for name in module.__all__:
            doc = getattr(module, name).__doc__
            assert "Returns:" in doc and ("SVG" in doc or "Markdown" in doc), f"{module.__name__}.{name}"
    figures = [*activation_figures.__all__, *architecture_figures.__all__, *conv_figures.__all__, *loss_figures.__all__]
    assert sorted(figures) == sorted(n for n in plots.__all__ if n not in {"LANGUAGES", "get_language", "set_language",
                                                                           "use_language"})
