r"""Backpropagation written out: a scalar autodiff engine, the notes' worked example, matrix backprop, checks, clipping.

Modules, re-exported here (``dlref.autograd.Value``):

- `dlref.autograd.value`: [Value][dlref.autograd.Value], a scalar reverse-mode engine
  whose every operation stores its local derivative next to its forward value, and
  [trace][dlref.autograd.trace], which lists the graph's nodes and edges for drawing.

The site's "Backpropagation" chapter teaches them. Inside dlref this package is always
reached as ``dlref.autograd``; torch's engine is always written ``torch.autograd``.
"""

from __future__ import annotations

from dlref.autograd.value import Value, trace

__all__ = [
    "Value",
    "trace",
]
