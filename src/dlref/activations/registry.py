r"""The `ACTIVATIONS` registry: one `Activation` record per function, which the docs page and the tests iterate."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import torch
import torch.nn.functional as F
from torch import Tensor

from dlref.activations._core import _SELU_ALPHA, _SELU_SCALE
from dlref.activations.exponential import elu, elu_derivative, selu, selu_derivative
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


@dataclass(frozen=True)
class Activation:
    """One registry entry: an activation, its derivative, its torch reference and its facts.

    The docs page and the tests iterate [ACTIVATIONS][dlref.activations.ACTIVATIONS];
    every callable takes `(x, **params)`.

    Attributes:
        name: Registry key, also the dlref function name.
        forward: `forward(x, **params)`.
        derivative: Elementwise $f'(x)$, `None` for softmax and log_softmax.
        jacobian: `jacobian(x, dim=...)`, only for softmax and log_softmax.
        reference: The torch callable the forward must match, same call signature.
        output_range: Closed-form range for the default params; `math.inf` for unbounded ends.
        params: Default params (read-only).
        formula: LaTeX of $f(x)$.
        derivative_formula: LaTeX of $f'(x)$ (for softmax: the Jacobian entry).
        title: Display name, for example "Leaky ReLU".
        reference_name: Dotted name of the torch reference, for display.
    """

    name: str
    forward: Callable[..., Tensor]
    derivative: Callable[..., Tensor] | None
    jacobian: Callable[..., Tensor] | None
    reference: Callable[..., Tensor]
    output_range: tuple[float, float]
    params: Mapping[str, object]
    formula: str
    derivative_formula: str
    title: str
    reference_name: str


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


def _params(**params: object) -> Mapping[str, object]:
    return MappingProxyType(params)


_INF = math.inf
# min of x·Φ(x), at x ≈ -0.7517915246935645 (Newton's method on Φ(x) + xφ(x) = 0; no closed form)
_GELU_MIN = -0.16997120747990369
# min of x·σ(x) = -W(1/e), W the Lambert W function, at x = -1 - W(1/e)
_SILU_MIN = -0.2784645427610738
_RELU_CASES = r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"
_LEAKY_CASES = r"\begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}"

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid", sigmoid, sigmoid_derivative, None, torch.sigmoid, (0.0, 1.0), _params(),
            r"\sigma(x) = \frac{1}{1 + e^{-x}}", r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
            "Sigmoid", "torch.sigmoid",
        ),
        Activation(
            "tanh", tanh, tanh_derivative, None, torch.tanh, (-1.0, 1.0), _params(),
            r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", r"\tanh'(x) = 1 - \tanh^2(x)",
            "Tanh", "torch.tanh",
        ),
        Activation(
            "relu", relu, relu_derivative, None, F.relu, (0.0, _INF), _params(),
            r"\mathrm{ReLU}(x) = \max(0, x)", r"\mathrm{ReLU}'(x) = " + _RELU_CASES,
            "ReLU", "torch.nn.functional.relu",
        ),
        Activation(
            "relu6", relu6, relu6_derivative, None, F.relu6, (0.0, 6.0), _params(),
            r"\mathrm{ReLU6}(x) = \min(\max(0, x), 6)",
            r"\mathrm{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}",
            "ReLU6", "torch.nn.functional.relu6",
        ),
        Activation(
            "leaky_relu", leaky_relu, leaky_relu_derivative, None, F.leaky_relu, (-_INF, _INF),
            _params(negative_slope=0.01),
            r"\mathrm{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
            r"\mathrm{LeakyReLU}'(x) = " + _LEAKY_CASES,
            "Leaky ReLU", "torch.nn.functional.leaky_relu",
        ),
        Activation(
            "prelu", _prelu_forward, _prelu_derivative, None, _prelu_reference, (-_INF, _INF),
            _params(weight=0.25),
            r"\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a_c x & x \le 0 \end{cases}",
            r"\mathrm{PReLU}'(x) = \begin{cases} 1 & x > 0 \\ a_c & x \le 0 \end{cases}",
            "PReLU", "torch.nn.functional.prelu",
        ),
        Activation(
            "rrelu", rrelu, rrelu_derivative, None, F.rrelu, (-_INF, _INF),
            _params(lower=1.0 / 8, upper=1.0 / 3, training=False),
            r"\mathrm{RReLU}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases},\ "
            r"a \sim \mathcal U(l, u) \text{ (training)},\ a = \tfrac{l + u}{2} \text{ (eval)}",
            r"\mathrm{RReLU}'(x) = " + _LEAKY_CASES,
            "RReLU", "torch.nn.functional.rrelu",
        ),
        Activation(
            "elu", elu, elu_derivative, None, F.elu, (-1.0, _INF), _params(alpha=1.0),
            r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
            r"\mathrm{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
            "ELU", "torch.nn.functional.elu",
        ),
        Activation(
            "selu", selu, selu_derivative, None, F.selu, (-_SELU_SCALE * _SELU_ALPHA, _INF), _params(),
            r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
            r"\mathrm{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
            "SELU", "torch.nn.functional.selu",
        ),
        Activation(
            "gelu", gelu, gelu_derivative, None, F.gelu, (_GELU_MIN, _INF), _params(approximate="none"),
            r"\mathrm{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right)",
            r"\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
            "GELU", "torch.nn.functional.gelu",
        ),
        Activation(
            "silu", silu, silu_derivative, None, F.silu, (_SILU_MIN, _INF), _params(),
            r"\mathrm{SiLU}(x) = x\,\sigma(x)", r"\mathrm{SiLU}'(x) = \sigma(x)\,(1 + x\,(1 - \sigma(x)))",
            "SiLU", "torch.nn.functional.silu",
        ),
        Activation(
            "swish", swish, swish_derivative, None, _swish_reference, (_SILU_MIN, _INF), _params(beta=1.0),
            r"\mathrm{swish}_\beta(x) = x\,\sigma(\beta x)",
            r"\mathrm{swish}_\beta'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,(1 - \sigma(\beta x))",
            "Swish", "x * torch.sigmoid(beta * x)",
        ),
        Activation(
            "softplus", softplus, softplus_derivative, None, F.softplus, (0.0, _INF),
            _params(beta=1.0, threshold=20.0),
            r"\mathrm{softplus}(x) = \frac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
            r"\mathrm{softplus}'(x) = \sigma(\beta x)",
            "Softplus", "torch.nn.functional.softplus",
        ),
        Activation(
            "hardsigmoid", hardsigmoid, hardsigmoid_derivative, None, F.hardsigmoid, (0.0, 1.0), _params(),
            r"\mathrm{hardsigmoid}(x) = \frac{\min(\max(0, x + 3), 6)}{6}",
            r"\mathrm{hardsigmoid}'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}",
            "Hardsigmoid", "torch.nn.functional.hardsigmoid",
        ),
        Activation(
            "hardswish", hardswish, hardswish_derivative, None, F.hardswish, (-0.375, _INF), _params(),
            r"\mathrm{hardswish}(x) = x\,\frac{\min(\max(0, x + 3), 6)}{6}",
            r"\mathrm{hardswish}'(x) = \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}",
            "Hardswish", "torch.nn.functional.hardswish",
        ),
        Activation(
            "softmax", softmax, None, softmax_jacobian, F.softmax, (0.0, 1.0), _params(dim=-1),
            r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
            r"\frac{\partial p_i}{\partial x_j} = p_i\,(\delta_{ij} - p_j)",
            "Softmax", "torch.nn.functional.softmax",
        ),
        Activation(
            "log_softmax", log_softmax, None, log_softmax_jacobian, F.log_softmax, (-_INF, 0.0), _params(dim=-1),
            r"\log\mathrm{softmax}(x)_i = x_i - \log\sum_j e^{x_j}",
            r"\frac{\partial \log p_i}{\partial x_j} = \delta_{ij} - p_j",
            "LogSoftmax", "torch.nn.functional.log_softmax",
        ),
        Activation(
            "identity", identity, identity_derivative, None, torch.nn.Identity(), (-_INF, _INF), _params(),
            r"f(x) = x", r"f'(x) = 1",
            "Identity", "torch.nn.Identity",
        ),
        Activation(
            "step", step, step_derivative, None, _step_reference, (0.0, 1.0), _params(values=1.0),
            r"H(x) = \begin{cases} 1 & x > 0 \\ v & x = 0 \\ 0 & x < 0 \end{cases}",
            r"H'(x) = 0 \quad (x \ne 0)",
            "Step (Heaviside)", "torch.heaviside",
        ),
    )
}
"""Every activation by name, in the order the docs page presents them."""
