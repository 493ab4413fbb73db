r"""Backpropagation written out: a scalar autodiff engine, the notes' worked example, matrix backprop, checks, clipping.

Modules, re-exported here (``dlref.autograd.Value``):

- `dlref.autograd.value`: [Value][dlref.autograd.Value], a scalar reverse-mode engine
  whose every operation stores its local derivative next to its forward value, and
  [trace][dlref.autograd.trace], which lists the graph's nodes and edges for drawing;
- `dlref.autograd.notes_example`: [worked_example][dlref.autograd.worked_example],
  every number of the notes' 2-2-2 sigmoid network's forward pass, backward pass and
  gradient step, on [NOTES_NETWORK][dlref.autograd.NOTES_NETWORK] or other values;
- `dlref.autograd.gradcheck`: [numerical_gradient][dlref.autograd.numerical_gradient]
  by central differences and [gradient_check][dlref.autograd.gradient_check], the
  relative error against an analytic gradient, with thresholds and the float64 rule;
- `dlref.autograd.clip`: [clip_grad_norm_][dlref.autograd.clip_grad_norm_] and
  [clip_grad_value_][dlref.autograd.clip_grad_value_], `torch.nn.utils`' gradient clipping;
- `dlref.autograd.mlp`: matrix backprop for a multilayer perceptron,
  [layer_forward][dlref.autograd.layer_forward] / [layer_backward][dlref.autograd.layer_backward]
  (dZ, dW, db, dA_prev as code) and [mlp_forward][dlref.autograd.mlp_forward] /
  [mlp_backward][dlref.autograd.mlp_backward], with any activation of `dlref.activations`.

The site's "Backpropagation" chapter teaches them. Inside dlref this package is always
reached as ``dlref.autograd``; torch's engine is always written ``torch.autograd``.
"""

from __future__ import annotations

from dlref.autograd.clip import clip_grad_norm_, clip_grad_value_
from dlref.autograd.gradcheck import gradient_check, numerical_gradient
from dlref.autograd.mlp import LayerCache, layer_backward, layer_forward, mlp_backward, mlp_forward
from dlref.autograd.notes_example import NOTES_NETWORK, worked_example
from dlref.autograd.value import Value, trace

__all__ = [  # noqa: RUF022 -- in the order the chapter teaches them; the API page follows it
    "Value",
    "trace",
    "worked_example",
    "NOTES_NETWORK",
    "layer_forward",
    "layer_backward",
    "LayerCache",
    "mlp_forward",
    "mlp_backward",
    "numerical_gradient",
    "gradient_check",
    "clip_grad_norm_",
    "clip_grad_value_",
]
