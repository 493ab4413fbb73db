"""Figures of the basics chapter (dlref.plots.basics_figures): determinism, language, theme, what they draw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from dlref import plots
from dlref.experiments import perceptron_gates
from dlref.plots import basics_figures as bf

FIGURES: dict[str, tuple[Callable[..., str], Callable[[str], str]]] = {  # name: (cached function, call)
    "perceptron_boundaries_and": (bf.perceptron_boundaries, lambda lang: bf.perceptron_boundaries("AND", lang=lang)),
    "perceptron_boundaries_or": (bf.perceptron_boundaries, lambda lang: bf.perceptron_boundaries("OR", lang=lang)),
    "perceptron_mistakes": (bf.perceptron_mistakes, lambda lang: bf.perceptron_mistakes(lang=lang)),
    "network_diagram": (bf.network_diagram, lambda lang: bf.network_diagram(lang=lang)),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _aria(svg: str) -> str:
    match = re.search(r'<svg role="img" aria-label="([^"]+)"', svg)
    assert match, "the figure has no aria-label"
    return match.group(1)


def _texts(svg: str) -> list[str]:
    """matplotlib keeps each label's text as a comment next to its glyph paths."""
    return re.findall(r"<!-- (.*?) -->", svg)


@pytest.mark.parametrize("name", FIGURES)
def test_figures_are_deterministic_across_cache_clears(name: str) -> None:
    figure, call = FIGURES[name]
    first = {lang: call(lang) for lang in ("en", "zh")}
    figure.cache_clear()  # type: ignore[attr-defined]
    assert {lang: call(lang) for lang in ("en", "zh")} == first


@pytest.mark.parametrize("name", FIGURES)
def test_svg_is_well_formed_inline_theme_aware_and_legible(name: str) -> None:
    svg = FIGURES[name][1]("en")
    assert svg.startswith('<div class="dlref-figure"><svg') and svg.endswith("</svg></div>")
    assert "<?xml" not in svg and "<dc:date>" not in svg and "#000000" not in svg and "currentColor" in svg
    ET.fromstring(svg)
    ids = re.findall(r'id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    # the smallest text keeps 9 CSS px at a width that fits the content column of a 390 px phone
    assert int(re.search(r"min-width: (\d+)px", svg).group(1)) <= 358


@pytest.mark.parametrize("name", FIGURES)
def test_labels_follow_the_language(name: str) -> None:
    call = FIGURES[name][1]
    en, zh = call("en"), call("zh")
    assert en != zh
    assert not CJK.search(_aria(en)) and CJK.search(_aria(zh))
    assert not any(CJK.search(t) for t in _texts(en))
    assert any(CJK.search(t) for t in _texts(zh))
    assert call("en") is en  # memoized per language


def test_current_language_is_used_when_lang_is_omitted() -> None:
    with plots.use_language("zh"):
        assert bf.perceptron_mistakes() == bf.perceptron_mistakes(lang="zh")
    assert bf.perceptron_boundaries("OR") == bf.perceptron_boundaries("OR", lang="en")


def test_ids_are_unique_across_the_figures_of_the_page() -> None:
    ids: list[str] = []
    for lang in ("en", "zh"):
        for _, call in FIGURES.values():
            ids += re.findall(r'id="([^"]+)"', call(lang))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("gate", ["AND", "OR"])
def test_boundaries_draw_one_titled_panel_per_epoch(gate: str) -> None:
    run = perceptron_gates(gate)
    texts = _texts(bf.perceptron_boundaries(gate, lang="en"))
    titles = [t for t in texts if t.startswith("epoch ")]
    assert titles == [f"epoch {k + 1}: {m} mistake{'' if m == 1 else 's'}" for k, m in enumerate(run.history)]
    zh = [t for t in _texts(bf.perceptron_boundaries(gate, lang="zh")) if t.startswith("第 ")]
    assert zh == [f"第 {k + 1} 轮：错 {m} 个" for k, m in enumerate(run.history)]


def test_mistakes_legend_says_which_gates_converge() -> None:
    texts = _texts(bf.perceptron_mistakes(lang="en"))
    assert {"XOR (never 0)", "AND (converged)", "OR (converged)"} <= set(texts)


def test_network_diagram_gives_torch_shapes() -> None:
    from torch import nn

    texts = " ".join(_texts(bf.network_diagram(lang="en")))
    hidden, output = nn.Linear(3, 4), nn.Linear(4, 1)
    assert f"$W^{{[1]}}$: {tuple(hidden.weight.shape)}" in texts
    assert f"$W^{{[2]}}$: {tuple(output.weight.shape)}" in texts
    assert "$b^{[1]}$: (4,)" in texts and "$b^{[2]}$: (1,)" in texts


def test_bad_gate_raises() -> None:
    with pytest.raises(ValueError, match=r"perceptron_boundaries: gate is not a valid choice \(got 'XOR'\)"):
        bf.perceptron_boundaries("XOR", lang="en")
