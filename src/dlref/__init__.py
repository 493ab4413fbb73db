"""dlref: small, readable, torch-based reference implementations of deep-learning fundamentals.

Each function mirrors the name, signature and defaults of its torch counterpart and
is tested against it in float64. The bilingual site (English / 简体中文) teaches each
module and runs every example at build time.

The activation functions are re-exported here, so ``dlref.relu`` is
``dlref.activations.relu``. Submodules: `dlref.activations`, `dlref.autograd`, `dlref.losses`,
`dlref.boxes`, `dlref.conv`, `dlref.init`, `dlref.layers`, `dlref.optim`, `dlref.lr_scheduler`, `dlref.norm`,
`dlref.quant`, `dlref.models`, `dlref.summary`
(``dlref.summary.summary(model, input_size)``), `dlref.data`, `dlref.metrics` and `dlref.train` (the worked
example's data, metrics and training loop), `dlref.experiments` and `dlref.plots`.
"""

from __future__ import annotations

from dlref import (
    activations,
    autograd,
    boxes,
    conv,
    data,
    experiments,
    init,
    layers,
    losses,
    lr_scheduler,
    metrics,
    models,
    norm,
    optim,
    plots,
    quant,
    summary,
    train,
)
from dlref.activations import (
    ACTIVATIONS,
    Activation,
    elu,
    gelu,
    hardsigmoid,
    hardswish,
    identity,
    leaky_relu,
    log_softmax,
    prelu,
    relu,
    relu6,
    rrelu,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    step,
    swish,
    tanh,
)

__version__ = "0.1.0"
"""The version of dlref (read by the build backend from this line)."""

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "__version__",
    "activations",
    "autograd",
    "boxes",
    "conv",
    "data",
    "elu",
    "experiments",
    "gelu",
    "hardsigmoid",
    "hardswish",
    "identity",
    "init",
    "layers",
    "leaky_relu",
    "log_softmax",
    "losses",
    "lr_scheduler",
    "metrics",
    "models",
    "norm",
    "optim",
    "plots",
    "prelu",
    "quant",
    "relu",
    "relu6",
    "rrelu",
    "selu",
    "sigmoid",
    "silu",
    "softmax",
    "softplus",
    "step",
    "summary",
    "swish",
    "tanh",
    "train",
]
