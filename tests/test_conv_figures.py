"""Figures of the convolution and architectures chapters: dlref.plots.conv_figures and architecture_figures.

conv_figures draws the grid frames and receptive-field growth; architecture_figures the CNN
pipeline and the residual-gradient experiment (whose numbers are tested in test_experiments).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F

from dlref.plots import architecture_figures as af
from dlref.plots import conv_figures as cf


def _count(svg: str, name: str) -> int:
    """Patches drawn with gid ``<name>-<row>-<col>`` (the rendering core prefixes every id)."""
    return len(re.findall(rf'id="dlref-[^"]*-{name}-\d+-\d+"', svg))


def _aria(svg: str) -> str:
    match = re.search(r'<svg role="img" aria-label="([^"]+)"', svg)
    assert match, "the figure has no aria-label"
    return match.group(1)


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
    (lambda: cf.conv_grid(5.0, 3, lang="en"), TypeError,
     r"conv_grid: i has the wrong type \(got float\); expected an int"),
    (lambda: cf.conv_grid((5, 5), 3, lang="en"), TypeError,
     r"conv_grid: i has the wrong type \(got tuple\); expected an int"),
    (lambda: cf.conv_grid(3, 5, lang="en"), ValueError,  # the size arithmetic checks the geometry
     r"conv_output_size: k is too large for the padded input \(got k=5, d=1 for i=3, p=0\); "
     r"expected d\(k - 1\) \+ 1 <= the padded input size"),
    (lambda: cf.conv_grid(5, 3, s=0, lang="en"), ValueError,
     r"conv_grid: s is out of range \(got 0\); expected an int >= 1"),
    (lambda: cf.conv_grid(30, 3, lang="en"), ValueError,
     r"conv_grid: i is too large to draw \(got a padded input i \+ 2p = 30\); expected at most 24 cells"),
    (lambda: cf.transposed_grid(3, 3, p=3, lang="en"), ValueError,
     r"transposed_equivalent: p is too large \(got 3\); expected p <= d\(k - 1\) = 2"),
    (lambda: cf.transposed_grid(3, 3, s=2, output_padding=2, lang="en"), ValueError,
     r"conv_transpose_output_size: output_padding is out of range \(got 2\); expected an int < max\(s, d\) = 2"),
    (lambda: cf.transposed_grid(3, 3, output_padding=-1, lang="en"), ValueError,
     r"transposed_grid: output_padding is out of range \(got -1\); expected an int >= 0"),
    (lambda: cf.transposed_grid(10, 3, s=3, lang="en"), ValueError,
     r"transposed_grid: i is too large to draw \(got a stretched and padded input of 32 cells per side\); "
     r"expected at most 24 cells"),
    (lambda: cf.conv_grid(4, 3, lang="fr"), ValueError,
     r"conv_grid: lang is not a valid choice \(got 'fr'\); expected one of 'en', 'zh'"),
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


def test_cnn_pipeline_labels() -> None:
    zh = af.cnn_pipeline(lang="zh")
    for word in ("输入层", "卷积层", "激活", "池化", "全连接层", "输出层", "损失函数", "反向传播", "优化器更新参数"):
        assert f"<!-- {word} -->" in zh
    en = af.cnn_pipeline(lang="en")
    for word in ("convolution", "activation", "pooling", "backpropagation", "optimizer step", "softmax / sigmoid"):
        assert f"<!-- {word} -->" in en


def test_public_names() -> None:
    assert sorted(cf.__all__) == ["conv_grid", "receptive_field_growth", "transposed_grid"]
    assert sorted(af.__all__) == ["cnn_pipeline", "quant_error", "residual_gradients"]
    for module in (cf, af):
        for name in module.__all__:
            doc = getattr(module, name).__doc__
            assert doc and "Examples:" in doc and "Returns:" in doc
    # the figures that moved to the architectures chapter stay importable from their old module
    assert cf.cnn_pipeline is af.cnn_pipeline and cf.residual_gradients is af.residual_gradients


def test_quant_error_names_the_scheme_and_its_bound() -> None:
    assert _aria(af.quant_error(lang="en")).startswith("Per-tensor int8 fake quantization")
    assert "±s/2" in _aria(af.quant_error(lang="en")) and "伪量化" in _aria(af.quant_error(lang="zh"))
