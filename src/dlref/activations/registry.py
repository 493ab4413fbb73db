r"""The `ACTIVATIONS` registry: one `Activation` record per function, which the docs page and the tests iterate."""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import torch
import torch.nn.functional as F
from torch import Tensor

from dlref.activations.exponential import SELU_ALPHA, SELU_SCALE, elu, elu_derivative, selu, selu_derivative
from dlref.activations.hard import hardsigmoid, hardsigmoid_derivative, hardswish, hardswish_derivative
from dlref.activations.identity_step import identity, identity_derivative, step, step_derivative
from dlref.activations.relu_family import (
    leaky_relu,
    leaky_relu_derivative,
    prelu,
    prelu_derivative,
    relu,
    relu6,
    relu6_derivative,
    relu_derivative,
    rrelu,
    rrelu_derivative,
)
from dlref.activations.sigmoid_tanh import sigmoid, sigmoid_derivative, tanh, tanh_derivative
from dlref.activations.smooth import (
    gelu,
    gelu_derivative,
    silu,
    silu_derivative,
    softplus,
    softplus_derivative,
    swish,
    swish_derivative,
)
from dlref.activations.softmax_family import log_softmax, log_softmax_jacobian, softmax, softmax_jacobian

__all__ = ["ACTIVATIONS", "Activation"]


# --------------------------------------------------------------------------- registry


def _formula_of(fn: Callable[..., object]) -> str:
    r"""The LaTeX of the first `$$ ... $$` block in `fn`'s docstring, on one line.

    Each formula is written once, in the docstring of the function that computes it;
    the registry (and through it the docs page) takes it from there.

    Examples:
        >>> from dlref.activations import sigmoid
        >>> _formula_of(sigmoid)
        '\\sigma(x) = \\frac{1}{1 + e^{-x}}'
    """
    match = re.search(r"\$\$(.+?)\$\$", inspect.getdoc(fn) or "", re.DOTALL)
    if match is None:
        raise ValueError(f"_formula_of: fn has no $$ ... $$ block in its docstring (got {fn.__name__}); "
                         "expected a documented dlref function")
    return " ".join(match.group(1).split())


@dataclass(frozen=True, kw_only=True)
class Activation:
    """One registry entry: an activation, its derivative, its torch reference and its facts.

    The docs page and the tests iterate [ACTIVATIONS][dlref.activations.ACTIVATIONS];
    every callable takes `(x, **params)`.

    Attributes:
        name: Registry key, also the dlref function name.
        forward: `forward(x, **params)`.
        derivative: Elementwise $f'(x)$. Defaults to `None`, as for softmax and log_softmax.
        jacobian: `jacobian(x, dim=...)`. Defaults to `None`; set only for softmax and log_softmax.
        reference: The torch callable the forward must match, same call signature.
        output_range: Closed-form range for the default params; `math.inf` for unbounded ends.
        params: Default params, stored read-only. Defaults to none.
        formula: LaTeX of $f(x)$, taken from the docstring of the dlref function.
        derivative_formula: LaTeX of $f'(x)$ (for softmax: of the Jacobian), taken from its docstring.
        title: Display name, for example "Leaky ReLU".
        reference_name: Dotted name of the torch reference, for display.
    """

    name: str
    forward: Callable[..., Tensor]
    derivative: Callable[..., Tensor] | None = None
    jacobian: Callable[..., Tensor] | None = None
    reference: Callable[..., Tensor]
    output_range: tuple[float, float]
    params: Mapping[str, object] = field(default_factory=dict)
    formula: str
    derivative_formula: str
    title: str
    reference_name: str

    def __post_init__(self) -> None:
        # read-only, so that no caller changes the defaults of every later caller
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


def _prelu_weight(weight: float | Tensor, like: Tensor) -> Tensor:
    """The registry stores PReLU's slope as a float (0.25, nn.PReLU's init) and builds a fresh tensor per call."""
    if isinstance(weight, Tensor):
        return weight
    return torch.full((1,), float(weight), dtype=like.dtype, device=like.device)


def _prelu_forward(x: Tensor, weight: float | Tensor = 0.25) -> Tensor:
    return prelu(x, _prelu_weight(weight, x))


def _prelu_derivative(x: Tensor, weight: float | Tensor = 0.25) -> Tensor:
    return prelu_derivative(x, _prelu_weight(weight, x))


def _prelu_reference(x: Tensor, weight: float | Tensor = 0.25) -> Tensor:
    return F.prelu(x, _prelu_weight(weight, x))


def _swish_reference(x: Tensor, beta: float = 1.0) -> Tensor:
    return x * torch.sigmoid(beta * x)


def _step_reference(x: Tensor, values: float | Tensor = 1.0) -> Tensor:
    return torch.heaviside(x, torch.as_tensor(values, dtype=x.dtype, device=x.device))


_INF = math.inf
# min of x·Φ(x), at x ≈ -0.7517915246935645 (Newton's method on Φ(x) + xφ(x) = 0; no closed form)
_GELU_MIN = -0.16997120747990369
# min of x·σ(x) = -W(1/e), W the Lambert W function, at x = -1 - W(1/e)
_SILU_MIN = -0.2784645427610738

_ENTRIES = (
    Activation(
        name="sigmoid", title="Sigmoid",
        forward=sigmoid, derivative=sigmoid_derivative,
        formula=_formula_of(sigmoid), derivative_formula=_formula_of(sigmoid_derivative),
        reference=torch.sigmoid, reference_name="torch.sigmoid",
        output_range=(0.0, 1.0),
    ),
    Activation(
        name="tanh", title="Tanh",
        forward=tanh, derivative=tanh_derivative,
        formula=_formula_of(tanh), derivative_formula=_formula_of(tanh_derivative),
        reference=torch.tanh, reference_name="torch.tanh",
        output_range=(-1.0, 1.0),
    ),
    Activation(
        name="relu", title="ReLU",
        forward=relu, derivative=relu_derivative,
        formula=_formula_of(relu), derivative_formula=_formula_of(relu_derivative),
        reference=F.relu, reference_name="torch.nn.functional.relu",
        output_range=(0.0, _INF),
    ),
    Activation(
        name="relu6", title="ReLU6",
        forward=relu6, derivative=relu6_derivative,
        formula=_formula_of(relu6), derivative_formula=_formula_of(relu6_derivative),
        reference=F.relu6, reference_name="torch.nn.functional.relu6",
        output_range=(0.0, 6.0),
    ),
    Activation(
        name="leaky_relu", title="Leaky ReLU",
        forward=leaky_relu, derivative=leaky_relu_derivative,
        formula=_formula_of(leaky_relu), derivative_formula=_formula_of(leaky_relu_derivative),
        reference=F.leaky_relu, reference_name="torch.nn.functional.leaky_relu",
        output_range=(-_INF, _INF), params={"negative_slope": 0.01},
    ),
    Activation(
        name="prelu", title="PReLU",
        forward=_prelu_forward, derivative=_prelu_derivative,
        formula=_formula_of(prelu), derivative_formula=_formula_of(prelu_derivative),
        reference=_prelu_reference, reference_name="torch.nn.functional.prelu",
        output_range=(-_INF, _INF), params={"weight": 0.25},
    ),
    Activation(
        name="rrelu", title="RReLU",
        forward=rrelu, derivative=rrelu_derivative,
        formula=_formula_of(rrelu), derivative_formula=_formula_of(rrelu_derivative),
        reference=F.rrelu, reference_name="torch.nn.functional.rrelu",
        output_range=(-_INF, _INF), params={"lower": 1.0 / 8, "upper": 1.0 / 3, "training": False},
    ),
    Activation(
        name="elu", title="ELU",
        forward=elu, derivative=elu_derivative,
        formula=_formula_of(elu), derivative_formula=_formula_of(elu_derivative),
        reference=F.elu, reference_name="torch.nn.functional.elu",
        output_range=(-1.0, _INF), params={"alpha": 1.0},
    ),
    Activation(
        name="selu", title="SELU",
        forward=selu, derivative=selu_derivative,
        formula=_formula_of(selu), derivative_formula=_formula_of(selu_derivative),
        reference=F.selu, reference_name="torch.nn.functional.selu",
        output_range=(-SELU_SCALE * SELU_ALPHA, _INF),
    ),
    Activation(
        name="gelu", title="GELU",
        forward=gelu, derivative=gelu_derivative,
        formula=_formula_of(gelu), derivative_formula=_formula_of(gelu_derivative),
        reference=F.gelu, reference_name="torch.nn.functional.gelu",
        output_range=(_GELU_MIN, _INF), params={"approximate": "none"},
    ),
    Activation(
        name="silu", title="SiLU",
        forward=silu, derivative=silu_derivative,
        formula=_formula_of(silu), derivative_formula=_formula_of(silu_derivative),
        reference=F.silu, reference_name="torch.nn.functional.silu",
        output_range=(_SILU_MIN, _INF),
    ),
    Activation(
        name="swish", title="Swish",
        forward=swish, derivative=swish_derivative,
        formula=_formula_of(swish), derivative_formula=_formula_of(swish_derivative),
        reference=_swish_reference, reference_name="x * torch.sigmoid(beta * x)",
        output_range=(_SILU_MIN, _INF), params={"beta": 1.0},
    ),
    Activation(
        name="softplus", title="Softplus",
        forward=softplus, derivative=softplus_derivative,
        formula=_formula_of(softplus), derivative_formula=_formula_of(softplus_derivative),
        reference=F.softplus, reference_name="torch.nn.functional.softplus",
        output_range=(0.0, _INF), params={"beta": 1.0, "threshold": 20.0},
    ),
    Activation(
        name="hardsigmoid", title="Hardsigmoid",
        forward=hardsigmoid, derivative=hardsigmoid_derivative,
        formula=_formula_of(hardsigmoid), derivative_formula=_formula_of(hardsigmoid_derivative),
        reference=F.hardsigmoid, reference_name="torch.nn.functional.hardsigmoid",
        output_range=(0.0, 1.0),
    ),
    Activation(
        name="hardswish", title="Hardswish",
        forward=hardswish, derivative=hardswish_derivative,
        formula=_formula_of(hardswish), derivative_formula=_formula_of(hardswish_derivative),
        reference=F.hardswish, reference_name="torch.nn.functional.hardswish",
        output_range=(-0.375, _INF),
    ),
    Activation(
        name="softmax", title="Softmax",
        forward=softmax, jacobian=softmax_jacobian,
        formula=_formula_of(softmax), derivative_formula=_formula_of(softmax_jacobian),
        reference=F.softmax, reference_name="torch.nn.functional.softmax",
        output_range=(0.0, 1.0), params={"dim": -1},
    ),
    Activation(
        name="log_softmax", title="LogSoftmax",
        forward=log_softmax, jacobian=log_softmax_jacobian,
        formula=_formula_of(log_softmax), derivative_formula=_formula_of(log_softmax_jacobian),
        reference=F.log_softmax, reference_name="torch.nn.functional.log_softmax",
        output_range=(-_INF, 0.0), params={"dim": -1},
    ),
    Activation(
        name="identity", title="Identity",
        forward=identity, derivative=identity_derivative,
        formula=_formula_of(identity), derivative_formula=_formula_of(identity_derivative),
        reference=torch.nn.Identity(), reference_name="torch.nn.Identity",
        output_range=(-_INF, _INF),
    ),
    Activation(
        name="step", title="Step (Heaviside)",
        forward=step, derivative=step_derivative,
        formula=_formula_of(step), derivative_formula=_formula_of(step_derivative),
        reference=_step_reference, reference_name="torch.heaviside",
        output_range=(0.0, 1.0), params={"values": 1.0},
    ),
)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in _ENTRIES}
"""Every activation by name, in the order the docs page presents them."""
