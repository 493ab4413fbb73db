"""Figures of the backprop chapter (dlref.plots.backprop_figures): determinism, language, theme, what they draw."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
import torch

from dlref import plots
from dlref.plots import backprop_figures as bf

FIGURES: dict[str, tuple[Callable[..., str], Callable[[str], str]]] = {  # name: (cached function, call)
    "computational_graph": (bf.computational_graph, lambda lang: bf.computational_graph(lang=lang)),
    "computational_graph_other": (bf.computational_graph,
                                  lambda lang: bf.computational_graph(1.0, -2.0, 0.5, 0.0, lang=lang)),
    "vanishing_gradients": (bf.vanishing_gradients, lambda lang: bf.vanishing_gradients(lang=lang)),
    "gradient_remedies": (bf.gradient_remedies, lambda lang: bf.gradient_remedies(lang=lang)),
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
        assert bf.vanishing_gradients() == bf.vanishing_gradients(lang="zh")
    assert bf.computational_graph() == bf.computational_graph(lang="en")


def test_ids_are_unique_across_the_figures_of_the_page() -> None:
    ids: list[str] = []
    for lang in ("en", "zh"):
        for _, call in FIGURES.values():
            ids += re.findall(r'id="([^"]+)"', call(lang))
    assert len(ids) == len(set(ids))


def test_graph_shows_the_values_and_gradients_torch_computes() -> None:
    x, w, b, t = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (2.0, 0.5, -0.5, 1.0))
    loss = (torch.sigmoid(w * x + b) - t) ** 2
    loss.backward()
    texts = _texts(bf.computational_graph(lang="en"))
    assert f"value {loss.item():.4g}" in texts
    for leaf in (x, w, b, t):
        assert f"grad {leaf.grad.item():.4g}" in texts
    assert "grad 1" in texts  # dL/dL
    # the edges carry the local derivatives: w -> wx is x = 2, z -> a is sigma'(0.5)
    s = torch.sigmoid(torch.tensor(0.5, dtype=torch.float64)).item()
    assert "×2" in texts and f"×{s * (1 - s):.3g}" in texts


def test_graph_titles_name_every_node_once() -> None:
    texts = _texts(bf.computational_graph(lang="zh"))
    titles = [t for t in texts if t.split()[0] in {"x", "w", "b", "t", "wx", "z", "a", "a−t", "L"}]
    assert sorted(t.split()[0] for t in titles) == sorted(["x", "w", "b", "t", "wx", "z", "a", "a−t", "L"])
    assert any(t.startswith("梯度 ") for t in texts) and any(t.startswith("值 ") for t in texts)
