r"""A torchsummary-style model table, and a multiply-accumulate (MAC) counter, with no third-party dependency.

Scope: `summary(model, input_size)` runs one forward pass with forward hooks and
returns a `Summary`: one `SummaryRow` per call of a leaf module (output shape,
parameters, MACs), the parameter totals, and torchsummary's size estimates;
``print(summary(...))`` prints torchsummary's table. `count_macs` returns the
multiply-accumulates of one forward pass for one sample. The course notes print
such tables with ``torchsummary``; the site reproduces them with this module.

Sources: the ``torchsummary`` package (``summary(model, input_size, batch_size=-1,
device=..., dtypes=None)``), whose table layout, row names (``Conv2d-1``) and size
estimates are mirrored, and the MAC conventions of fvcore and
`torch.utils.flop_counter.FlopCounterMode` (which counts 2 FLOPs per MAC).

What a MAC is here: one multiplication plus one addition in a convolution or a
linear layer, the figure papers quote as "FLOPs" or "mult-adds". Per module:

- `torch.nn.Linear`: $\text{MACs} = \text{numel}(y) \cdot \text{in\_features}$ (bias not counted);
- `torch.nn.Conv1d/2d/3d`: $\text{MACs} = \text{numel}(y) \cdot \frac{C_{in}}{\text{groups}} \cdot \prod k$
  (bias not counted), [conv_macs][dlref.conv.arithmetic.conv_macs] for each sample;
- `torch.nn.ConvTranspose1d/2d/3d`: $\text{MACs} = \text{numel}(x) \cdot \frac{C_{out}}{\text{groups}}
  \cdot \prod k$, the cost of the convolution it transposes;
- every other module (BN, activations, pooling, dropout) counts 0, and so do
  operations called as functions (``F.conv2d`` in a ``forward``), which hooks cannot see.

Deliberate differences from torchsummary (each one is tested):

- Returns a `Summary` instead of printing; ``str(summary)`` is torchsummary's table.
- Rows are the leaf modules (and any module that owns parameters directly);
  torchsummary also lists containers such as ``BasicBlock`` (with 0 parameters),
  so its row numbers differ on nested models. Each row counts all the module's
  own parameters, not only ``weight`` and ``bias``.
- Totals count each parameter of ``model.parameters()`` once. torchsummary sums its
  rows, so a module called twice counts twice and parameters that are not a
  leaf's ``weight``/``bias`` are missed.
- The forward pass runs in eval mode under `torch.no_grad` and restores every
  module's training flag, so BN running statistics, ``num_batches_tracked`` and
  the global random state are untouched (torchsummary runs in training mode and
  updates them). The dummy input is drawn from a private generator.
- ``device`` defaults to the model's device (torchsummary: ``"cuda"``); the meta
  device works, so shapes and counts of large models cost no memory.
- Sizes use the element size of the actual tensors (4 bytes for float32, which
  torchsummary assumes), and multiple inputs are summed rather than multiplied together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import torch
from torch import Tensor, nn

from dlref._checks import check_int, fail, fail_type, message
from dlref.conv.arithmetic import conv_macs

__all__ = ["Summary", "SummaryRow", "count_macs", "summary"]

_FORWARD_BATCH = 2  # as torchsummary: a batch of 2 dummy samples; shapes show `batch_size` instead
_MB = 1024.0**2
_LINE = "-" * 64
_DOUBLE = "=" * 64

Shape = tuple[int, ...]


class SummaryRow(NamedTuple):
    """One call of one module during the traced forward pass."""

    layer: str
    """torchsummary's row name: class name and call number, e.g. ``"Conv2d-1"``."""
    module: str
    """Qualified name of the module in the model, e.g. ``"layer1.0.conv1"`` (``""`` for the model itself)."""
    output_shape: Shape | tuple[Shape, ...]
    """Output shape with dim 0 replaced by ``batch_size``; a tuple of shapes for several outputs."""
    num_params: int
    """Parameters owned directly by the module (``module.parameters(recurse=False)``)."""
    macs: int
    """Multiply-accumulates of this call, for one sample (see the module docstring)."""


@dataclass(frozen=True)
class Summary:
    """The result of `summary`: rows, totals and torchsummary's size estimates.

    ``str(summary)`` is torchsummary's table; the attributes give the same numbers
    for code. Sizes are in MiB (torchsummary's "MB"), for ``|batch_size|`` samples.
    """

    rows: tuple[SummaryRow, ...]
    """One row per leaf-module call, in call order."""
    input_size: tuple[Shape, ...]
    """The per-sample input shapes (one per model input)."""
    batch_size: int
    """The batch size shown in the shapes (``-1``: unspecified)."""
    total_params: int
    """Number of elements of ``model.parameters()``, each parameter counted once."""
    trainable_params: int
    """The part of `total_params` with ``requires_grad=True``."""
    total_macs: int
    """Multiply-accumulates of one forward pass for one sample (sum of the rows)."""
    input_size_mb: float
    """Size of the input batch."""
    forward_backward_size_mb: float
    """Twice (values and gradients) the size of all row outputs, as torchsummary estimates."""
    params_size_mb: float
    """Size of the parameters."""

    @property
    def non_trainable_params(self) -> int:
        """``total_params - trainable_params``."""
        return self.total_params - self.trainable_params

    @property
    def total_size_mb(self) -> float:
        """torchsummary's "Estimated Total Size": input + forward/backward + parameters."""
        return self.input_size_mb + self.forward_backward_size_mb + self.params_size_mb

    def __str__(self) -> str:
        lines = [_LINE, "{:>20}  {:>25} {:>15}".format("Layer (type)", "Output Shape", "Param #"), _DOUBLE]
        lines += ["{:>20}  {:>25} {:>15}".format(row.layer, _format_shape(row.output_shape), f"{row.num_params:,}")
                  for row in self.rows]
        lines += [
            _DOUBLE,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.non_trainable_params:,}",
            _LINE,
            f"Input size (MB): {self.input_size_mb:0.2f}",
            f"Forward/backward pass size (MB): {self.forward_backward_size_mb:0.2f}",
            f"Params size (MB): {self.params_size_mb:0.2f}",
            f"Estimated Total Size (MB): {self.total_size_mb:0.2f}",
            _LINE,
        ]
        return "\n".join(lines)


def _shape_list(shape: Shape | tuple[Shape, ...]) -> list[Shape]:
    """The shapes of a row: one, or several for a module with several outputs."""
    if shape and isinstance(shape[0], tuple):
        return list(shape)
    return [shape]  # type: ignore[list-item]


def _format_shape(shape: Shape | tuple[Shape, ...]) -> str:
    """torchsummary prints shapes as Python lists: ``[-1, 64, 56, 56]``, or a list of lists."""
    if shape and isinstance(shape[0], tuple):
        return str([list(s) for s in shape])
    return str(list(shape))


# --------------------------------------------------------------------------- validation

_SHAPES = "expected the shape of one sample, without the batch dim, e.g. (3, 224, 224), or a list of such shapes"


def _normalize_input_size(fn: str, input_size: object) -> tuple[Shape, ...]:
    """(3, 224, 224) -> ((3, 224, 224),); [(1, 16), (3,)] -> ((1, 16), (3,)): one shape per model input."""
    if isinstance(input_size, (str, bytes)) or not isinstance(input_size, Sequence):
        fail_type(fn, "input_size", input_size, _SHAPES)
    if len(input_size) == 0:
        fail(fn, "input_size", "is empty", "()", _SHAPES)
    several = any(isinstance(d, Sequence) for d in input_size)  # [(3, 32, 32), (10,)]: one shape per input
    shapes = list(input_size) if several else [input_size]
    out = []
    for shape in shapes:
        if (isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence)
                or any(isinstance(d, bool) or not isinstance(d, int) for d in shape)):
            raise TypeError(message(fn, "input_size", "has an entry of the wrong type", repr(input_size), _SHAPES))
        if len(shape) == 0:
            fail(fn, "input_size", "holds an empty shape", repr(input_size), _SHAPES)
        if min(shape) < 1:
            fail(fn, "input_size", "is out of range", repr(input_size), "expected sizes >= 1, without the batch dim")
        out.append(tuple(shape))
    return tuple(out)


def _check_model(fn: str, model: object) -> nn.Module:
    if not isinstance(model, nn.Module):
        fail_type(fn, "model", model, "expected a torch.nn.Module")
    return model


def _check_dtypes(fn: str, dtypes: object, n: int) -> list[torch.dtype] | None:
    """None, or one torch.dtype per model input."""
    if dtypes is None:
        return None
    allowed = f"expected a list of {n} torch.dtype, one per input, or None"
    if isinstance(dtypes, torch.dtype) or not isinstance(dtypes, Sequence):
        fail_type(fn, "dtypes", dtypes, allowed)
    if not all(isinstance(d, torch.dtype) for d in dtypes):
        raise TypeError(message(fn, "dtypes", "has an entry of the wrong type", repr(dtypes), allowed))
    if len(dtypes) != n:
        fail(fn, "dtypes", "has the wrong length", repr(dtypes), allowed)
    return list(dtypes)


# --------------------------------------------------------------------------- tracing


def _module_macs(module: nn.Module, inputs: tuple[Any, ...], output: Any) -> int:
    """Multiply-accumulates of one call of `module` (whole batch); 0 for modules that are not conv/linear."""
    if isinstance(module, nn.Linear) and isinstance(output, Tensor):
        return output.numel() * module.in_features  # each output element: in_features products
    if isinstance(module, nn.modules.conv._ConvNd) and isinstance(output, Tensor) and output.numel():
        k, c_in, c_out, g = module.kernel_size, module.in_channels, module.out_channels, module.groups
        if module.transposed:  # costs what the convolution it transposes costs: C_out -> C_in, at the input's size
            x: Tensor = inputs[0]
            size: tuple[int, ...] = tuple(x.shape[-len(k):])
            return x.numel() // (c_in * math.prod(size)) * conv_macs(c_out, c_in, k, size, g)
        size = tuple(output.shape[-len(k):])
        return output.numel() // (c_out * math.prod(size)) * conv_macs(c_in, c_out, k, size, g)  # samples x MACs
    return 0


def _tensors(obj: Any) -> list[Tensor]:
    """The tensors in a module output, in order (tensors, or nested tuples/lists/dicts of them)."""
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in _tensors(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _tensors(o)]
    return []


def _shown_shape(t: Tensor, batch_size: int) -> Shape:
    shape = tuple(t.shape)
    return (batch_size, *shape[1:]) if shape else shape


def _model_device_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    """The device of the first parameter or buffer (CPU if none) and its floating dtype."""
    device, dtype = torch.device("cpu"), torch.get_default_dtype()
    tensors = [*model.parameters(), *model.buffers()]
    if tensors:
        device = tensors[0].device
    floats = [t for t in tensors if t.is_floating_point()]
    if floats:
        dtype = floats[0].dtype
    return device, dtype


def _dummy_inputs(shapes: tuple[Shape, ...], dtypes: Sequence[torch.dtype], device: torch.device) -> list[Tensor]:
    """Uniform [0, 1) floats (zeros for integer dtypes) from a private generator: the global RNG is untouched."""
    gen = torch.Generator().manual_seed(0)
    xs = []
    for shape, dtype in zip(shapes, dtypes, strict=True):
        size = (_FORWARD_BATCH, *shape)
        if device.type == "meta":
            xs.append(torch.empty(size, dtype=dtype, device=device))
        elif dtype.is_floating_point:
            xs.append(torch.rand(size, generator=gen, dtype=torch.float64).to(device=device, dtype=dtype))
        else:
            xs.append(torch.zeros(size, dtype=dtype, device=device))
    return xs


def _trace(
    fn: str, model: nn.Module, shapes: tuple[Shape, ...], batch_size: int, device: torch.device | str | None,
    dtypes: object,
) -> tuple[list[SummaryRow], list[Tensor]]:
    """One forward pass in eval mode under no_grad, with hooks on the leaf modules. Returns rows and inputs."""
    model_device, model_dtype = _model_device_dtype(model)
    dev = model_device if device is None else torch.device(device)
    dts = _check_dtypes(fn, dtypes, len(shapes)) or [model_dtype] * len(shapes)

    names = {m: name for name, m in model.named_modules()}
    rows: list[SummaryRow] = []

    def hook(module: nn.Module, inputs: tuple[Any, ...], output: Any) -> None:
        outs = _tensors(output)
        shape: Shape | tuple[Shape, ...]
        shape = _shown_shape(outs[0], batch_size) if len(outs) == 1 else tuple(_shown_shape(t, batch_size)
                                                                                for t in outs)
        rows.append(
            SummaryRow(
                layer=f"{type(module).__name__}-{len(rows) + 1}",
                module=names.get(module, "?"),
                output_shape=shape,
                num_params=sum(p.numel() for p in module.parameters(recurse=False)),
                macs=_module_macs(module, inputs, output) // _FORWARD_BATCH,  # every count is linear in N
            )
        )

    traced = [m for m in model.modules()  # the leaves, and any module that owns parameters directly
              if next(m.children(), None) is None or next(m.parameters(recurse=False), None) is not None]
    training = {m: m.training for m in model.modules()}
    xs = _dummy_inputs(shapes, dts, dev)
    handles = [m.register_forward_hook(hook) for m in traced]
    try:
        model.eval()
        with torch.no_grad():
            model(*xs)
    finally:
        for h in handles:
            h.remove()
        for m, flag in training.items():
            m.training = flag
    return rows, xs


def summary(
    model: nn.Module,
    input_size: Sequence[int] | Sequence[Sequence[int]],
    batch_size: int = -1,
    device: torch.device | str | None = None,
    dtypes: Sequence[torch.dtype] | None = None,
) -> Summary:
    r"""Trace one forward pass of `model` and tabulate its layers, parameters and sizes, as torchsummary.

    Each call of a leaf module gives a `SummaryRow`:

    - ``layer``: class name and call number (``"Linear-1"``);
    - ``output_shape``: the output shape with dim 0 shown as ``batch_size``;
    - ``num_params``: the module's own parameters, e.g. $C_{out} C_{in} k_h k_w + C_{out}$
      for a `torch.nn.Conv2d`, $d_{out} d_{in} + d_{out}$ for a `torch.nn.Linear`;
    - ``macs``: its multiply-accumulates for one sample (see the module docstring).

    Args:
        model: the network. Its training flags, BN statistics and the global random
            state are left unchanged.
        input_size: the shape of one sample, without the batch dim, e.g. ``(3, 224, 224)``;
            a list of shapes for a model with several inputs.
        batch_size: the batch size shown in shapes and used for the input and
            activation sizes; ``-1`` means one sample, shown as ``-1``. Defaults to -1.
        device: where to run the dummy batch. Defaults to None, the model's device.
        dtypes: one dtype per input. Defaults to None, the model's floating dtype.

    Returns:
        A `Summary`; ``print`` it for torchsummary's table.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module`` or an argument has the wrong type.
        ValueError: if a size is < 1, ``batch_size`` is neither -1 nor >= 1, or ``dtypes``
            does not match the inputs.

    torchsummary counterpart: ``torchsummary.summary(model, input_size, batch_size=-1,
    device="cuda", dtypes=None)``, which prints the table and returns only
    ``(total_params, trainable_params)``; the differences are listed in the module docstring.

    References:
        - [torchsummary](https://github.com/sksq96/pytorch-summary)

    Examples:
        The model of the course notes (§4.3): three linear layers, 12 + 8 + 6 = 26 parameters.

        >>> class Net(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.layer1 = nn.Linear(3, 3)
        ...         self.layer2 = nn.Linear(3, 2)
        ...         self.out = nn.Linear(2, 2)
        ...     def forward(self, x):
        ...         x = torch.sigmoid(self.layer1(x))
        ...         x = torch.relu(self.layer2(x))
        ...         return torch.softmax(self.out(x), dim=-1)
        >>> s = summary(Net(), input_size=(3,), batch_size=8)
        >>> s.total_params, s.trainable_params, s.total_macs
        (26, 26, 19)
        >>> print(s)
        ----------------------------------------------------------------
                Layer (type)               Output Shape         Param #
        ================================================================
                    Linear-1                     [8, 3]              12
                    Linear-2                     [8, 2]               8
                    Linear-3                     [8, 2]               6
        ================================================================
        Total params: 26
        Trainable params: 26
        Non-trainable params: 0
        ----------------------------------------------------------------
        Input size (MB): 0.00
        Forward/backward pass size (MB): 0.00
        Params size (MB): 0.00
        Estimated Total Size (MB): 0.00
        ----------------------------------------------------------------
    """
    fn = "summary"
    _check_model(fn, model)
    shapes = _normalize_input_size(fn, input_size)
    if check_int(fn, "batch_size", batch_size) != -1 and batch_size < 1:
        fail(fn, "batch_size", "is out of range", batch_size, "expected -1 (one sample, shown as -1) or an int >= 1")
    rows, xs = _trace(fn, model, shapes, batch_size, device, dtypes)

    n = abs(batch_size)  # -1: sizes for one sample, as torchsummary
    params = list(model.parameters())
    elem = xs[0].element_size()  # 4 for float32, torchsummary's fixed assumption
    # shown shapes carry batch_size in dim 0, so |prod| is the element count for n samples
    output_elems = sum(abs(math.prod(s)) for row in rows for s in _shape_list(row.output_shape))
    return Summary(
        rows=tuple(rows),
        input_size=shapes,
        batch_size=batch_size,
        total_params=sum(p.numel() for p in params),
        trainable_params=sum(p.numel() for p in params if p.requires_grad),
        total_macs=sum(r.macs for r in rows),
        input_size_mb=sum(math.prod(s) * n * x.element_size() for s, x in zip(shapes, xs, strict=True)) / _MB,
        forward_backward_size_mb=2.0 * output_elems * elem / _MB,  # x2: values and gradients
        params_size_mb=sum(p.numel() * p.element_size() for p in params) / _MB,
    )


def count_macs(
    model: nn.Module,
    input_size: Sequence[int] | Sequence[Sequence[int]],
    device: torch.device | str | None = None,
    dtypes: Sequence[torch.dtype] | None = None,
) -> int:
    r"""Multiply-accumulates of one forward pass of `model` for one sample.

    Sums, over every call of a `torch.nn.Linear`, ``Conv*d`` or ``ConvTranspose*d``
    module, the counts of the module docstring; for a 2-D convolution

    $$
    \text{MACs} = H_{out} W_{out} \cdot C_{out} \cdot \frac{C_{in}}{\text{groups}} \cdot k_h k_w .
    $$

    BN, activations, pooling, additions and functional calls count 0, as in the
    "FLOPs" figures of torchvision's model tables (one MAC = 2 FLOPs in
    `torch.utils.flop_counter.FlopCounterMode`).

    Args:
        model: the network (run once in eval mode under `torch.no_grad`; its state is restored).
        input_size: the shape of one sample, without the batch dim; a list of shapes for several inputs.
        device: where to run the dummy batch. Defaults to None, the model's device
            (a model built under ``torch.device("meta")`` is counted without memory).
        dtypes: one dtype per input. Defaults to None, the model's floating dtype.

    Returns:
        The number of multiply-accumulates, an int.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module`` or ``input_size`` is malformed.
        ValueError: if a size is < 1 or ``dtypes`` does not match the inputs.

    Examples:
        A 3×3 convolution 3 → 8 on 32×32 (padding 1) then a linear layer 8·32·32 → 10:
        $32 \cdot 32 \cdot 8 \cdot 3 \cdot 9 + 8192 \cdot 10 = 221184 + 81920$.

        >>> net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.Flatten(), nn.Linear(8 * 32 * 32, 10))
        >>> count_macs(net, (3, 32, 32))
        303104
    """
    fn = "count_macs"
    _check_model(fn, model)
    shapes = _normalize_input_size(fn, input_size)
    rows, _ = _trace(fn, model, shapes, -1, device, dtypes)
    return sum(r.macs for r in rows)
