r"""Convolution arithmetic: output sizes, padding, transposed convolutions, receptive fields, cost.

Scope: the integer arithmetic of convolution and pooling layers, per spatial dimension,
as torch computes it: output sizes of `nn.Conv*d`, `nn.ConvTranspose*d`, `nn.MaxPool*d`
and `nn.AvgPool*d`; valid `output_padding` values and the input sizes a strided
convolution cannot tell apart; the direct convolution equal to a transposed one; "same"
padding; receptive fields; parameter and multiply-accumulate counts. Each formula is
written once, here: `dlref.conv.ops` and `dlref.summary` use these. The docs page
`convolution` (`/convolution/`) teaches it.

Sources: V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning"
(arXiv:1603.07285), whose notation ($i, k, s, p, d, o$) names the arguments and whose 15
relationships the tests check; the PyTorch layer docs; torch's argument checks (ATen
`ConvUtils.h`, `Pool.h`), mirrored here and tested against the real layers.

Conventions:

- A size argument is an int or a tuple with one int per spatial dimension. Ints give an
  int; if any argument is a tuple, ints are broadcast to its length and the result is a
  tuple.
- Arguments are checked first: `TypeError` for non-integers, `ValueError` wherever the
  torch layer raises (stride or dilation < 1, negative padding, a kernel larger than the
  padded input, a bad `output_padding`, ...). No function returns a size below 1.
- Argument names are the guide's (`i`, `k`, `s`, `p`, `d`), not the layers' (`kernel_size`,
  ...): these functions have no torch function to mirror.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeVar

from torch import nn

from dlref._checks import check_bool, check_int, check_ints, fail, fail_type

__all__ = [
    "ReceptiveField",
    "SamePadding",
    "TransposedEquivalent",
    "conv_input_sizes",
    "conv_macs",
    "conv_output_size",
    "conv_params",
    "conv_transpose_output_size",
    "pool_output_size",
    "receptive_field",
    "same_padding",
    "transposed_equivalent",
    "valid_output_padding",
]

Size = int | tuple[int, ...]
_T = TypeVar("_T")

# --------------------------------------------------------------------------- the formulas, one dimension at a time


def _output_length(i: int, k: int, s: int, pl: int, pr: int, d: int, ceil_mode: bool = False) -> int:
    """How many windows fit along one dimension: convolution and pooling (and `dlref.conv.ops`) share it.

    The result is below 1 when the kernel does not fit; callers raise then.
    """
    # o = floor((i + pl + pr - d(k - 1) - 1) / s) + 1, or with the ceiling in ceil_mode
    o = (i + pl + pr - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    # ceil_mode: torch drops a last window that would start beyond the input and the left padding
    if ceil_mode and (o - 1) * s >= i + pl:
        o -= 1
    return o


def _transposed_length(i: int, k: int, s: int, p: int, output_padding: int, d: int) -> int:
    """Output size of a transposed convolution along one dimension (below 1 if the padding crops everything)."""
    # o = (i - 1)s - 2p + d(k - 1) + output_padding + 1
    return (i - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


# --------------------------------------------------------------------------- validation

# smallest allowed value of each size argument
_LOW = {"i": 1, "o": 1, "k": 1, "s": 1, "p": 0, "d": 1, "output_padding": 0, "out_size": 1}


def _dims(fn: str, **args: object) -> tuple[list[tuple[int, ...]], bool]:
    """Check int-or-tuple size arguments and broadcast them to tuples of one common length.

    Returns one tuple per argument, in order, and whether any argument was a tuple.
    """
    sizes = {name: check_ints(fn, name, value, low=_LOW[name]) for name, value in args.items()}
    given = [name for name, value in args.items() if isinstance(value, (tuple, list))]
    n = len(sizes[given[0]]) if given else 1
    for name in given[1:]:
        if len(sizes[name]) != n:
            fail(fn, name, f"has a different number of dimensions from {given[0]}", repr(args[name]),
                 f"expected {n} entries, as {given[0]}={args[given[0]]!r} has, or an int")
    return [s if name in given else s * n for name, s in sizes.items()], bool(given)


def _pack(values: tuple[_T, ...], tup: bool) -> _T | tuple[_T, ...]:
    """The per-dimension results as given: a tuple if any argument was one, else the single value."""
    return values if tup else values[0]


def _fit(fn: str, o: int, i: int, k: int, pl: int, pr: int, d: int, where: str) -> int:
    """Return the window count `o`, or raise if the (dilated) kernel does not fit the padded input."""
    if o < 1:
        fail(fn, "k", "is too large for the padded input", f"k={k}, d={d} for i={i}, p={pl}{where}",
             f"expected d(k - 1) + 1 <= the padded input size (here {d * (k - 1) + 1} > {i + pl + pr})")
    return o


def _where(tup: bool, n: int) -> str:
    """' in dim n' for messages about one dimension of tuple arguments."""
    return f" in dim {n}" if tup else ""


# --------------------------------------------------------------------------- output sizes


def conv_output_size(i: Size, k: Size, s: Size = 1, p: Size | str = 0, d: Size = 1) -> Size:
    r"""Output size of a convolution along each spatial dimension (guide Relationships 1-6 and 15).

    $$
    o = \left\lfloor \frac{i + 2p - d(k - 1) - 1}{s} \right\rfloor + 1
    $$

    $d(k-1)+1$ is the effective (dilated) kernel size. `p="valid"` is $p = 0$; `p="same"`
    (stride 1 only, as in torch) pads $d(k-1)$ in total, the odd zero on the right/bottom
    (see [same_padding][dlref.conv.arithmetic.same_padding]), so $o = i$.

    Args:
        i: Input size.
        k: Kernel size.
        s: Stride. Defaults to 1.
        p: Zero padding per side, `"same"` or `"valid"`. Defaults to 0.
        d: Dilation. Defaults to 1.

    Returns:
        $o$: an int, or a tuple if any size argument is a tuple.

    Raises:
        TypeError: If a size is not an int or a tuple of ints.
        ValueError: If $i, k, s, d < 1$, $p < 0$, `p` is another string, `p="same"` with
            $s > 1$, or the effective kernel is larger than the padded input $i + 2p$.

    Torch counterpart: the $H_{out}$ formula of `torch.nn.Conv2d`.

    References:
        - [Dumoulin & Visin, ch. 2 and 5](https://arxiv.org/abs/1603.07285)
        - [torch.nn.Conv2d](https://docs.pytorch.org/docs/stable/generated/torch.nn.Conv2d.html)

    Examples:
        >>> from dlref.conv.arithmetic import conv_output_size
        >>> conv_output_size(224, 7, s=2, p=3), conv_output_size(6, 3, s=2, p=1)
        (112, 3)
        >>> conv_output_size((32, 17), 3, d=(1, 2)), conv_output_size(17, 4, p="same")
        ((30, 13), 17)
    """
    fn = "conv_output_size"
    if isinstance(p, str):
        if p not in ("same", "valid"):
            fail(fn, "p", "is not a valid padding", repr(p), "expected 'same', 'valid', an int or a tuple of ints")
        (i, k, s, d), tup = _dims(fn, i=i, k=k, s=s, d=d)
        if p == "same" and max(s) > 1:
            fail(fn, "s", "is out of range for p='same'", repr(_pack(s, tup)),
                 "expected 1: torch pads 'same' at stride 1 only")
        pads = [_same(k_, d_) if p == "same" else (0, 0) for k_, d_ in zip(k, d, strict=True)]
    else:
        (i, k, s, p, d), tup = _dims(fn, i=i, k=k, s=s, p=p, d=d)
        pads = [(p_, p_) for p_ in p]
    out = [_fit(fn, _output_length(i_, k_, s_, pl, pr, d_), i_, k_, pl, pr, d_, _where(tup, n))
           for n, (i_, k_, s_, (pl, pr), d_) in enumerate(zip(i, k, s, pads, d, strict=True))]
    return _pack(tuple(out), tup)


def conv_transpose_output_size(
    i: Size, k: Size, s: Size = 1, p: Size = 0, output_padding: Size = 0, d: Size = 1
) -> Size:
    r"""Output size of a transposed convolution (guide Relationships 8-14).

    $$
    o = (i - 1)s - 2p + d(k - 1) + \text{output\_padding} + 1
    $$

    A convolution with the same $k, s, p, d$ maps $o$ back to $i$. A strided convolution
    maps $s$ input sizes to one output size; `output_padding` (the guide's $a$) picks
    which comes back (see [conv_input_sizes][dlref.conv.arithmetic.conv_input_sizes]).

    Args:
        i: Input size.
        k: Kernel size.
        s: Stride. Defaults to 1.
        p: Padding. Defaults to 0.
        output_padding: Extra size on one side, $0 \le$ `output_padding` $< \max(s, d)$. Defaults to 0.
        d: Dilation. Defaults to 1.

    Returns:
        $o$: an int, or a tuple if any size argument is a tuple.

    Raises:
        TypeError: If a size is not an int or a tuple of ints.
        ValueError: If $i, k, s, d < 1$, $p < 0$, `output_padding` is outside
            `range(max(s, d))`, or the padding crops the output to nothing ($o < 1$).

    Torch counterpart: the $H_{out}$ formula of `torch.nn.ConvTranspose2d`.

    References:
        - [Dumoulin & Visin, ch. 4](https://arxiv.org/abs/1603.07285)

    Examples:
        >>> from dlref.conv.arithmetic import conv_transpose_output_size
        >>> [conv_transpose_output_size(3, 3, s=2, p=1, output_padding=a) for a in (0, 1)]
        [5, 6]
    """
    fn = "conv_transpose_output_size"
    (i, k, s, p, op, d), tup = _dims(fn, i=i, k=k, s=s, p=p, output_padding=output_padding, d=d)
    out = []
    for n, (i_, k_, s_, p_, op_, d_) in enumerate(zip(i, k, s, p, op, d, strict=True)):
        if op_ >= max(s_, d_):
            fail(fn, "output_padding", "is out of range", repr(output_padding),
                 f"expected an int < max(s, d) = {max(s_, d_)}{_where(tup, n)}")
        o = _transposed_length(i_, k_, s_, p_, op_, d_)
        if o < 1:
            fail(fn, "p", "is too large", repr(_pack(p, tup)), f"expected 2p <= (i - 1)s + d(k - 1) + output_padding = "
                 f"{o + 2 * p_ - 1}{_where(tup, n)}, so that the output size is at least 1")
        out.append(o)
    return _pack(tuple(out), tup)


def conv_input_sizes(o: Size, k: Size, s: Size = 1, p: Size = 0, d: Size = 1) -> range | tuple[range, ...]:
    r"""All input sizes that a convolution maps to output size $o$ (guide §2.4, Relationship 14).

    $$
    \{\, i \ge 1 : \text{conv\_output\_size}(i, k, s, p, d) = o \,\}
    = \{\, i_0 + a : 0 \le a < s \,\}, \qquad i_0 = (o - 1)s + d(k - 1) + 1 - 2p
    $$

    For $s > 1$ the floor makes $s$ input sizes collide. The transposed convolution
    returns $i_0 + a$ for `output_padding` $= a$. torch also accepts
    $s \le$ `output_padding` $< d$ when $d > s$; those sizes are not in this range.

    Args:
        o: Output size.
        k: Kernel size.
        s: Stride. Defaults to 1.
        p: Padding. Defaults to 0.
        d: Dilation. Defaults to 1.

    Returns:
        A `range` (empty if no input size gives $o$), or a tuple of ranges.

    Raises:
        TypeError: If a size is not an int or a tuple of ints.
        ValueError: If $o, k, s, d < 1$ or $p < 0$.

    Examples:
        >>> from dlref.conv.arithmetic import conv_input_sizes
        >>> conv_input_sizes(3, 3, s=2, p=1)
        range(5, 7)
    """
    (o, k, s, p, d), tup = _dims("conv_input_sizes", o=o, k=k, s=s, p=p, d=d)
    # i0 = (o - 1)s + d(k - 1) + 1 - 2p is the smallest input; floor division adds up to s - 1 more
    first = [(o_ - 1) * s_ + d_ * (k_ - 1) + 1 - 2 * p_ for o_, k_, s_, p_, d_ in zip(o, k, s, p, d, strict=True)]
    return _pack(tuple(range(max(i0, 1), max(i0 + s_, 1)) for i0, s_ in zip(first, s, strict=True)), tup)


def valid_output_padding(s: Size = 1, d: Size = 1) -> range | tuple[range, ...]:
    r"""The `output_padding` values torch accepts for a transposed convolution.

    $$
    0 \le \text{output\_padding} < \max(s, d)
    $$

    torch requires `output_padding` to be smaller than the stride *or* the dilation.
    Only values below $s$ select another input size of the matching convolution.

    Args:
        s: Stride. Defaults to 1.
        d: Dilation. Defaults to 1.

    Returns:
        `range(max(s, d))`, or a tuple of ranges.

    Raises:
        TypeError: If a size is not an int or a tuple of ints.
        ValueError: If $s, d < 1$.

    Torch counterpart: the check in `torch.nn.ConvTranspose2d`'s forward.

    Examples:
        >>> from dlref.conv.arithmetic import valid_output_padding
        >>> valid_output_padding(2), valid_output_padding((1, 3))
        (range(0, 2), (range(0, 1), range(0, 3)))
    """
    (s, d), tup = _dims("valid_output_padding", s=s, d=d)
    return _pack(tuple(range(max(s_, d_)) for s_, d_ in zip(s, d, strict=True)), tup)


def pool_output_size(
    i: Size, k: Size, s: Size | None = None, p: Size = 0, d: Size = 1, ceil_mode: bool = False
) -> Size:
    r"""Output size of max or average pooling (guide Relationship 7, with torch's padding and ceil mode).

    $$
    o = \left\lfloor \frac{i + 2p - d(k - 1) - 1}{s} \right\rfloor + 1
    \quad\text{or, with ceil\_mode,}\quad \left\lceil \cdot \right\rceil + 1
    $$

    In ceil mode torch drops a last window that would start in the right padding (if
    $(o - 1)s \ge i + p$ then $o \leftarrow o - 1$), and may keep one window larger than
    the padded input.

    Args:
        i: Input size.
        k: Kernel size.
        s: Stride. Defaults to None, meaning `k` (as in torch).
        p: Implicit padding per side, $0 \le p \le \lfloor k/2 \rfloor$. Defaults to 0.
        d: Dilation (max pooling only; average pooling has none). Defaults to 1.
        ceil_mode: Use the ceiling instead of the floor. Defaults to False.

    Returns:
        $o$: an int, or a tuple if any size argument is a tuple.

    Raises:
        TypeError: If a size is not an int or a tuple of ints, or `ceil_mode` is not a bool.
        ValueError: If $i, k, s, d < 1$, $p < 0$, $p > \lfloor k/2 \rfloor$ (torch checks
            the undilated kernel), or no window fits ($o < 1$).

    Torch counterpart: the $H_{out}$ formula of `torch.nn.MaxPool2d` and `torch.nn.AvgPool2d`.

    References:
        - [Dumoulin & Visin, ch. 3](https://arxiv.org/abs/1603.07285)

    Examples:
        >>> from dlref.conv.arithmetic import pool_output_size
        >>> pool_output_size(112, 3, s=2, p=1), pool_output_size(5, 2), pool_output_size(5, 2, ceil_mode=True)
        (56, 2, 3)
    """
    fn = "pool_output_size"
    ceil_mode = check_bool(fn, "ceil_mode", ceil_mode)
    (i, k, s, p, d), tup = _dims(fn, i=i, k=k, s=k if s is None else s, p=p, d=d)
    out = []
    for n, (i_, k_, s_, p_, d_) in enumerate(zip(i, k, s, p, d, strict=True)):
        if p_ > k_ // 2:
            fail(fn, "p", "is out of range", repr(_pack(p, tup)),
                 f"expected at most half the kernel size, k // 2 = {k_ // 2}{_where(tup, n)}")
        out.append(_fit(fn, _output_length(i_, k_, s_, p_, p_, d_, ceil_mode), i_, k_, p_, p_, d_, _where(tup, n)))
    return _pack(tuple(out), tup)


# --------------------------------------------------------------------------- padding and transposition


class SamePadding(NamedTuple):
    """Padding that keeps the size at stride 1: `left` (and top), `right` (and bottom), and whether they are equal."""

    left: Size
    right: Size
    symmetric: bool | tuple[bool, ...]


def _same(k: int, d: int) -> tuple[int, int]:
    """(left, right) "same" padding along one dimension."""
    # total = d(k - 1); left = floor(total / 2); right = total - left
    total = d * (k - 1)
    return total // 2, total - total // 2


def same_padding(k: Size, d: Size = 1) -> SamePadding:
    r"""Zero padding per side that keeps the output size equal to the input size at stride 1.

    $$
    \text{total} = d(k - 1), \qquad \text{left} = \lfloor \text{total} / 2 \rfloor,
    \qquad \text{right} = \text{total} - \text{left}
    $$

    Symmetric padding (one int `padding=left`, guide Relationship 3) keeps the size only
    when the total is even, i.e. the effective kernel $d(k-1)+1$ is odd. Otherwise the
    extra zero goes on the right/bottom, which is what torch's `padding="same"` does.

    Args:
        k: Kernel size.
        d: Dilation. Defaults to 1.

    Returns:
        `SamePadding(left, right, symmetric)`; each field an int/bool, or a tuple per dimension.

    Raises:
        TypeError: If a size is not an int or a tuple of ints.
        ValueError: If $k, d < 1$.

    Torch counterpart: `padding="same"` of `torch.nn.Conv2d`.

    Examples:
        >>> from dlref.conv.arithmetic import same_padding
        >>> same_padding(3), same_padding(4)
        (SamePadding(left=1, right=1, symmetric=True), SamePadding(left=1, right=2, symmetric=False))
    """
    (k, d), tup = _dims("same_padding", k=k, d=d)
    left, right = zip(*(_same(k_, d_) for k_, d_ in zip(k, d, strict=True)), strict=True)
    symmetric = tuple(a == b for a, b in zip(left, right, strict=True))
    return SamePadding(_pack(left, tup), _pack(right, tup), _pack(symmetric, tup))


class TransposedEquivalent(NamedTuple):
    """A direct convolution that computes a transposed one: zeros inserted between input units, then padding."""

    zeros_between: Size
    padding: Size
    stride: Size
    kernel: Size
    dilation: Size


def transposed_equivalent(k: Size, s: Size = 1, p: Size = 0, d: Size = 1) -> TransposedEquivalent:
    r"""The direct convolution that a transposed convolution with $k, s, p, d$ is equal to (guide ch. 4).

    Insert $s - 1$ zeros between input units (the "fractional stride"), pad each side with

    $$
    p' = d(k - 1) - p
    $$

    zeros, then convolve with stride 1, the same kernel size and dilation, and the kernel
    flipped in space with its in/out channel axes swapped. `output_padding` $a$ adds $a$
    more zeros at the right/bottom only (the guide's Relationship 14).

    Args:
        k: Kernel size.
        s: Stride. Defaults to 1.
        p: Padding. Defaults to 0.
        d: Dilation. Defaults to 1.

    Returns:
        `TransposedEquivalent(zeros_between, padding, stride, kernel, dilation)`, each field an int or a tuple.

    Raises:
        TypeError: If a size is not an int or a tuple of ints.
        ValueError: If $k, s, d < 1$, $p < 0$, or $p > d(k-1)$ (the equivalent padding would
            be negative: it crops, which torch allows but a padded convolution cannot express).

    Examples:
        >>> from dlref.conv.arithmetic import transposed_equivalent
        >>> transposed_equivalent(3, s=2, p=1)
        TransposedEquivalent(zeros_between=1, padding=1, stride=1, kernel=3, dilation=1)
    """
    fn = "transposed_equivalent"
    (k, s, p, d), tup = _dims(fn, k=k, s=s, p=p, d=d)
    # p' = d(k - 1) - p
    pad = tuple(d_ * (k_ - 1) - p_ for k_, p_, d_ in zip(k, p, d, strict=True))
    if min(pad) < 0:
        span = _pack(tuple(d_ * (k_ - 1) for k_, d_ in zip(k, d, strict=True)), tup)
        fail(fn, "p", "is too large", repr(_pack(p, tup)),
             f"expected p <= d(k - 1) = {span}, so that the equivalent padding d(k - 1) - p is not negative")
    fields = (tuple(s_ - 1 for s_ in s), pad, (1,) * len(k), k, d)
    return TransposedEquivalent(*(_pack(f, tup) for f in fields))


# --------------------------------------------------------------------------- receptive field


class ReceptiveField(NamedTuple):
    """One layer of [receptive_field][dlref.conv.arithmetic.receptive_field]: its parameters and the field after it."""

    index: int  # type: ignore[assignment]  # the field shadows tuple.index, which a row never needs
    name: str
    kernel: Size
    stride: Size
    padding: Size
    dilation: Size
    size: Size
    jump: Size
    start: float | tuple[float, ...]


# layers that act on each position alone: the receptive field passes through unchanged
_POINTWISE = (
    nn.Identity, nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU,
    nn.Mish, nn.Sigmoid, nn.Tanh, nn.Hardtanh, nn.Hardswish, nn.Hardsigmoid, nn.Softplus, nn.Dropout, nn.Dropout1d,
    nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.modules.batchnorm._BatchNorm, nn.modules.instancenorm._InstanceNorm,
    nn.GroupNorm, nn.LocalResponseNorm,
)
_SUPPORTED = "Conv1d/2d/3d, MaxPool*d, AvgPool*d, pointwise layers (activations, dropout, normalization), nn.Sequential"


def _square(v: object) -> object:
    """(3, 3) -> 3: a module's per-dimension tuple whose entries are all equal, as one int."""
    return v[0] if isinstance(v, tuple) and v and all(x == v[0] for x in v) else v


def _layers(fn: str, layers: object) -> Iterator[tuple[str, tuple[object, ...]]]:
    """(name, (k, s, p, d)) per windowed layer, in order; pointwise modules give nothing."""
    if isinstance(layers, nn.Module):
        for m in (m for m in layers.modules() if not isinstance(m, nn.Sequential)):
            name = type(m).__name__
            if isinstance(m, nn.modules.conv._ConvNd) and not m.transposed:
                k, d = _square(m.kernel_size), _square(m.dilation)
                p: Size = m.padding if not isinstance(m.padding, str) else 0  # "valid" -> 0
                if m.padding == "same":  # the left padding torch uses
                    p = same_padding(m.kernel_size, m.dilation).left
                yield name, (k, _square(m.stride), _square(p), d)
            elif isinstance(m, (nn.modules.pooling._MaxPoolNd, nn.modules.pooling._AvgPoolNd)):
                yield name, tuple(_square(v) for v in (m.kernel_size, m.stride, m.padding, getattr(m, "dilation", 1)))
            elif not isinstance(m, _POINTWISE):
                fail(fn, "layers", "holds an unsupported layer", name, f"expected {_SUPPORTED}")
        return
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Iterable):
        fail_type(fn, "layers", layers, "expected an nn.Module or a list of (k, s, p) or (k, s, p, d) tuples")
    for index, entry in enumerate(layers):
        if not isinstance(entry, (tuple, list)) or len(entry) not in (3, 4):
            fail(fn, f"layers[{index}]", "is not a layer tuple", repr(entry), "expected (k, s, p) or (k, s, p, d)")
        yield "layer", (*entry, 1)[:4]


def receptive_field(layers: nn.Module | Iterable[tuple[Size, ...]]) -> list[ReceptiveField]:
    r"""Receptive field size $r$, jump $j$ and first centre of each layer of a stack.

    Starting from the input ($r_0 = 1$, $j_0 = 1$, $\text{start}_0 = 0$), each layer with
    kernel $k$, stride $s$, padding $p$ and dilation $d$ gives

    $$
    j_\ell = j_{\ell-1}\, s, \qquad r_\ell = r_{\ell-1} + d(k - 1)\, j_{\ell-1}, \qquad
    \text{start}_\ell = \text{start}_{\ell-1} + \Bigl(\frac{d(k - 1)}{2} - p\Bigr) j_{\ell-1}
    $$

    $r$ is how many input pixels (per dimension) one output unit sees, $j$ the distance in
    input pixels between neighbouring output units, and output unit $n$ is centred on input
    coordinate $\text{start} + n\,j$ (pixel centres at $0, 1, 2, \dots$; fields near the
    border reach into the padding).

    Args:
        layers: A list of `(k, s, p)` or `(k, s, p, d)` tuples (each entry an int or a tuple per
            dimension), or an `nn.Module`: a Conv/MaxPool/AvgPool layer, or an `nn.Sequential`
            (nested ones too) of those and pointwise layers, which keep the field.

    Returns:
        One `ReceptiveField` row per windowed layer: `index`, `name` (the module's class, or
        "layer"), `kernel`, `stride`, `padding` (left padding for `padding="same"`), `dilation`,
        `size`, `jump`, `start`. Ints if every parameter is the same in every dimension,
        else tuples per dimension.

    Raises:
        TypeError: If `layers` is neither a module nor an iterable, or a parameter is not an int.
        ValueError: For an unsupported module (transposed convolution, linear, adaptive pooling,
            ...), a malformed tuple, or a parameter out of range.

    References:
        - [Araujo et al., Computing receptive fields of CNNs (Distill, 2019)](https://distill.pub/2019/computing-receptive-fields/)

    Examples:
        >>> from torch import nn
        >>> from dlref.conv.arithmetic import receptive_field
        >>> stem = nn.Sequential(nn.Conv2d(3, 64, 7, stride=2, padding=3), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        >>> [(row.name, row.size, row.jump, row.start) for row in receptive_field(stem)]
        [('Conv2d', 7, 2, 0.0), ('MaxPool2d', 11, 4, 0.0)]
    """
    fn = "receptive_field"
    parsed = [(name, _dims(fn, k=k, s=s, p=p, d=d)) for name, (k, s, p, d) in _layers(fn, layers)]
    n, first = 1, -1  # the number of dims, set by the first layer given per-dimension tuples
    for index, (_, ((k, *_), tup)) in enumerate(parsed):
        if tup and first >= 0 and len(k) != n:
            fail(fn, f"layers[{index}]", f"has a different number of dimensions from layers[{first}]",
                 f"{len(k)} dims", f"expected {n}, or ints")
        if tup and first < 0:
            n, first = len(k), index
    tup = first >= 0
    r, j, start = [1] * n, [1] * n, [0.0] * n
    rows = []
    for index, (name, ((k, s, p, d), _)) in enumerate(parsed):
        k, s, p, d = (x * n if len(x) == 1 else x for x in (k, s, p, d))
        for m in range(n):
            span = d[m] * (k[m] - 1)
            # start_l = start_{l-1} + (d(k-1)/2 - p) j_{l-1};  r_l = r_{l-1} + d(k-1) j_{l-1};  j_l = j_{l-1} s
            start[m] += (span / 2 - p[m]) * j[m]
            r[m] += span * j[m]
            j[m] *= s[m]
        kernel, stride, padding, dilation, size, jump = (_pack(tuple(v), tup) for v in (k, s, p, d, r, j))
        centre = _pack(tuple(start), tup)
        rows.append(ReceptiveField(index, name, kernel, stride, padding, dilation, size, jump, centre))
    return rows


# --------------------------------------------------------------------------- cost


def _per_group(fn: str, in_ch: object, out_ch: object, groups: object) -> int:
    """in_ch // groups, after checking the channel counts as torch does."""
    c_in, c_out = check_int(fn, "in_ch", in_ch, low=1), check_int(fn, "out_ch", out_ch, low=1)
    g = check_int(fn, "groups", groups, low=1)
    for name, value in (("in_ch", c_in), ("out_ch", c_out)):
        if value % g:
            fail(fn, name, "is not divisible by groups", value, f"expected a multiple of groups={g}, as torch requires")
    return c_in // g


def conv_params(in_ch: int, out_ch: int, k: Size, groups: int = 1, bias: bool = True) -> int:
    r"""Number of learnable parameters of a convolution layer.

    $$
    \text{params} = c_{out} \cdot \frac{c_{in}}{g} \cdot \prod_m k_m \;+\; c_{out} \cdot [\text{bias}]
    $$

    Args:
        in_ch: Input channels $c_{in}$.
        out_ch: Output channels $c_{out}$.
        k: Kernel size (a tuple for 2-D/3-D kernels; an int means one spatial dimension).
        groups: Channel groups $g$; both channel counts must be divisible by it. Defaults to 1.
        bias: Whether the layer has a bias. Defaults to True.

    Returns:
        The parameter count, equal to `sum(p.numel() for p in layer.parameters())`.

    Raises:
        TypeError: If a count is not an int or `bias` is not a bool.
        ValueError: If a count is < 1 or a channel count is not divisible by `groups`.

    Torch counterpart: the shapes of `torch.nn.Conv2d.weight` and `.bias`.

    Examples:
        >>> from dlref.conv.arithmetic import conv_params
        >>> conv_params(3, 64, (7, 7), bias=False), conv_params(32, 32, (3, 3), groups=32)
        (9408, 320)
    """
    fn = "conv_params"
    bias = check_bool(fn, "bias", bias)
    per_group = _per_group(fn, in_ch, out_ch, groups)
    (k,), _ = _dims(fn, k=k)
    return out_ch * per_group * math.prod(k) + (out_ch if bias else 0)


def conv_macs(in_ch: int, out_ch: int, k: Size, out_size: Size, groups: int = 1) -> int:
    r"""Multiply-accumulate operations (MACs) of one convolution over one input sample.

    $$
    \text{MACs} = \prod_m o_m \cdot c_{out} \cdot \frac{c_{in}}{g} \cdot \prod_m k_m
    $$

    Each output value is a dot product of length $(c_{in}/g)\prod k$. Bias additions
    ($\prod o \cdot c_{out}$ more adds) are not counted, and FLOPs are about 2 x MACs.
    A transposed convolution from $c_{in}$ to $c_{out}$ channels on an input of size $i$
    costs what the convolution it transposes costs: `conv_macs(out_ch, in_ch, k, i, groups)`.

    Args:
        in_ch: Input channels.
        out_ch: Output channels.
        k: Kernel size.
        out_size: Output size (e.g. from [conv_output_size][dlref.conv.arithmetic.conv_output_size]);
            an int `k` or `out_size` is broadcast to the other's dimensions.
        groups: Channel groups. Defaults to 1.

    Returns:
        The MAC count for a batch of one.

    Raises:
        TypeError: If a count or size is not an int (or a tuple of ints).
        ValueError: If a count or size is < 1 or a channel count is not divisible by `groups`.

    Examples:
        >>> from dlref.conv.arithmetic import conv_macs
        >>> conv_macs(3, 64, 7, (112, 112))
        118013952
    """
    fn = "conv_macs"
    per_group = _per_group(fn, in_ch, out_ch, groups)
    (k, out_size), _ = _dims(fn, k=k, out_size=out_size)
    return math.prod(out_size) * out_ch * per_group * math.prod(k)
