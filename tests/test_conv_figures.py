"""dlref.plots.conv_figures: grid frames, receptive-field growth, residual gradients, CNN pipeline."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F

from dlref import plots
from dlref.plots import conv_figures as cf

FIGURES: dict[str, tuple[Callable[..., str], Callable[[str], str]]] = {  # name: (cached function, call)
    "conv_grid": (cf.conv_grid, lambda lang: cf.conv_grid(5, 3, s=2, p=1, lang=lang)),
    "conv_grid_dilated": (cf.conv_grid, lambda lang: cf.conv_grid(7, 3, d=2, lang=lang)),
    "transposed_grid": (cf.transposed_grid,
                        lambda lang: cf.transposed_grid(3, 3, s=2, p=1, output_padding=1, lang=lang)),
    "receptive_field_growth": (cf.receptive_field_growth, lambda lang: cf.receptive_field_growth(lang=lang)),
    "residual_gradients": (cf.residual_gradients, lambda lang: cf.residual_gradients(lang=lang)),
    "cnn_pipeline": (cf.cnn_pipeline, lambda lang: cf.cnn_pipeline(lang=lang)),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _count(svg: str, name: str) -> int:
    """Patches drawn with gid ``<name>-<row>-<col>`` (the rendering core prefixes every id)."""
    return len(re.findall(rf'id="dlref-[^"]*-{name}-\d+-\d+"', svg))


def _aria(svg: str) -> str:
    match = re.search(r'<svg role="img" aria-label="([^"]+)"', svg)
    assert match, "the figure has no aria-label"
    return match.group(1)


@pytest.mark.parametrize("name", FIGURES)
def test_figures_are_deterministic_across_cache_clears(name: str) -> None:
    figure, call = FIGURES[name]
    first = {lang: call(lang) for lang in ("en", "zh")}
    figure.cache_clear()  # type: ignore[attr-defined]
    assert {lang: call(lang) for lang in ("en", "zh")} == first


@pytest.mark.parametrize("name", FIGURES)
def test_svg_is_well_formed_inline_and_theme_aware(name: str) -> None:
    svg = FIGURES[name][1]("en")
    assert svg.startswith('<div class="dlref-figure"><svg') and svg.endswith("</svg></div>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "<dc:date>" not in svg
    assert "#000000" not in svg and "currentColor" in svg
    ET.fromstring(svg)  # raises if the markup is not well-formed
    ids = re.findall(r'id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:href="|url\()#([^")]+)', svg):
        assert ref in ids


@pytest.mark.parametrize("name", FIGURES)
def test_labels_follow_the_language(name: str) -> None:
    call = FIGURES[name][1]
    en, zh = call("en"), call("zh")
    assert en != zh
    assert not CJK.search(_aria(en)) and CJK.search(_aria(zh))
    assert call("en") is en  # memoized per language


def test_current_language_is_used_when_lang_is_omitted() -> None:
    with plots.use_language("zh"):
        assert cf.conv_grid(4, 3) == cf.conv_grid(4, 3, lang="zh")
        assert cf.cnn_pipeline() == cf.cnn_pipeline(lang="zh")
    assert cf.conv_grid(4, 3) == cf.conv_grid(4, 3, lang="en")


def test_ids_are_unique_across_figures_of_one_page() -> None:
    ids: list[str] = []
    for lang in ("en", "zh"):
        for _, call in FIGURES.values():
            ids += re.findall(r'id="([^"]+)"', call(lang))
        ids += re.findall(r'id="([^"]+)"', cf.conv_grid(4, 3, lang=lang))
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("i", "k", "s", "p", "d", "o"), [
    (4, 3, 1, 0, 1, 2),  # guide fig. 2.1: no padding, unit stride
    (5, 4, 1, 2, 1, 6),  # guide fig. 2.2: arbitrary padding
    (5, 3, 1, 1, 1, 5),  # guide fig. 2.3: half (same) padding
    (5, 3, 2, 1, 1, 3),  # guide fig. 2.7: padding and stride
    (7, 3, 1, 0, 2, 3),  # guide fig. 5.1: dilation
])
def test_conv_grid_draws_o_squared_outputs_and_k_squared_taps(i: int, k: int, s: int, p: int, d: int, o: int) -> None:
    svg = cf.conv_grid(i, k, s, p, d, lang="en")
    torch_o = F.conv2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d).shape[-1]
    assert o == torch_o
    assert _count(svg, "out-cell") == o * o
    assert svg.count("out-cell") == o * o
    assert _count(svg, "tap") == k * k
    title = f"i={i}, k={k}, s={s}, p={p}" + (f", d={d}" if d != 1 else "") + f"  →  o={o}"
    assert f"<!-- {title} -->" in svg  # matplotlib keeps each label's text as a comment


@pytest.mark.parametrize(("i", "k", "s", "p", "op", "o"), [
    (2, 3, 1, 0, 0, 4),  # guide fig. 4.1: no padding, unit stride
    (3, 3, 2, 1, 0, 5),  # guide fig. 4.6: zero insertion with padding
    (3, 3, 2, 1, 1, 6),  # guide fig. 4.7: ... and output padding
    (2, 3, 2, 0, 0, 5),  # guide fig. 4.5: zero insertion, no padding
])
def test_transposed_grid_draws_the_torch_output_size(i: int, k: int, s: int, p: int, op: int, o: int) -> None:
    svg = cf.transposed_grid(i, k, s, p, op, lang="en")
    torch_o = F.conv_transpose2d(torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k), stride=s, padding=p,
                                 output_padding=op).shape[-1]
    assert o == torch_o
    assert _count(svg, "out-cell") == o * o
    assert _count(svg, "tap") == k * k


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: cf.conv_grid(5.0, 3, lang="en"), TypeError, r"conv_grid: i must be an int"),
    (lambda: cf.conv_grid((5, 5), 3, lang="en"), TypeError, r"square sizes"),
    (lambda: cf.conv_grid(3, 5, lang="en"), ValueError, r"larger than the padded input"),
    (lambda: cf.conv_grid(5, 3, s=0, lang="en"), ValueError, r"stride"),
    (lambda: cf.conv_grid(30, 3, lang="en"), ValueError, r"too large to draw"),
    (lambda: cf.transposed_grid(3, 3, p=3, lang="en"), ValueError, r"padding"),
    (lambda: cf.transposed_grid(3, 3, s=2, output_padding=2, lang="en"), ValueError, r"output_padding"),
    (lambda: cf.transposed_grid(10, 3, s=3, lang="en"), ValueError, r"too large to draw"),
    (lambda: cf.conv_grid(4, 3, lang="fr"), ValueError, r"lang: got 'fr'"),
])
def test_bad_arguments_raise(call: Callable[[], str], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_receptive_field_growth_shows_the_closed_forms() -> None:
    svg = cf.receptive_field_growth(lang="en")
    L = 8
    # stride 1: 2L + 1; dilation 1, 2, 4, ...: 2^(L+1) - 1; conv-conv-pool ×: 68 (Araujo et al.'s recursion)
    for value in (2 * L + 1, 2 ** (L + 1) - 1, 68):
        assert f"<!-- {value} -->" in svg


def test_residual_experiment_gradients() -> None:
    state = torch.get_rng_state()
    run = cf.residual_experiment()
    assert torch.equal(torch.get_rng_state(), state)  # the global generator is left alone
    assert run["depths"] == (8, 16, 24, 32, 40, 48, 56)
    for name in ("plain", "residual", "plain_he"):
        assert len(run[name]) == len(run["depths"])
        assert all(math.isfinite(g) and g > 0 for g in run[name])
    plain, residual, he = run["plain"], run["residual"], run["plain_he"]
    # plain stack with default init: the gradient vanishes geometrically with depth
    assert all(b < a / 1e2 for a, b in zip(plain, plain[1:], strict=False))
    assert plain[-1] < 1e-12 * residual[-1]
    per_block = (plain[0] / plain[-1]) ** (1 / ((run["depths"][-1] - run["depths"][0]) / 2))
    assert 4.0 < per_block < 4.7  # the docstring: about sqrt(18) ≈ 4.2 in theory, about 4.3 measured
    # residual stack (same weights) and He-initialised plain stack: no vanishing at initialisation
    assert all(0.05 < g < 5.0 for g in residual + he)
    assert max(residual) / min(residual) < 5.0


def test_residual_experiment_is_deterministic() -> None:
    first = cf.residual_experiment()
    threads = torch.get_num_threads()
    cf.residual_experiment.cache_clear()
    assert cf.residual_experiment() == first
    assert torch.get_num_threads() == threads
    assert cf.residual_experiment() is cf.residual_experiment()


def test_cnn_pipeline_labels() -> None:
    zh = cf.cnn_pipeline(lang="zh")
    for word in ("输入层", "卷积层", "激活", "池化", "全连接层", "输出层", "损失函数", "反向传播", "优化器更新参数"):
        assert f"<!-- {word} -->" in zh
    en = cf.cnn_pipeline(lang="en")
    for word in ("convolution", "activation", "pooling", "backpropagation", "optimiser step", "softmax / sigmoid"):
        assert f"<!-- {word} -->" in en


def test_public_names() -> None:
    assert sorted(cf.__all__) == ["cnn_pipeline", "conv_grid", "receptive_field_growth", "residual_experiment",
                                  "residual_gradients", "transposed_grid"]
    for name in cf.__all__:
        doc = getattr(cf, name).__doc__
        assert doc and "Examples:" in doc and "Returns:" in doc
