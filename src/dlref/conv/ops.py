r"""Convolution, transposed convolution, pooling and bilinear resizing, written from scratch.

Scope: the 2-D operators of a CNN: `conv2d`, `conv_transpose2d`, `max_pool2d`,
`avg_pool2d`, `adaptive_avg_pool2d` (global average pooling is `output_size=1`) and
`interpolate_bilinear`. The docs page `convolution` (`/convolution/`) teaches them.

Sources: the course notes (the output-size formula, the transposed-convolution recipe
"insert s - 1 zeros, pad by k - p - 1", the bilinear $R_1, R_2, P$ formula, pooling),
Dumoulin & Visin's guide to convolution arithmetic, and the PyTorch documentation of
each counterpart, whose names, argument names, defaults and output sizes are mirrored.

Conventions:

- Inputs are $(N, C, H, W)$ or unbatched $(C, H, W)$ (`interpolate_bilinear` needs 4-D
  input, like torch's bilinear mode). Sizes are ints or (height, width) pairs.
- Output sizes and "same" padding come from `dlref.conv.arithmetic`, where each formula
  is written once.
- Only tensor operations are used (`F.pad`, slicing, `Tensor.unfold`, `matmul`, `F.fold`);
  no function calls its torch counterpart. `conv2d` is im2col + matmul, `conv_transpose2d`
  is matmul + col2im (tested equal to the zero-insertion recipe), and pooling reduces
  along rows, then along columns. Autograd derives every backward of this plain code.
- Two fast paths run beside it, each tested equal to it on values and gradients (first
  and second order): `conv2d` at stride 1 skips copying the column matrix, and col2im in
  `conv_transpose2d` has a cheaper backward; both write their backward out.

Deliberate differences from torch (each one is tested):

- Bad arguments raise `ValueError`/`TypeError` naming the function, argument and value
  (torch raises `RuntimeError`), and input, weight and bias must share one dtype.
- `max_pool2d` has no `return_indices`; where several entries of a window tie for the
  maximum, the gradient is split evenly among them (torch gives it to the first). A
  dilated window that holds only padding gives $-\infty$ as in torch, and no gradient
  (torch sends one to some input pixel).
- `interpolate_bilinear` takes only `size` (no `scale_factor`, no `antialias`).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from dlref._checks import check_bool, check_int, check_ints, check_ndim, check_tensor, fail, fail_type, message
from dlref.conv.arithmetic import _output_length, _same, _transposed_length

__all__ = ["adaptive_avg_pool2d", "avg_pool2d", "conv2d", "conv_transpose2d", "interpolate_bilinear", "max_pool2d"]

_Pair = int | tuple[int, int]
_P = tuple[int, int]

# --------------------------------------------------------------------------- validation


def _pair(fn: str, name: str, value: object, low: int) -> _P:
    """(height, width) from an int or a pair of ints, each at least `low`."""
    h, w = check_ints(fn, name, value, low=low, length=2)
    return h, w


def _check_input(fn: str, input: object, unbatched_ok: bool = True) -> tuple[Tensor, bool]:
    """The input as (N, C, H, W), and whether it came unbatched as (C, H, W)."""
    x = check_tensor(fn, "input", input)
    if unbatched_ok:
        check_ndim(fn, "input", x, (3, 4), "as (C, H, W) or (N, C, H, W)")
    else:
        check_ndim(fn, "input", x, (4,), "as (N, C, H, W)")
    return (x.unsqueeze(0), True) if x.dim() == 3 else (x, False)


def _check_like(fn: str, name: str, value: object, x: Tensor) -> Tensor:
    """`value` if it is a tensor of the input's dtype."""
    t = check_tensor(fn, name, value)
    if t.dtype != x.dtype:
        raise TypeError(message(fn, name, "has the wrong dtype", t.dtype, f"expected {x.dtype}, the dtype of input"))
    return t


def _check_weights(fn: str, x: Tensor, weight: object, bias: object, groups: object,
                   transposed: bool) -> tuple[Tensor, Tensor | None, int]:
    """Weight (and bias) shapes against the input's channels and `groups`; returns (w, b, groups)."""
    layout = "(C_in, C_out/groups, kH, kW)" if transposed else "(C_out, C_in/groups, kH, kW)"
    w = check_ndim(fn, "weight", _check_like(fn, "weight", weight, x), (4,), layout)
    g = check_int(fn, "groups", groups, low=1)
    c_in, c_out = (w.shape[0], w.shape[1] * g) if transposed else (w.shape[1] * g, w.shape[0])
    if x.shape[1] != c_in:
        rule = "weight.shape[0]" if transposed else "weight.shape[1] * groups"
        fail(fn, "weight", "does not match the input's channels", f"shape {tuple(w.shape)} with groups={g}",
             f"expected {rule} = {x.shape[1]}, the channels of input, in the layout {layout}")
    if w.shape[0] % g:
        fail(fn, "groups", "does not divide weight.shape[0]", g, f"expected a divisor of {w.shape[0]}")
    if bias is None:
        return w, None, g
    b = _check_like(fn, "bias", bias, x)
    if b.shape != (c_out,):
        fail(fn, "bias", "has the wrong shape", tuple(b.shape), f"expected ({c_out},), one entry per output channel")
    return w, b, g


def _conv_padding(fn: str, padding: object, stride: object, k: _P, d: _P) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) zero padding of conv2d from an int, a pair, "valid" or "same"."""
    if padding == "same":
        if _pair(fn, "stride", stride, 1) != (1, 1):
            fail(fn, "stride", "is out of range for padding='same'", repr(stride),
                 "expected 1: torch pads 'same' at stride 1 only")
        (top, bottom), (left, right) = _same(k[0], d[0]), _same(k[1], d[1])
        return top, bottom, left, right
    if padding == "valid":
        return 0, 0, 0, 0
    if isinstance(padding, str):
        fail(fn, "padding", "is not a valid padding", repr(padding),
             "expected 'same', 'valid', an int or a pair of ints")
    ph, pw = _pair(fn, "padding", padding, 0)
    return ph, ph, pw, pw


def _pool_args(fn: str, x: Tensor, kernel_size: object, stride: object, padding: object, dilation: object,
               ceil_mode: object) -> tuple[_P, _P, _P, _P, _P]:
    """Validated (kernel, stride, padding, dilation, output size) of a pooling window, as (h, w) pairs."""
    k = _pair(fn, "kernel_size", kernel_size, 1)
    s = k if stride is None else _pair(fn, "stride", stride, 1)
    p, d = _pair(fn, "padding", padding, 0), _pair(fn, "dilation", dilation, 1)
    ceil = check_bool(fn, "ceil_mode", ceil_mode)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        fail(fn, "padding", "is out of range", repr(padding),
             f"expected at most half of kernel_size, rounded down: {(k[0] // 2, k[1] // 2)}")
    h, w = (_output_length(x.shape[2 + a], k[a], s[a], p[a], p[a], d[a], ceil) for a in (0, 1))
    if min(h, w) < 1:
        padded = (x.shape[2] + 2 * p[0], x.shape[3] + 2 * p[1])
        fail(fn, "kernel_size", "is too large for the padded input", f"{k} with dilation {d}",
             f"expected dilation * (kernel_size - 1) + 1 <= the padded input size {padded}")
    return k, s, p, d, (h, w)


def _pad_windows(x: Tensor, k: _P, s: _P, p: _P, d: _P, out: _P, value: float) -> Tensor:
    """x padded by p at the top/left and exactly to the end of the last window at the bottom/right."""
    end = [(out[a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 - x.shape[2 + a] - p[a] for a in (0, 1)]
    return F.pad(x, (p[1], end[1], p[0], end[0]), value=value)  # a negative `end` crops unused rows


def _windows(x: Tensor, dim: int, k: int, s: int, d: int) -> Tensor:
    """View with a trailing axis of the k dilated taps of every window along `dim`."""
    return x.unfold(dim, d * (k - 1) + 1, s)[..., ::d]


# --------------------------------------------------------------------------- convolution


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: _Pair = 1,
           padding: _Pair | str = 0, dilation: _Pair = 1, groups: int = 1) -> Tensor:
    r"""2-D convolution (cross-correlation) of a batch of images with a bank of kernels.

    $$
    y_{n,o,h,w} = b_o + \sum_{c \in \text{group}(o)} \sum_{i=0}^{k_H-1} \sum_{j=0}^{k_W-1}
        W_{o,c,i,j}\; \tilde x_{n,c,\,h s_H + i d_H,\; w s_W + j d_W}
    $$

    where $\tilde x$ is the zero-padded input and $c$ runs over the $C_{in}/g$ channels of
    $o$'s group. Computed as im2col + matmul: the column matrix $X$ holds, for each output
    position $(h, w)$, the $C_{in}/g \cdot k_H k_W$ values its kernel sees (one strided view
    of $\tilde x$ per tap $(i, j)$), and $Y = W X$ with $W$ as a $C_{out}/g \times C_{in}/g \cdot
    k_H k_W$ matrix per group. At stride 1 the same product runs without copying $X$: in the
    flattened padded input each tap's block is one contiguous slice, so $Y = \sum_{i,j}
    W_{:,:,i,j} X_{ij}$ is accumulated tap by tap (tested equal, values and gradients).

    Args:
        input: Input images.
        weight: Kernels, $(C_{out}, C_{in}/g, k_H, k_W)$.
        bias: Per-output-channel bias $(C_{out},)$. Defaults to None.
        stride: Step $s$ of the sliding window. Defaults to 1.
        padding: Zeros added on each side: an int, a pair, `"valid"` (0) or `"same"` (output
            size = input size, stride 1 only; an odd $d(k-1)$ puts the extra zero at the
            bottom/right). Defaults to 0.
        dilation: Spacing $d$ between kernel taps. Defaults to 1.
        groups: Number of groups $g$; $g = C_{in}$ gives a depthwise convolution. Defaults to 1.

    Shape:
        - Input: $(N, C_{in}, H_{in}, W_{in})$ or $(C_{in}, H_{in}, W_{in})$.
        - Output: $(N, C_{out}, H_{out}, W_{out})$ or $(C_{out}, H_{out}, W_{out})$, where $H_{out}$ is

        $$
        H_{out} = \left\lfloor \frac{H_{in} + 2 \times \text{padding}[0]
            - \text{dilation}[0] \times (\text{kernel\_size}[0] - 1) - 1}{\text{stride}[0]} + 1 \right\rfloor
        $$

        $W_{out}$ follows the same formula with index 1.

    Returns:
        The feature maps.

    Raises:
        TypeError: If a tensor is not floating-point of the input's dtype, or a size is not an int or pair.
        ValueError: If channels do not match `weight` and `groups`, `groups` does not divide them,
            stride/dilation < 1, padding < 0 or unknown, `"same"` has stride > 1, or the
            kernel spans more than the padded input.

    Torch counterpart: `torch.nn.functional.conv2d`.

    References:
        - Dumoulin & Visin, [A guide to convolution arithmetic for deep learning](https://arxiv.org/abs/1603.07285).
        - [torch.nn.Conv2d](https://docs.pytorch.org/docs/stable/generated/torch.nn.Conv2d.html)

    Examples:
        >>> import torch
        >>> from dlref.conv.ops import conv2d
        >>> x = torch.arange(16.0).reshape(1, 1, 4, 4)
        >>> conv2d(x, torch.ones(1, 1, 2, 2), stride=2)
        tensor([[[[10., 18.],
                  [42., 50.]]]])
    """
    fn = "conv2d"
    x, unbatched = _check_input(fn, input)
    w, b, g = _check_weights(fn, x, weight, bias, groups, transposed=False)
    s, d = _pair(fn, "stride", stride, 1), _pair(fn, "dilation", dilation, 1)
    (sh, sw), (dh, dw) = s, d
    n, _, h, wd = x.shape
    c_out, cg, kh, kw = w.shape
    top, bottom, left, right = _conv_padding(fn, padding, stride, (kh, kw), d)
    h_out, w_out = _output_length(h, kh, sh, top, bottom, dh), _output_length(wd, kw, sw, left, right, dw)
    if min(h_out, w_out) < 1:
        fail(fn, "weight", "is too large for the padded input", f"kernel {(kh, kw)} with dilation {d}",
             f"expected dilation * (kernel - 1) + 1 <= the padded input size {(h + top + bottom, wd + left + right)}")
    if s == (1, 1) and _FAST_PATHS:  # the same product without copying X: _Conv2dStride1 below, tested equal
        y: Tensor = _Conv2dStride1.apply(x, w, (top, bottom, left, right), d, g, (h_out, w_out))  # type: ignore[no-untyped-call]
    else:
        xp = F.pad(x, (left, right, top, bottom))  # x̃, the zero-padded input
        # im2col: X[n, c, i, j, h, w] = x̃[n, c, h s_H + i d_H, w s_W + j d_W], one strided view per kernel tap (i, j)
        taps = [xp[:, :, i * dh:i * dh + sh * (h_out - 1) + 1:sh, j * dw:j * dw + sw * (w_out - 1) + 1:sw]
                for i in range(kh) for j in range(kw)]
        X = torch.stack(taps, dim=2).reshape(n, g, cg * kh * kw, h_out * w_out)  # (N, g, C_in/g·kH·kW, H_out·W_out)
        # y = W X: one matrix product per sample and group, W as (C_out/g, C_in/g · kH · kW)
        y = torch.matmul(w.reshape(g, c_out // g, cg * kh * kw), X).reshape(n, c_out, h_out, w_out)
    y = y if b is None else y + b.view(-1, 1, 1)  # + b
    return y.squeeze(0) if unbatched else y


_FAST_PATHS = True  # the tests switch the fast paths off to check them against the plain code


class _Conv2dStride1(torch.autograd.Function):
    """The fast path of `conv2d` at stride 1: im2col + matmul without copying the column matrix.

    In the flattened padded image x̃ (row length W_p), the entry x̃[c, h + i d_H, w + j d_W] of
    im2col's block X_ij sits at flat index (h W_p + w) + (i d_H W_p + j d_W). So X_ij is a
    contiguous slice of the flat image, read as H_out rows of W_p columns: the last
    W_p - W_out columns of each row run into the next image row and are dropped at the end.
    Then y = Σ_ij W_ij X_ij is one small product per tap, accumulated in place, one image at a
    time so that the image and its output stay in cache across the taps. The backward is
    written out the same way (grad X_ij = W_ij^T grad y, grad W_ij = Σ_n grad y X_ij^T), so no
    tap allocates a gradient of the full image; autograd differentiates it, so double
    backward works. Tested equal to the plain code on values and gradients.
    """

    @staticmethod
    def _geometry(x: Tensor, w: Tensor, pad: tuple[int, int, int, int], dilation: _P,
                  g: int) -> tuple[Tensor, Tensor, list[int]]:
        """Flat padded images (N, g, C/g, (H_p + 1) W_p), taps (kH·kW, g, C_out/g, C/g) and each tap's slice start."""
        top, bottom, left, right = pad
        c_out, cg, kh, kw = w.shape
        (dh, dw), og = dilation, c_out // g
        # one more zero row: the last tap's slice runs d_W (k_W - 1) < W_p entries past the image
        xp = F.pad(x, (left, right, top, bottom + 1))
        flat = xp.reshape(x.shape[0], g, cg, -1)
        taps = w.reshape(g, og, cg, kh * kw).permute(3, 0, 1, 2)
        return flat, taps, [i * dh * xp.shape[3] + j * dw for i in range(kh) for j in range(kw)]

    @staticmethod
    def forward(ctx: Any, x: Tensor, w: Tensor, pad: tuple[int, int, int, int], dilation: _P, g: int,
                out: _P) -> Tensor:
        flat, taps, starts = _Conv2dStride1._geometry(x, w, pad, dilation, g)
        wp = x.shape[3] + pad[2] + pad[3]
        length = out[0] * wp  # H_out rows of W_p columns
        y = flat.new_empty(x.shape[0], g, taps.shape[2], length)
        for yn, xn in zip(y, flat, strict=True):
            torch.matmul(taps[0], xn[..., :length], out=yn)
            for t in range(1, len(starts)):
                yn.baddbmm_(taps[t], xn[..., starts[t]:starts[t] + length])  # y += W_t X_t
        ctx.save_for_backward(x, w)
        ctx.pad, ctx.dilation, ctx.groups, ctx.out = pad, dilation, g, out
        return y.view(x.shape[0], w.shape[0], out[0], wp)[..., :out[1]].contiguous()

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor | None, Tensor | None, None, None, None, None]:
        x, w = ctx.saved_tensors
        flat, taps, starts = _Conv2dStride1._geometry(x, w, ctx.pad, ctx.dilation, ctx.groups)
        (n, c, h, wd), (top, _, left, right) = x.shape, ctx.pad
        wp = wd + left + right
        length = ctx.out[0] * wp
        # grad y with zeros in the dropped columns, as (N, g, C_out/g, H_out W_p)
        gy = F.pad(grad, (0, wp - ctx.out[1])).reshape(n, ctx.groups, -1, length)
        grad_x = grad_w = None
        if ctx.needs_input_grad[0]:
            grad_flat = torch.zeros_like(flat)
            for b in range(n):
                for t, start in enumerate(starts):
                    grad_flat[b, ..., start:start + length].baddbmm_(taps[t].transpose(1, 2), gy[b])  # += W_t^T grad y
            grad_x = grad_flat.view(n, c, -1, wp)[:, :, top:top + h, left:left + wd]  # the padding gets no gradient
        if ctx.needs_input_grad[1]:
            grad_taps = taps.new_zeros(taps.shape)
            for b in range(n):
                for t, start in enumerate(starts):
                    grad_taps[t].baddbmm_(gy[b], flat[b, ..., start:start + length].transpose(1, 2))  # += grad y X_t^T
            grad_w = grad_taps.permute(1, 2, 3, 0).reshape(w.shape)
        return grad_x, grad_w, None, None, None, None


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: _Pair = 1,
                     padding: _Pair = 0, output_padding: _Pair = 0, groups: int = 1, dilation: _Pair = 1) -> Tensor:
    r"""2-D transposed convolution ("deconvolution"): the adjoint of `conv2d`, used to upsample.

    Each input pixel scatters a weighted copy of the kernel into the output ($o$ counted
    within its group in $W$), then the bias is added:

    $$
    y_{n,o,\,h s_H + i d_H - p_H,\; w s_W + j d_W - p_W} \mathrel{+}= \sum_{c \in \text{group}(o)}
        W_{c,o,i,j}\, x_{n,c,h,w}
    $$

    The course notes' recipe gives the same result (made exact here with dilation and
    `output_padding`): insert $s - 1$ zeros between neighbouring input pixels, pad each side
    with $d(k - 1) - p$ zeros (plus `output_padding` at the bottom/right), and convolve with
    stride 1 with the spatially flipped kernel, in/out channels swapped within each group.
    The scatter form (`matmul`, then `F.fold`) skips the inserted zeros, so it runs here.

    Args:
        input: Input feature maps.
        weight: Kernels in torch's layout $(C_{in}, C_{out}/g, k_H, k_W)$.
        bias: Per-output-channel bias $(C_{out},)$. Defaults to None.
        stride: Upsampling factor $s$ (the stride of the convolution this one transposes). Defaults to 1.
        padding: Rows/columns $p$ cropped from each side (that convolution's padding). Defaults to 0.
        output_padding: Extra rows/columns at the bottom/right, to choose among the input sizes
            a strided convolution maps to one size; each < stride or < dilation. Defaults to 0.
        groups: Number of groups $g$. Defaults to 1.
        dilation: Spacing $d$ between kernel taps. Defaults to 1.

    Shape:
        - Input: $(N, C_{in}, H_{in}, W_{in})$ or $(C_{in}, H_{in}, W_{in})$.
        - Output: $(N, C_{out}, H_{out}, W_{out})$ or $(C_{out}, H_{out}, W_{out})$, where $H_{out}$ is

        $$
        H_{out} = (H_{in} - 1) \times \text{stride}[0] - 2 \times \text{padding}[0]
            + \text{dilation}[0] \times (\text{kernel\_size}[0] - 1) + \text{output\_padding}[0] + 1
        $$

        $W_{out}$ follows the same formula with index 1.

    Returns:
        The upsampled feature maps.

    Raises:
        TypeError: If a tensor is not floating-point of the input's dtype, or a size is not an int or pair.
        ValueError: If channels do not match `weight`, `groups` does not divide them, stride or
            dilation < 1, padding < 0, output_padding is negative or too large, or the output is empty.

    Torch counterpart: `torch.nn.functional.conv_transpose2d`.

    References:
        - Dumoulin & Visin, [A guide to convolution arithmetic](https://arxiv.org/abs/1603.07285), 2016, ch. 4.
        - [torch.nn.ConvTranspose2d](https://docs.pytorch.org/docs/stable/generated/torch.nn.ConvTranspose2d.html)

    Examples:
        >>> import torch
        >>> from dlref.conv.ops import conv_transpose2d
        >>> x = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
        >>> conv_transpose2d(x, torch.ones(1, 1, 2, 2), stride=2)
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.],
                  [3., 3., 4., 4.],
                  [3., 3., 4., 4.]]]])
    """
    fn = "conv_transpose2d"
    x, unbatched = _check_input(fn, input)
    w, b, g = _check_weights(fn, x, weight, bias, groups, transposed=True)
    s, d = _pair(fn, "stride", stride, 1), _pair(fn, "dilation", dilation, 1)
    p, op = _pair(fn, "padding", padding, 0), _pair(fn, "output_padding", output_padding, 0)
    if op[0] >= max(s[0], d[0]) or op[1] >= max(s[1], d[1]):
        fail(fn, "output_padding", "is out of range", repr(output_padding),
             f"expected each entry < stride or < dilation, here < {(max(s[0], d[0]), max(s[1], d[1]))}")
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    size = [_transposed_length(m, k, s[a], p[a], op[a], d[a]) for a, (m, k) in enumerate(((h, kh), (wd, kw)))]
    if min(size) < 1:
        fail(fn, "padding", "is too large", repr(padding),
             f"expected an output size of at least 1, not {tuple(size)}: 2 * padding crops all of it")
    # cols[n, (o, i, j), (h, w)] = Σ_c W[c, o, i, j] x[n, c, h, w], the c in o's group
    cols = torch.matmul(w.reshape(g, c // g, og * kh * kw).transpose(1, 2), x.reshape(n, g, c // g, h * wd))
    # col2im: y[n, o, h s + i d, w s + j d] += cols[n, (o, i, j), (h, w)], on the output before cropping
    full = (_transposed_length(h, kh, s[0], 0, 0, d[0]), _transposed_length(wd, kw, s[1], 0, 0, d[1]))
    if _FAST_PATHS:  # the same scatter with a cheaper backward: _Col2im below, tested equal
        y: Tensor = _Col2im.apply(cols.reshape(n, g * og, kh, kw, h, wd), full, s, d)  # type: ignore[no-untyped-call]
    else:
        y = F.fold(cols.reshape(n, g * og * kh * kw, h * wd), full, (kh, kw), dilation=d, stride=s)
    # crop `padding` from each side; output_padding adds rows/columns at the bottom/right
    y = F.pad(y, (-p[1], op[1] - p[1], -p[0], op[0] - p[0]))
    y = y if b is None else y + b.view(-1, 1, 1)
    return y.squeeze(0) if unbatched else y


class _Col2im(torch.autograd.Function):
    """The fast path of col2im in `conv_transpose2d`: the scatter of `F.fold`, with a cheaper backward.

    Forward: y[n, o, h s + i d, w s + j d] += cols[n, o, i, j, h, w], one strided add per tap.
    Backward: grad cols[n, o, i, j, h, w] = grad y[n, o, h s + i d, w s + j d], one strided view
    per tap, stacked; `F.fold`'s own backward (im2col) is about twice as slow here. Autograd
    differentiates the backward, so double backward works. Tested equal to `F.fold`.
    """

    @staticmethod
    def _taps(t: Tensor, kh: int, kw: int, h: int, w: int, stride: _P, dilation: _P) -> list[Tensor]:
        """The strided views t[:, :, h s + i d, w s + j d] (h < H, w < W), one per tap (i, j)."""
        (sh, sw), (dh, dw) = stride, dilation
        return [t[:, :, i * dh:i * dh + sh * (h - 1) + 1:sh, j * dw:j * dw + sw * (w - 1) + 1:sw]
                for i in range(kh) for j in range(kw)]

    @staticmethod
    def forward(ctx: Any, cols: Tensor, full: _P, stride: _P, dilation: _P) -> Tensor:
        n, c, kh, kw, h, w = cols.shape
        y = cols.new_zeros(n, c, *full)
        for t, view in enumerate(_Col2im._taps(y, kh, kw, h, w, stride, dilation)):
            view += cols[:, :, t // kw, t % kw]
        ctx.geometry = (kh, kw, h, w, stride, dilation)
        return y

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple[Tensor, None, None, None]:
        kh, kw, h, w, stride, dilation = ctx.geometry
        taps = _Col2im._taps(grad, kh, kw, h, w, stride, dilation)
        return torch.stack(taps, dim=2).view(*grad.shape[:2], kh, kw, h, w), None, None, None


def _conv_transpose2d_zero_insertion(x: Tensor, w: Tensor, stride: _P, padding: _P, output_padding: _P,
                                     dilation: _P, g: int) -> Tensor:
    """The textbook recipe for `conv_transpose2d` (without bias), tested equal to it; about 2-3x slower.

    Insert s - 1 zeros between neighbouring input pixels, pad each side by d(k - 1) - p
    (plus output_padding at the bottom/right; negative amounts crop), and run a stride-1
    convolution with the spatially flipped kernel, in/out channels swapped within each group.
    """
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    (sh, sw), (ph, pw), (oh, ow), (dh, dw) = stride, padding, output_padding, dilation
    z = x.new_zeros(n, c, (h - 1) * sh + 1, (wd - 1) * sw + 1)
    z[:, :, ::sh, ::sw] = x
    bh, bw = dh * (kh - 1) - ph, dw * (kw - 1) - pw
    z = F.pad(z, (bw, bw + ow, bh, bh + oh))
    flipped = w.reshape(g, c // g, og, kh, kw).transpose(1, 2).reshape(g * og, c // g, kh, kw).flip(2, 3)
    return conv2d(z, flipped, dilation=dilation, groups=g)


# --------------------------------------------------------------------------- pooling


def max_pool2d(input: Tensor, kernel_size: _Pair, stride: _Pair | None = None, padding: _Pair = 0,
               dilation: _Pair = 1, ceil_mode: bool = False) -> Tensor:
    r"""2-D max pooling: the largest value in each (dilated) window.

    $$
    y_{n,c,h,w} = \max_{0 \le i < k_H,\; 0 \le j < k_W} \tilde x_{n,c,\,h s_H + i d_H,\; w s_W + j d_W}
    $$

    where $\tilde x$ is the input padded with $-\infty$. The maximum is separable: windows
    along the rows are reduced first, then along the columns.

    Args:
        input: Input feature maps.
        kernel_size: Window size $k$.
        stride: Window step $s$. Defaults to None, meaning `kernel_size`.
        padding: $-\infty$ rows/columns added on each side; at most $\lfloor k/2 \rfloor$. Defaults to 0.
        dilation: Spacing $d$ between window taps. Defaults to 1.
        ceil_mode: Round the output size up; the last window must still start inside the
            input or the left padding (torch's rule). Defaults to False.

    Shape:
        - Input: $(N, C, H_{in}, W_{in})$ or $(C, H_{in}, W_{in})$.
        - Output: $(N, C, H_{out}, W_{out})$ or $(C, H_{out}, W_{out})$, where $H_{out}$ is

        $$
        H_{out} = \left\lfloor \frac{H_{in} + 2 \times \text{padding}[0]
            - \text{dilation}[0] \times (\text{kernel\_size}[0] - 1) - 1}{\text{stride}[0]} + 1 \right\rfloor
        $$

        In `ceil_mode`, $\lceil\cdot\rceil$ replaces $\lfloor\cdot\rfloor$, then 1 is subtracted if
        $(H_{out} - 1) \times \text{stride}[0] \ge H_{in} + \text{padding}[0]$. $W_{out}$ follows the same formula
        with index 1.

    Returns:
        The pooled feature maps.

    Raises:
        TypeError: If `input` is not a floating-point tensor, a size not an int or pair, a flag not a bool.
        ValueError: If kernel_size/stride/dilation < 1, padding < 0 or > kernel_size // 2, or the output is empty.

    Torch counterpart: `torch.nn.functional.max_pool2d` (which also offers `return_indices`).

    References:
        - [torch.nn.MaxPool2d](https://docs.pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html)

    Examples:
        >>> import torch
        >>> from dlref.conv.ops import max_pool2d
        >>> x = torch.tensor([[[1.0, 5.0, 2.0], [4.0, 3.0, 0.0], [7.0, 8.0, 6.0]]])
        >>> max_pool2d(x, 2, ceil_mode=True)
        tensor([[[5., 2.],
                 [8., 6.]]])
    """
    fn = "max_pool2d"
    x, unbatched = _check_input(fn, input)
    k, s, p, d, out = _pool_args(fn, x, kernel_size, stride, padding, dilation, ceil_mode)
    xp = _pad_windows(x, k, s, p, d, out, float("-inf"))
    y = _windows(xp, 2, k[0], s[0], d[0]).amax(-1)  # max over each window of rows ...
    y = _windows(y, 3, k[1], s[1], d[1]).amax(-1)  # ... then over each window of columns
    return y.squeeze(0) if unbatched else y


def avg_pool2d(input: Tensor, kernel_size: _Pair, stride: _Pair | None = None, padding: _Pair = 0,
               ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    r"""2-D average pooling: the mean of each window, with torch's divisor rules.

    $$
    y_{n,c,h,w} = \frac{1}{D_{h,w}} \sum_{i=0}^{k_H-1} \sum_{j=0}^{k_W-1} \tilde x_{n,c,\,h s_H + i,\; w s_W + j}
    $$

    where $\tilde x$ is the zero-padded input. The divisor $D_{h,w}$ is `divisor_override` if
    given; else, with `count_include_pad`, the window's area clipped to the padded input
    (ceil-mode windows can run past it); else the number of real input pixels in the window.

    Args:
        input: Input feature maps.
        kernel_size: Window size $k$.
        stride: Window step $s$. Defaults to None, meaning `kernel_size`.
        padding: Zero rows/columns added on each side; at most half the window. Defaults to 0.
        ceil_mode: Round the output size up, as in `max_pool2d`. Defaults to False.
        count_include_pad: Count padding zeros in the divisor. Defaults to True.
        divisor_override: A fixed nonzero divisor for every window. Defaults to None.

    Shape:
        - Input: $(N, C, H_{in}, W_{in})$ or $(C, H_{in}, W_{in})$.
        - Output: $(N, C, H_{out}, W_{out})$ or $(C, H_{out}, W_{out})$, where $H_{out}$ is

        $$
        H_{out} = \left\lfloor \frac{H_{in} + 2 \times \text{padding}[0]
            - \text{kernel\_size}[0]} {\text{stride}[0]} + 1 \right\rfloor
        $$

        `ceil_mode` works as in `max_pool2d`. $W_{out}$ follows the same formula with index 1.

    Returns:
        The pooled feature maps.

    Raises:
        TypeError: If `input` is not a floating-point tensor, a size not an int or pair, a flag
            not a bool, or `divisor_override` not an int.
        ValueError: If kernel_size/stride < 1, padding < 0 or > kernel_size // 2, `divisor_override`
            is 0, or the output is empty.

    Torch counterpart: `torch.nn.functional.avg_pool2d`.

    References:
        - [torch.nn.AvgPool2d](https://docs.pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html)

    Examples:
        >>> import torch
        >>> from dlref.conv.ops import avg_pool2d
        >>> x = torch.tensor([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]])
        >>> avg_pool2d(x, 2, padding=1)
        tensor([[[0.2500, 1.2500],
                 [2.7500, 7.0000]]])
        >>> avg_pool2d(x, 2, padding=1, count_include_pad=False)
        tensor([[[1.0000, 2.5000],
                 [5.5000, 7.0000]]])
    """
    fn = "avg_pool2d"
    x, unbatched = _check_input(fn, input)
    k, s, p, _, out = _pool_args(fn, x, kernel_size, stride, padding, 1, ceil_mode)
    include = check_bool(fn, "count_include_pad", count_include_pad)
    if divisor_override is not None:
        if isinstance(divisor_override, bool) or not isinstance(divisor_override, int):
            fail_type(fn, "divisor_override", divisor_override, "expected a nonzero int or None")
        if divisor_override == 0:
            fail(fn, "divisor_override", "is zero", 0, "expected a nonzero int or None")
    xp = _pad_windows(x, k, s, p, (1, 1), out, 0.0)
    total = _windows(_windows(xp, 2, k[0], s[0], 1).sum(-1), 3, k[1], s[1], 1).sum(-1)
    if divisor_override is not None:
        y = total / divisor_override
    else:
        counts = []
        for n, ki, si, pi, o in zip(x.shape[2:], k, s, p, out, strict=True):
            start = torch.arange(o) * si - pi
            end = torch.clamp(start + ki, max=n + pi)  # clipped to the padded input
            if not include:  # only real pixels
                start, end = start.clamp(min=0), end.clamp(max=n)
            counts.append((end - start).to(x.dtype))
        # D_{h,w} = (rows counted) · (columns counted): the window is a rectangle
        y = total / (counts[0][:, None] * counts[1])
    return y.squeeze(0) if unbatched else y


def _bins(n_in: int, n_out: int, like: Tensor) -> Tensor:
    """(n_out, n_in) matrix averaging bin i = [floor(i·n_in/n_out), ceil((i+1)·n_in/n_out))."""
    i, j = torch.arange(n_out)[:, None], torch.arange(n_in)
    start, end = i * n_in // n_out, ((i + 1) * n_in + n_out - 1) // n_out
    return ((j >= start) & (j < end)).to(like.dtype) / (end - start).to(like.dtype)


def adaptive_avg_pool2d(input: Tensor, output_size: int | tuple[int | None, int | None]) -> Tensor:
    r"""2-D adaptive average pooling: average over a grid of bins that yields a fixed output size.

    $$
    y_{n,c,h,w} = \frac{1}{(e_h - s_h)(e'_w - s'_w)} \sum_{i=s_h}^{e_h - 1} \sum_{j=s'_w}^{e'_w - 1} x_{n,c,i,j},
    \qquad s_h = \left\lfloor \frac{h H_{in}}{H_{out}} \right\rfloor,\;
    e_h = \left\lceil \frac{(h+1) H_{in}}{H_{out}} \right\rceil
    $$

    and $s'_w, e'_w$ likewise along the width. Neighbouring bins may overlap by one
    pixel. Computed as $A_H\, x\, A_W^\top$ with averaging matrices $A$.
    `output_size=1` is global average pooling (the head of ResNet).

    Args:
        input: Input feature maps.
        output_size: $(H_{out}, W_{out})$, or one int for both; None in the pair keeps that input size.

    Shape:
        - Input: $(N, C, H_{in}, W_{in})$ or $(C, H_{in}, W_{in})$.
        - Output: $(N, C, H_{out}, W_{out})$ or $(C, H_{out}, W_{out})$, where
          $(H_{out}, W_{out}) = \text{output\_size}$.

    Returns:
        The pooled feature maps.

    Raises:
        TypeError: If `input` is not a floating-point tensor or `output_size` not an int or pair.
        ValueError: If an output size is negative.

    Torch counterpart: `torch.nn.functional.adaptive_avg_pool2d`.

    References:
        - [torch.nn.AdaptiveAvgPool2d](https://docs.pytorch.org/docs/stable/generated/torch.nn.AdaptiveAvgPool2d.html)

    Examples:
        >>> import torch
        >>> from dlref.conv.ops import adaptive_avg_pool2d
        >>> x = torch.arange(15.0).reshape(1, 3, 5)
        >>> adaptive_avg_pool2d(x, (1, 2))
        tensor([[[6., 8.]]])
    """
    fn = "adaptive_avg_pool2d"
    x, unbatched = _check_input(fn, input)
    allowed = "expected an int or a pair of ints or None, each >= 0"
    pair = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in pair):
        if not isinstance(output_size, (tuple, list)):
            fail_type(fn, "output_size", output_size, allowed)
        raise TypeError(message(fn, "output_size", "has an entry of the wrong type", repr(output_size), allowed))
    if len(pair) != 2:
        fail(fn, "output_size", "has the wrong length", repr(output_size), allowed)
    size = [x.shape[2 + a] if v is None else v for a, v in enumerate(pair)]
    if min(size) < 0:
        fail(fn, "output_size", "is out of range", repr(output_size), allowed)
    # A_H x A_W^T: average each bin of rows, then each bin of columns
    y = torch.matmul(torch.matmul(_bins(x.shape[2], size[0], x), x), _bins(x.shape[3], size[1], x).T)
    return y.squeeze(0) if unbatched else y


# --------------------------------------------------------------------------- resizing


def _linear_taps(n_in: int, n_out: int, align_corners: bool, like: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Source index of each output position as (lower neighbour, upper neighbour, weight of the upper one)."""
    dst = torch.arange(n_out, dtype=like.dtype)
    if align_corners:  # corners to corners: src = dst·(in - 1)/(out - 1)
        src = dst * ((n_in - 1) / (n_out - 1)) if n_out > 1 else torch.zeros_like(dst)
    else:  # pixel centres to centres: src = (dst + 0.5)·in/out - 0.5, clamped at 0
        src = ((dst + 0.5) * (n_in / n_out) - 0.5).clamp_min(0)
    lo = src.floor().long()
    return lo, (lo + 1).clamp_max(n_in - 1), src - lo


def interpolate_bilinear(input: Tensor, size: _Pair, align_corners: bool = False) -> Tensor:
    r"""Resize images by bilinear interpolation (up- or downsampling).

    Each output pixel maps to a source point $(x, y)$ between columns $x_1 = \lfloor x \rfloor$,
    $x_2 = x_1 + 1$ and rows $y_1 = \lfloor y \rfloor$, $y_2 = y_1 + 1$ (a neighbour past the
    border reads the border pixel). Interpolate along $x$ on both rows, then along $y$:

    $$
    R_1 = Q_{11}(x_2 - x) + Q_{21}(x - x_1), \quad
    R_2 = Q_{12}(x_2 - x) + Q_{22}(x - x_1), \quad
    P = R_1 (y_2 - y) + R_2 (y - y_1)
    $$

    with $Q_{ab}$ the input at column $x_a$, row $y_b$. Output index $t$ maps to source
    coordinate $(t + 0.5)\frac{\text{in}}{\text{out}} - 0.5$ clamped at 0 (`align_corners=False`:
    pixel areas aligned) or $t\frac{\text{in} - 1}{\text{out} - 1}$ (`True`: corner centres aligned).

    Args:
        input: Input images.
        size: Output size $(H_{out}, W_{out})$, or one int for both.
        align_corners: Map corner pixel centres onto each other instead of pixel edges. Defaults to False.

    Shape:
        - Input: $(N, C, H_{in}, W_{in})$.
        - Output: $(N, C, H_{out}, W_{out})$, where $(H_{out}, W_{out}) = \text{size}$.

    Returns:
        The resized images.

    Raises:
        TypeError: If `input` is not a floating-point tensor, `size` not an int or pair, a flag not a bool.
        ValueError: If `input` is not 4-D or a size is < 1.

    Torch counterpart: `torch.nn.functional.interpolate(input, size, mode="bilinear", align_corners=...)`.

    References:
        - [Bilinear interpolation](https://en.wikipedia.org/wiki/Bilinear_interpolation), Wikipedia.
        - [torch.nn.functional.interpolate](https://docs.pytorch.org/docs/stable/generated/torch.nn.functional.interpolate.html)

    Examples:
        >>> import torch
        >>> from dlref.conv.ops import interpolate_bilinear
        >>> x = torch.tensor([[[[0.0, 1.0], [2.0, 3.0]]]])
        >>> interpolate_bilinear(x, 3, align_corners=True)
        tensor([[[[0.0000, 0.5000, 1.0000],
                  [1.0000, 1.5000, 2.0000],
                  [2.0000, 2.5000, 3.0000]]]])
        >>> interpolate_bilinear(x, (1, 4))
        tensor([[[[1.0000, 1.2500, 1.7500, 2.0000]]]])
    """
    fn = "interpolate_bilinear"
    x, _ = _check_input(fn, input, unbatched_ok=False)
    h_out, w_out = _pair(fn, "size", size, 1)
    corners = check_bool(fn, "align_corners", align_corners)
    y1, y2, ly = _linear_taps(x.shape[2], h_out, corners, x)
    x1, x2, lx = _linear_taps(x.shape[3], w_out, corners, x)
    # R = Q_1 (x2 - x) + Q_2 (x - x1) along x, once for every input row
    r = x.index_select(3, x1) * (1 - lx) + x.index_select(3, x2) * lx
    r1, r2 = r.index_select(2, y1), r.index_select(2, y2)  # R1 on row y1, R2 on row y2
    return r1 * (1 - ly)[:, None] + r2 * ly[:, None]  # P = R1 (y2 - y) + R2 (y - y1)
