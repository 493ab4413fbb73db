r"""Activation functions, their analytic derivatives, and the `ACTIVATIONS` registry.

Scope: every activation the course uses, from the perceptron's step function to
GELU and softmax, written as small tensor formulas next to the analytic derivative
that backpropagation needs. The docs page `activations` (`/activations/`) teaches
them; the API reference renders these docstrings.

Sources: the course notes (perceptron step, sigmoid, tanh, ReLU family, softmax),
the papers linked from each function, and the PyTorch documentation of each
counterpart, whose names, argument names and defaults are mirrored here.

Layout: one module per family, all re-exported here (``dlref.activations.relu``):
`sigmoid_tanh`, `relu_family` (ReLU, ReLU6, Leaky ReLU, PReLU, RReLU), `exponential`
(ELU, SELU), `smooth` (GELU, Swish/SiLU, softplus), `hard` (hardsigmoid,
hardswish), `identity_step`, `softmax_family` (softmax, log-softmax and their Jacobians)
and `registry` (`Activation`, `ACTIVATIONS`).

How to read a function: each one checks its arguments, then computes its formula in
plain tensor code, with the equation in a comment right above the line that
computes it. Forward functions have two more lines before the formula:

    if needs_bridge(x):
        return bridge(sigmoid, x, derivative=sigmoid_derivative, fast=_sigmoid_fast)

When autograd records the call (or the input is float16/bfloat16), `bridge` calls the
function again with a float32 input inside a small `torch.autograd.Function` whose
backward is `grad_output * f'(x)`, computed by the function's own `*_derivative`.
That second call runs the formula, so the reader sees every line that computes a value.

Fast paths: for tensors of 65,536 elements or more, autograd's forward and backward
passes and the `*_derivative` functions use the function's fast path instead,
`_<name>_fast`, written after the plain functions of its module. It returns $f(x)$
and $f'(x)$ together, sharing their intermediates, and uses what the plain code
avoids: $e^x$ computed as $2^{x \log_2 e}$, 0/1 masks built from `sign`, in-place
updates. The tests check each fast path equal to the plain formulas on values and
gradients. Smaller tensors (such as every example in these docs) and forward calls
without autograd run the plain formulas; so does a derivative that autograd records
(`create_graph=True`). Functions whose plain code is fast enough have no fast path:
PReLU, RReLU in training, softmax, log-softmax, identity and step.

Conventions:

- Each function mirrors its torch counterpart: same name, first argument `input`,
  same parameter names and defaults. A function never calls its own counterpart.
- Each elementwise function `f` has `f_derivative(input, ...)` with the same
  parameters. At kinks it returns the value torch's autograd returns for the
  counterpart at exactly that point (measured, and tested). `softmax` and
  `log_softmax` have `*_jacobian` functions instead, and their backward pass is the
  vector-Jacobian product $g^\top J$, computed without forming $J$.
- Because the backward pass is the analytic derivative, `torch.autograd.gradcheck`
  tests the derivative; the derivatives are plain differentiable tensor code, so
  double backward (`create_graph=True`) works as well.
- Numerically stable forms, not shortcuts: `expm1` where $e^x - 1$ is small, the
  shift by the maximum in softmax (log-sum-exp), torch's threshold in softplus, and
  exponents clamped so that a branch `torch.where` discards cannot overflow. Every
  function is finite at $\pm 10^4$ wherever torch is.
- float16 and bfloat16 inputs are computed in float32 and rounded once, as torch's
  CPU kernels do.
- Arguments are checked at the boundary, with messages of the form
  ``softplus: beta is out of range (got -1.0); expected a finite number > 0``.

Deliberate differences from torch (each one is tested):

- Input must be a floating-point tensor; torch accepts integer tensors in `relu` and
  `relu6` and promotes them in `sigmoid` and `tanh`. dlref raises `TypeError`.
- No `inplace` argument: dlref never modifies its input. `softmax`/`log_softmax`
  take a required `dim` and no `dtype`.
- Parameters are range-checked: `softplus` needs `beta > 0` and a finite `threshold > 0`,
  `elu` needs `alpha >= 0`, `rrelu` needs `0 <= lower <= upper`, `swish` needs
  `beta > 0`. torch accepts more of these values without complaint.
- `rrelu` in training mode draws one slope per element (positives ignore theirs),
  so its random values differ from torch's for the same seed; the distribution
  is the same.
- `step` has derivative 0 and autograd returns zeros; `torch.heaviside` has no
  autograd formula and raises.
- Derivatives at NaN inputs are unspecified (values propagate NaN as torch does).
"""

from __future__ import annotations

from dlref.activations.exponential import elu, elu_derivative, selu, selu_derivative
from dlref.activations.hard import hardsigmoid, hardsigmoid_derivative, hardswish, hardswish_derivative
from dlref.activations.identity_step import identity, identity_derivative, step, step_derivative
from dlref.activations.registry import ACTIVATIONS, Activation
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

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "hardsigmoid",
    "hardsigmoid_derivative",
    "hardswish",
    "hardswish_derivative",
    "identity",
    "identity_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "log_softmax_jacobian",
    "prelu",
    "prelu_derivative",
    "relu",
    "relu6",
    "relu6_derivative",
    "relu_derivative",
    "rrelu",
    "rrelu_derivative",
    "selu",
    "selu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "silu",
    "silu_derivative",
    "softmax",
    "softmax_jacobian",
    "softplus",
    "softplus_derivative",
    "step",
    "step_derivative",
    "swish",
    "swish_derivative",
    "tanh",
    "tanh_derivative",
]
