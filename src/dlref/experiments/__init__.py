"""The small experiments the site's pages run: a network, a measurement, two fits of gradients and lines.

Each experiment is deterministic (seeded, float64), computed with dlref's own
functions, and memoized where it is expensive; the pages print its numbers and the
figures in `dlref.plots` draw them.

- `dlref.experiments.xor`: [xor_network][dlref.experiments.xor_network], the two-unit
  ReLU network that solves XOR (activations chapter);
- `dlref.experiments.activation_measures`: [measure][dlref.experiments.measure] and
  [curves][dlref.experiments.curves], the measured facts of every registered activation
  (activations chapter: its cards and comparison table);
- `dlref.experiments.outlier`: [outlier_experiment][dlref.experiments.outlier_experiment],
  a line fitted under MSE, MAE and Huber loss to data with outliers (losses chapter);
- `dlref.experiments.residual`: [residual_experiment][dlref.experiments.residual_experiment],
  first-layer gradients of plain and residual stacks at initialisation (architectures chapter).
"""

from __future__ import annotations

from dlref.experiments.activation_measures import curves, measure
from dlref.experiments.outlier import outlier_experiment
from dlref.experiments.residual import residual_experiment
from dlref.experiments.xor import xor_network

__all__ = ["curves", "measure", "outlier_experiment", "residual_experiment", "xor_network"]
