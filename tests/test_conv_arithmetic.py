"""dlref.conv.arithmetic against torch: the guide's relationships, real layer shapes, receptive fields, errors."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from dlref.conv import arithmetic as A

SETTINGS = settings(max_examples=150, deadline=None)
TORCH_ERRORS = (RuntimeError, ValueError)


def torch_shape(make, i: tuple[int, int]) -> tuple[int, int] | None:
    """Spatial output shape of the layer `make()` on a zero input of size `i`, or None if torch raises.

    An empty output counts as invalid too: ConvTranspose2d returns a 0-sized output where
    padding crops everything, and dlref raises there on purpose (it never returns a size <= 0).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. padding="same" with an even kernel warns about a padded copy
        try:
            shape = tuple(make()(torch.zeros(1, 1, *i)).shape[-2:])
        except TORCH_ERRORS:
            return None
    return shape if min(shape) >= 1 else None


def dlref_shape(fn, *args, **kwargs):
    """dlref's result, or None if it raises ValueError (any other exception propagates)."""
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


# --------------------------------------------------------------------------- the guide's relationships

# (i, o, p, k, s, d): Dumoulin & Visin's figures. Each carries the guide's relationship for the convolution,
# o = f(i, k, s, p, d), and for its transpose, i = g(o, k, s, p, a) with a = (i + 2p - k) mod s.
GUIDE = [
    pytest.param(4, 2, 0, 3, 1, 1, lambda i, k, s, p, d: i - k + 1, lambda o, k, s, p, a: o + (k - 1),
                 id="rel1-no-padding-unit-strides+rel8"),
    pytest.param(5, 6, 2, 4, 1, 1, lambda i, k, s, p, d: i - k + 2 * p + 1, lambda o, k, s, p, a: o + (k - 1) - 2 * p,
                 id="rel2-zero-padding-unit-strides+rel9"),
    pytest.param(5, 5, 1, 3, 1, 1, lambda i, k, s, p, d: i, lambda o, k, s, p, a: o,
                 id="rel3-half-same-padding+rel10"),
    pytest.param(5, 7, 2, 3, 1, 1, lambda i, k, s, p, d: i + (k - 1), lambda o, k, s, p, a: o - (k - 1),
                 id="rel4-full-padding+rel11"),
    pytest.param(5, 2, 0, 3, 2, 1, lambda i, k, s, p, d: (i - k) // s + 1, lambda o, k, s, p, a: s * (o - 1) + k,
                 id="rel5-no-padding-strides+rel12"),
    pytest.param(5, 3, 1, 3, 2, 1, lambda i, k, s, p, d: (i + 2 * p - k) // s + 1,
                 lambda o, k, s, p, a: s * (o - 1) + k - 2 * p, id="rel6-padding-strides+rel13"),
    pytest.param(6, 3, 1, 3, 2, 1, lambda i, k, s, p, d: (i + 2 * p - k) // s + 1,
                 lambda o, k, s, p, a: s * (o - 1) + a + k - 2 * p, id="rel6-padding-strides-odd+rel14"),
    pytest.param(7, 3, 0, 3, 1, 2, lambda i, k, s, p, d: (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1,
                 None, id="rel15-dilation"),  # the guide gives no transposed relationship with dilation
]
GUIDE_ARGS = ("i", "o", "p", "k", "s", "d", "relationship", "transposed")


@pytest.mark.parametrize(GUIDE_ARGS, GUIDE)
def test_guide_convolution(i: int, o: int, p: int, k: int, s: int, d: int, relationship, transposed) -> None:
    assert relationship(i, k, s, p, d) == o
    assert A.conv_output_size(i, k, s, p, d) == o
    assert A.conv_output_size((i, i + 1), k, s, p, d) == (o, A.conv_output_size(i + 1, k, s, p, d))
    assert torch_shape(lambda: nn.Conv2d(1, 1, k, s, p, d), (i, i)) == (o, o)
    assert i in A.conv_input_sizes(o, k, s, p, d)


@pytest.mark.parametrize(GUIDE_ARGS, GUIDE)
def test_guide_transposed_convolution(i: int, o: int, p: int, k: int, s: int, d: int, relationship, transposed) -> None:
    a = (i + 2 * p - d * (k - 1) - 1) % s  # the guide's a, torch's output_padding
    assert a in A.valid_output_padding(s, d)
    if transposed is not None:
        assert transposed(o, k, s, p, a) == i
    assert A.conv_transpose_output_size(o, k, s, p, a, d) == i
    assert torch_shape(lambda: nn.ConvTranspose2d(1, 1, k, s, p, a, dilation=d), (o, o)) == (i, i)
    eq = A.transposed_equivalent(k, s, p, d)
    assert eq == (s - 1, d * (k - 1) - p, 1, k, d)
    # the guide's equivalent direct convolution: stretched input (o - 1)s + 1, padded by p' both sides and a more
    assert A.conv_output_size((o - 1) * s + 1 + 2 * eq.padding + a, k, 1, 0, d) == i


@pytest.mark.parametrize(("i", "k", "s", "o"), [(5, 3, 1, 3), (5, 3, 2, 2), (6, 2, 2, 3), (7, 3, 2, 3)])
def test_guide_pooling_relationship_7(i: int, k: int, s: int, o: int) -> None:
    assert (i - k) // s + 1 == o == A.pool_output_size(i, k, s)
    assert torch_shape(lambda: nn.MaxPool2d(k, s), (i, i)) == (o, o)


def test_int_in_int_out_tuple_in_tuple_out() -> None:
    assert type(A.conv_output_size(5, 3)) is int
    assert A.conv_output_size((5,), 3) == (3,)
    assert A.conv_output_size([5, 6], 3) == (3, 4)
    assert A.pool_output_size(8, (2, 4)) == (4, 2)
    assert A.conv_input_sizes((3, 3), 3, s=(1, 2), p=1) == (range(3, 4), range(5, 7))
    assert A.same_padding((3, 4), d=(1, 1)) == A.SamePadding((1, 1), (1, 2), (True, False))


# --------------------------------------------------------------------------- real layers, valid and invalid parameters


@st.composite
def conv_dim(draw, valid: bool) -> tuple[int, ...]:
    """(i, k, s, p, d) for one dimension: valid by construction, or from ranges that include invalid values
    (stride or dilation 0, negative padding, kernels larger than the padded input)."""
    if not valid:
        return draw(st.tuples(st.integers(1, 20), st.integers(1, 7), st.integers(0, 4), st.integers(-1, 4),
                              st.integers(0, 3)))
    k, s, p, d = draw(st.integers(1, 7)), draw(st.integers(1, 4)), draw(st.integers(0, 4)), draw(st.integers(1, 3))
    return max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 12)), k, s, p, d


@st.composite
def tconv_dim(draw, valid: bool) -> tuple[int, ...]:
    """(i, k, s, p, output_padding, d) for one dimension, as conv_dim."""
    if not valid:
        return draw(st.tuples(st.integers(1, 10), st.integers(1, 5), st.integers(0, 4), st.integers(-1, 4),
                              st.integers(-1, 4), st.integers(0, 3)))
    k, s, p, d = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(0, 4)), draw(st.integers(1, 3))
    op = draw(st.integers(0, max(s, d) - 1))
    # (i - 1)s >= 2p - d(k - 1) - op keeps the output positive
    i = 1 + -(-max(0, 2 * p - d * (k - 1) - op) // s) + draw(st.integers(0, 8))
    return i, k, s, p, op, d


@st.composite
def pool_dim(draw, valid: bool) -> tuple[int, ...]:
    """(i, k, s, p, d) for one pooling dimension, as conv_dim."""
    if not valid:
        return draw(st.tuples(st.integers(1, 20), st.integers(1, 6), st.integers(0, 4), st.integers(-1, 3),
                              st.integers(0, 3)))
    k, s, d = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    p = draw(st.integers(0, k // 2))
    return max(1, d * (k - 1) + 1 - 2 * p) + draw(st.integers(0, 12)), k, s, p, d


def two_dims(strategy, valid: bool):
    """Parameters for both spatial dimensions; the mixed kind makes each dimension valid about 2 times in 3."""
    one = strategy(True) if valid else st.one_of(strategy(True), strategy(False))
    return st.tuples(one, one)


def check_conv(dims, padding, valid: bool) -> None:
    i, k, s, p, d = zip(*dims, strict=True)
    if valid and padding == "valid":  # no padding: widen the input by what p would have added
        i = tuple(i_ + 2 * p_ for i_, p_ in zip(i, p, strict=True))
    if padding is not None:
        p, s = padding, ((1, 1) if valid and padding == "same" else s)
    expected = torch_shape(lambda: nn.Conv2d(1, 1, k, s, p, d), i)
    assert dlref_shape(A.conv_output_size, i, k, s, p, d) == expected
    if valid:
        assert expected is not None and min(expected) >= 1
        per_dim = zip(i, k, s, [p] * 2 if padding else p, d, strict=True)
        assert expected == tuple(A.conv_output_size(*a) for a in per_dim)


@SETTINGS
@given(two_dims(conv_dim, True), st.sampled_from([None, None, None, "same", "valid"]))
def test_conv_output_size_matches_conv2d(dims, padding) -> None:
    check_conv(dims, padding, valid=True)


@SETTINGS
@given(two_dims(conv_dim, False), st.sampled_from([None, None, None, "same", "valid"]))
def test_conv_output_size_raises_exactly_when_conv2d_raises(dims, padding) -> None:
    check_conv(dims, padding, valid=False)


def check_conv_transpose(dims, valid: bool) -> None:
    i, k, s, p, op, d = zip(*dims, strict=True)
    expected = torch_shape(lambda: nn.ConvTranspose2d(1, 1, k, s, p, op, dilation=d), i)
    assert dlref_shape(A.conv_transpose_output_size, i, k, s, p, op, d) == expected
    if valid:
        assert expected is not None and min(expected) >= 1
    if expected is not None:
        assert all(o in A.valid_output_padding(s_, d_) for o, s_, d_ in zip(op, s, d, strict=True))


@SETTINGS
@given(two_dims(tconv_dim, True))
def test_conv_transpose_output_size_matches_conv_transpose2d(dims) -> None:
    check_conv_transpose(dims, valid=True)


@SETTINGS
@given(two_dims(tconv_dim, False))
def test_conv_transpose_output_size_raises_exactly_when_conv_transpose2d_raises(dims) -> None:
    check_conv_transpose(dims, valid=False)


def check_pool(dims, ceil_mode: bool, default_stride: bool, avg: bool, valid: bool) -> None:
    i, k, s, p, d = zip(*dims, strict=True)
    s = None if default_stride else s
    if avg:  # AvgPool2d has no dilation
        d = (1, 1)
        expected = torch_shape(lambda: nn.AvgPool2d(k, s, p, ceil_mode), i)
    else:
        expected = torch_shape(lambda: nn.MaxPool2d(k, s, p, d, ceil_mode=ceil_mode), i)
    assert dlref_shape(A.pool_output_size, i, k, s, p, d, ceil_mode) == expected
    if valid:
        assert expected is not None and min(expected) >= 1


@SETTINGS
@given(two_dims(pool_dim, True), st.booleans(), st.booleans(), st.booleans())
def test_pool_output_size_matches_max_pool2d_and_avg_pool2d(dims, ceil_mode, default_stride, avg) -> None:
    check_pool(dims, ceil_mode, default_stride, avg, valid=True)


@SETTINGS
@given(two_dims(pool_dim, False), st.booleans(), st.booleans(), st.booleans())
def test_pool_output_size_raises_exactly_when_pooling_raises(dims, ceil_mode, default_stride, avg) -> None:
    check_pool(dims, ceil_mode, default_stride, avg, valid=False)


@SETTINGS
@given(
    st.integers(1, 12), st.integers(1, 5), st.integers(1, 4), st.integers(0, 4), st.integers(1, 3)
)
def test_conv_input_sizes_are_exactly_the_preimage(o: int, k: int, s: int, p: int, d: int) -> None:
    preimage = [i for i in range(1, 80) if dlref_shape(A.conv_output_size, i, k, s, p, d) == o]
    sizes = A.conv_input_sizes(o, k, s, p, d)
    assert list(sizes) == preimage
    # output_padding a < s selects input size min + a, as the guide's Relationship 14 says
    for i in sizes:
        a = i - ((o - 1) * s + d * (k - 1) + 1 - 2 * p)
        assert A.conv_transpose_output_size(o, k, s, p, a, d) == i


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 3), st.integers(1, 12))
def test_same_padding_is_where_torch_pads(k: int, d: int, i: int) -> None:
    left, right, symmetric = A.same_padding(k, d)
    assert symmetric == (left == right) and left + right == d * (k - 1)
    x = torch.arange(float(i)).reshape(1, 1, i) ** 2
    w = torch.linspace(-1, 1, k).reshape(1, 1, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = F.conv1d(x, w, padding="same", dilation=d)
    torch.testing.assert_close(F.conv1d(F.pad(x, (left, right)), w, dilation=d), theirs)
    assert A.conv_output_size(i, k, 1, "same", d) == i


@st.composite
def transposed_case(draw) -> tuple[int, ...]:
    """(i, k, s, d, p, a) with 0 <= p <= d(k - 1) and a valid output_padding a."""
    k, s, d = draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return draw(st.integers(1, 6)), k, s, d, draw(st.integers(0, d * (k - 1))), draw(st.integers(0, max(s, d) - 1))


@settings(max_examples=60, deadline=None)
@given(transposed_case())
def test_transposed_equivalent_computes_conv_transpose(case: tuple[int, ...]) -> None:
    i, k, s, d, p, a = case
    gen = torch.Generator().manual_seed(i * 1000 + k * 100 + s * 10 + d)
    x = torch.randn(1, 2, i, i, dtype=torch.float64, generator=gen)
    w = torch.randn(2, 3, k, k, dtype=torch.float64, generator=gen)  # (in, out, k, k), as conv_transpose2d expects
    if (i - 1) * s - 2 * p + d * (k - 1) + a + 1 < 1:  # the padding crops everything: both refuse
        with pytest.raises(RuntimeError, match="Output size is too small"):
            F.conv_transpose2d(x, w, stride=s, padding=p, output_padding=a, dilation=d)
        with pytest.raises(ValueError, match=r"conv_transpose_output_size: p is too large \(got \d+\)"):
            A.conv_transpose_output_size(i, k, s, p, a, d)
        return
    expected = F.conv_transpose2d(x, w, stride=s, padding=p, output_padding=a, dilation=d)
    eq = A.transposed_equivalent(k, s, p, d)
    n = (i - 1) * (eq.zeros_between + 1) + 1  # s - 1 zeros between the i input units
    stretched = x.new_zeros(1, 2, n, n)
    stretched[..., :: eq.zeros_between + 1, :: eq.zeros_between + 1] = x
    padded = F.pad(stretched, (eq.padding, eq.padding + a) * 2)  # output_padding: a more zeros right/bottom only
    ours = F.conv2d(padded, w.flip(-1, -2).transpose(0, 1), stride=eq.stride, dilation=eq.dilation)
    torch.testing.assert_close(ours, expected)
    assert ours.shape[-1] == A.conv_transpose_output_size(i, k, s, p, a, d)


# --------------------------------------------------------------------------- receptive field, measured


def field_by_gradient(model: nn.Module, size: tuple[int, int], idx: tuple[int, int]) -> list[tuple[int, float]]:
    """(extent, centre) per axis of the input pixels with nonzero gradient of output pixel `idx`."""
    x = torch.ones(1, 1, *size, dtype=torch.float64, requires_grad=True)
    model(x)[0, 0, idx[0], idx[1]].backward()
    return _extent(x.grad[0, 0] != 0)


def field_by_perturbation(model: nn.Module, size: tuple[int, int], idx: tuple[int, int]) -> list[tuple[int, float]]:
    """Like field_by_gradient, for max pooling (whose gradient reaches only the argmax): one one-hot input per pixel."""
    n = size[0] * size[1]
    x = torch.eye(n, dtype=torch.float64).reshape(n, 1, *size)
    with torch.no_grad():
        y = model(x)[:, 0, idx[0], idx[1]]
    return _extent((y != 0).reshape(size))


def _extent(mask: torch.Tensor) -> list[tuple[int, float]]:
    out = []
    for axis in (0, 1):
        hit = mask.any(dim=1 - axis).nonzero().flatten()
        lo, hi = int(hit.min()), int(hit.max())
        out.append((hi - lo + 1, (lo + hi) / 2))
    return out


def ones_(model: nn.Sequential) -> nn.Sequential:
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.ones_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model.double()


def check_field(model: nn.Module, measure=field_by_gradient) -> int:
    """Compare the last row of receptive_field with the measured field of every interior output pixel on
    one row and column; return how many were checked."""
    last = A.receptive_field(model)[-1]
    r, j, start = (v if isinstance(v, tuple) else (v, v) for v in (last.size, last.jump, last.start))
    size = tuple(int(2 * r_ + 3 * j_ + 4) for r_, j_ in zip(r, j, strict=True))
    with torch.no_grad():
        out = model(torch.zeros(1, 1, *size, dtype=torch.float64)).shape[-2:]
    # output pixels whose whole field lies inside the input (no clipping by the border)
    inside = [
        [n for n in range(out[a]) if start[a] + n * j[a] - (r[a] - 1) / 2 >= 0
         and start[a] + n * j[a] + (r[a] - 1) / 2 <= size[a] - 1]
        for a in (0, 1)
    ]
    assert inside[0] and inside[1]
    checked = 0
    for idx in [(inside[0][0], inside[1][-1]), (inside[0][len(inside[0]) // 2], inside[1][0])]:
        for a, (extent, centre) in enumerate(measure(model, size, idx)):
            assert extent == r[a]
            assert centre == start[a] + idx[a] * j[a]
        checked += 1
    return checked


STACKS = {
    "conv3": lambda: nn.Sequential(nn.Conv2d(1, 1, 3)),
    "conv3-pad1-x3": lambda: nn.Sequential(*[nn.Conv2d(1, 1, 3, padding=1) for _ in range(3)]),
    "vgg-block": lambda: nn.Sequential(nn.Conv2d(1, 1, 3, padding=1), nn.ReLU(), nn.Conv2d(1, 1, 3, padding=1),
                                       nn.ReLU(), nn.AvgPool2d(2)),
    "resnet-stem-avg": lambda: nn.Sequential(nn.Conv2d(1, 1, 7, 2, 3), nn.BatchNorm2d(1).eval(), nn.ReLU(),
                                             nn.AvgPool2d(3, 2, 1)),
    "dilated": lambda: nn.Sequential(nn.Conv2d(1, 1, 3, dilation=2), nn.Conv2d(1, 1, 3, dilation=4, padding=2)),
    "even-kernels": lambda: nn.Sequential(nn.Conv2d(1, 1, 4, 2, 1), nn.Conv2d(1, 1, 2, 1, 0)),
    "same-even": lambda: nn.Sequential(nn.Conv2d(1, 1, 4, padding="same"), nn.Conv2d(1, 1, 3, 2)),
    "asymmetric": lambda: nn.Sequential(nn.Conv2d(1, 1, (3, 5), (1, 2), (1, 0), (2, 1)), nn.Conv2d(1, 1, (2, 3), 2)),
    "nested": lambda: nn.Sequential(nn.Sequential(nn.Conv2d(1, 1, 5, 2)), nn.Sequential(nn.Conv2d(1, 1, 3, 2, 1))),
}

MAX_STACKS = {
    "resnet-stem": lambda: nn.Sequential(nn.Conv2d(1, 1, 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1)),
    "maxpool-dilated": lambda: nn.Sequential(nn.MaxPool2d(2, 1, dilation=3), nn.Conv2d(1, 1, 3, 2)),
    "maxpool-ceil": lambda: nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2, ceil_mode=True), nn.Conv2d(1, 1, 3)),
}


@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
@pytest.mark.parametrize("name", STACKS)
def test_receptive_field_measured_by_gradient(name: str) -> None:
    assert check_field(ones_(STACKS[name]())) == 2


@pytest.mark.parametrize("name", MAX_STACKS)
def test_receptive_field_with_max_pooling_measured_by_perturbation(name: str) -> None:
    assert check_field(ones_(MAX_STACKS[name]()), field_by_perturbation) == 2


layer = st.tuples(st.sampled_from(["conv", "avg"]), st.integers(1, 4), st.integers(1, 3), st.integers(1, 2),
                  st.integers(0, 2))


@settings(max_examples=40, deadline=None)
@given(st.lists(layer, min_size=1, max_size=3))
def test_receptive_field_of_random_stacks(spec) -> None:
    mods, params = [], []
    for kind, k, s, d, p in spec:
        if kind == "conv":
            params.append((k, s, min(p, d * (k - 1)), d))
            mods.append(nn.Conv2d(1, 1, *params[-1]))
        else:
            params.append((k, s, min(p, k // 2)))
            mods.append(nn.AvgPool2d(*params[-1]))
    model = ones_(nn.Sequential(*mods))
    check_field(model)
    # the module form reads the same numbers from the layers (square tuples collapse to ints)
    assert [row[2:] for row in A.receptive_field(params)] == [row[2:] for row in A.receptive_field(model)]


def test_receptive_field_rows() -> None:
    rows = A.receptive_field([(3, 1, 1), (2, 2, 0)])
    assert rows[0] == A.ReceptiveField(0, "layer", 3, 1, 1, 1, 3, 1, 0.0)
    assert rows[1] == A.ReceptiveField(1, "layer", 2, 2, 0, 1, 4, 2, 0.5)
    # one per-dimension tuple anywhere makes every row per-dimension
    rows = A.receptive_field([(3, 1, 1), (2, 2, 0), ((3, 5), 1, (1, 2), (1, 2))])
    assert rows[0] == A.ReceptiveField(0, "layer", (3, 3), (1, 1), (1, 1), (1, 1), (3, 3), (1, 1), (0.0, 0.0))
    assert rows[2] == A.ReceptiveField(2, "layer", (3, 5), (1, 1), (1, 2), (1, 2), (8, 20), (2, 2), (0.5, 4.5))
    assert A.receptive_field(nn.Conv2d(1, 1, 3)) == [A.ReceptiveField(0, "Conv2d", 3, 1, 0, 1, 3, 1, 1.0)]
    assert A.receptive_field([]) == []


# --------------------------------------------------------------------------- cost


@SETTINGS
@given(st.integers(1, 12), st.integers(1, 12), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.booleans())
def test_conv_params_matches_conv2d(in_ch: int, out_ch: int, kh: int, kw: int, groups: int, bias: bool) -> None:
    try:
        expected = sum(p.numel() for p in nn.Conv2d(in_ch, out_ch, (kh, kw), groups=groups, bias=bias).parameters())
    except ValueError:
        expected = None
    assert dlref_shape(A.conv_params, in_ch, out_ch, (kh, kw), groups, bias) == expected


@pytest.mark.parametrize(
    ("args", "macs"),
    [
        ((3, 64, 7, (112, 112)), 112 * 112 * 64 * 3 * 49),  # ResNet stem: 118,013,952
        ((32, 32, 3, (56, 56), 32), 56 * 56 * 32 * 9),  # depthwise: one input channel per output
        ((64, 128, (1, 1), 28), 28 * 28 * 128 * 64),  # pointwise
        ((4, 6, (3, 2), (5, 7), 2), 5 * 7 * 6 * 2 * 6),
    ],
)
def test_conv_macs_by_hand_and_by_im2col(args: tuple, macs: int) -> None:
    assert A.conv_macs(*args) == macs
    in_ch, out_ch, k, out_size, *groups = args
    k = k if isinstance(k, tuple) else (k, k)
    # im2col: the conv is a matrix product of (out_ch, in_ch/g * prod k) by (in_ch/g * prod k, L) per group
    size = out_size if isinstance(out_size, tuple) else (out_size, out_size)
    cols = F.unfold(torch.zeros(1, in_ch, size[0] + k[0] - 1, size[1] + k[1] - 1), k)
    g = groups[0] if groups else 1
    assert cols.shape[-1] * out_ch * (cols.shape[1] // g) == macs == A.conv_macs(*args)
    assert math.prod(size) == cols.shape[-1]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: A.conv_output_size(2, 3, 1, 1, 2), ValueError,
         r"^conv_output_size: k is too large for the padded input \(got k=3, d=2 for i=2, p=1\); "
         r"expected d\(k - 1\) \+ 1 <= the padded input size \(here 5 > 4\)$"),
        (lambda: A.conv_output_size((9, 2), 3), ValueError,
         r"conv_output_size: k is too large for the padded input \(got k=3, d=1 for i=2, p=0 in dim 1\); "
         r"expected d\(k - 1\) \+ 1 <= the padded input size \(here 3 > 2\)"),
        (lambda: A.conv_output_size(5, 3, s=0), ValueError,
         r"conv_output_size: s is out of range \(got 0\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.conv_output_size(5, 3, d=(1, 0)), ValueError,
         r"conv_output_size: d is out of range \(got \(1, 0\)\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.conv_output_size(5, 3, p=-1), ValueError,
         r"conv_output_size: p is out of range \(got -1\); expected an int or a tuple of ints, each >= 0"),
        (lambda: A.conv_output_size(5, 0), ValueError,
         r"conv_output_size: k is out of range \(got 0\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.conv_output_size(5.0, 3), TypeError,
         r"conv_output_size: i has the wrong type \(got float\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.conv_output_size(5, True), TypeError,
         r"conv_output_size: k has the wrong type \(got bool\); expected an int or a tuple of ints"),
        (lambda: A.conv_output_size(5, 3, p="full"), ValueError,
         r"conv_output_size: p is not a valid padding \(got 'full'\); expected 'same', 'valid', an int or a tuple"),
        (lambda: A.conv_output_size(5, 3, s=2, p="same"), ValueError,
         r"conv_output_size: s is out of range for p='same' \(got 2\); expected 1"),
        (lambda: A.conv_output_size((5, 5), (3, 3, 3)), ValueError,
         r"conv_output_size: k has a different number of dimensions from i \(got \(3, 3, 3\)\); "
         r"expected 2 entries, as i=\(5, 5\) has, or an int"),
        (lambda: A.conv_output_size((), 3), ValueError,
         r"conv_output_size: i has the wrong length \(got \(\)\); expected an int or a tuple of ints"),
        (lambda: A.conv_transpose_output_size(3, 3, 2, output_padding=2), ValueError,
         r"conv_transpose_output_size: output_padding is out of range \(got 2\); expected an int < max\(s, d\) = 2"),
        (lambda: A.conv_transpose_output_size(1, 1, p=1), ValueError,
         r"conv_transpose_output_size: p is too large \(got 1\); "
         r"expected 2p <= \(i - 1\)s \+ d\(k - 1\) \+ output_padding = 0"),
        (lambda: A.conv_transpose_output_size(3, 3, output_padding=-1), ValueError,
         r"conv_transpose_output_size: output_padding is out of range \(got -1\); expected an int or a tuple of ints"),
        (lambda: A.pool_output_size(9, 3, p=2, d=2), ValueError,
         r"pool_output_size: p is out of range \(got 2\); expected at most half the kernel size, k // 2 = 1"),
        (lambda: A.pool_output_size(2, 3), ValueError,
         r"pool_output_size: k is too large for the padded input \(got k=3, d=1 for i=2, p=0\); "
         r"expected d\(k - 1\) \+ 1 <= the padded input size \(here 3 > 2\)"),
        (lambda: A.pool_output_size(9, 3, ceil_mode=1), TypeError,
         r"pool_output_size: ceil_mode has the wrong type \(got int\); expected True or False"),
        (lambda: A.conv_input_sizes(0, 3), ValueError,
         r"conv_input_sizes: o is out of range \(got 0\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.valid_output_padding(0), ValueError,
         r"valid_output_padding: s is out of range \(got 0\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.same_padding(3, d=0), ValueError,
         r"same_padding: d is out of range \(got 0\); expected an int or a tuple of ints, each >= 1"),
        (lambda: A.transposed_equivalent(3, p=3), ValueError,
         r"transposed_equivalent: p is too large \(got 3\); expected p <= d\(k - 1\) = 2"),
        (lambda: A.receptive_field(3), TypeError,
         r"receptive_field: layers has the wrong type \(got int\); expected an nn.Module or a list of "
         r"\(k, s, p\) or \(k, s, p, d\) tuples"),
        (lambda: A.receptive_field([(3, 1)]), ValueError,
         r"receptive_field: layers\[0\] is not a layer tuple \(got \(3, 1\)\); expected \(k, s, p\) or \(k, s, p, d\)"),
        (lambda: A.receptive_field(nn.Sequential(nn.Conv2d(1, 1, 3), nn.Flatten())), ValueError,
         r"receptive_field: layers holds an unsupported layer \(got Flatten\); expected Conv1d/2d/3d, MaxPool\*d"),
        (lambda: A.receptive_field(nn.ConvTranspose2d(1, 1, 3)), ValueError,
         r"receptive_field: layers holds an unsupported layer \(got ConvTranspose2d\); expected Conv1d/2d/3d"),
        (lambda: A.receptive_field([((3, 3), 1, 0), ((3, 3, 3), 1, 0)]), ValueError,
         r"receptive_field: layers\[1\] has a different number of dimensions from layers\[0\] \(got 3 dims\); "
         r"expected 2, or ints"),
        (lambda: A.conv_params(3, 8, 3, groups=2), ValueError,
         r"conv_params: in_ch is not divisible by groups \(got 3\); expected a multiple of groups=2"),
        (lambda: A.conv_params(4, 8, 3, bias=1), TypeError,
         r"conv_params: bias has the wrong type \(got int\); expected True or False"),
        (lambda: A.conv_params(4, 8.0, 3), TypeError,
         r"conv_params: out_ch has the wrong type \(got float\); expected an int"),
        (lambda: A.conv_macs(4, 8, 3, 0), ValueError,
         r"conv_macs: out_size is out of range \(got 0\); expected an int or a tuple of ints, each >= 1"),
    ],
)
def test_bad_input_messages(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()
