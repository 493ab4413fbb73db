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
  first-layer gradients of plain and residual stacks at initialization (architectures chapter);
- `dlref.experiments.init_signal`: [initializer_samples][dlref.experiments.initializer_samples],
  [signal_propagation][dlref.experiments.signal_propagation] and
  [init_signal_experiment][dlref.experiments.init_signal_experiment] (the signal through a deep
  MLP under four initializations), and [symmetry_experiment][dlref.experiments.symmetry_experiment]
  (initialization chapter);
- `dlref.experiments.perceptron`: [perceptron_gates][dlref.experiments.perceptron_gates],
  the perceptron trained on AND, OR, NAND and XOR, epoch by epoch (basics chapter);
- `dlref.experiments.optimizer_runs`: [optimizer_paths][dlref.experiments.optimizer_paths] (six
  optimizers on an ill-conditioned quadratic and on Rosenbrock, learning rates tuned by
  [tune_learning_rate][dlref.experiments.tune_learning_rate]), [saddle_paths][dlref.experiments.saddle_paths],
  [ema_temperatures][dlref.experiments.ema_temperatures], [lr_schedules][dlref.experiments.lr_schedules],
  [quadratic_descent][dlref.experiments.quadratic_descent] and [minibatch_paths][dlref.experiments.minibatch_paths]
  (optimizers chapter);
- `dlref.experiments.deep_gradients`: [gradient_flow][dlref.experiments.gradient_flow], each layer's
  weight-gradient norm in a deep MLP with or without normalization, residual connections and
  clipping, and the runs [vanishing_gradient_experiment][dlref.experiments.vanishing_gradient_experiment]
  and [gradient_remedies_experiment][dlref.experiments.gradient_remedies_experiment] (backprop chapter);
- `dlref.experiments.regularization`: [overfitting_experiment][dlref.experiments.overfitting_experiment]
  (a small MLP on 16 points, plain, with an L2 penalty and with dropout),
  [penalty_paths_experiment][dlref.experiments.penalty_paths_experiment] (L1 and L2 paths),
  [scaling_experiment][dlref.experiments.scaling_experiment] (min-max, z-score, L2) and
  [batchnorm_experiment][dlref.experiments.batchnorm_experiment] (a deep MLP with and without
  batch norm at five learning rates), all for the regularization chapter;
- `dlref.experiments.phone_prices`: [phone_price_run][dlref.experiments.phone_price_run] (the
  phone-price MLP trained in one configuration) and
  [phone_price_diagnosis][dlref.experiments.phone_price_diagnosis] (the notes' pipeline, the
  corrected one, and the corrected one with each of the notes' mistakes put back), for the
  worked example.
"""

from __future__ import annotations

from dlref.experiments.activation_measures import curves, measure
from dlref.experiments.deep_gradients import gradient_flow, gradient_remedies_experiment, vanishing_gradient_experiment
from dlref.experiments.init_signal import (
    SIGNAL_INITS,
    init_signal_experiment,
    initializer_samples,
    signal_propagation,
    symmetry_experiment,
)
from dlref.experiments.optimizer_runs import (
    LR_GRID,
    OPTIMIZER_NAMES,
    descent_function,
    ema_temperatures,
    lr_schedules,
    minibatch_paths,
    optimizer_paths,
    quadratic_descent,
    saddle_paths,
    tune_learning_rate,
)
from dlref.experiments.outlier import outlier_experiment
from dlref.experiments.perceptron import perceptron_gates
from dlref.experiments.phone_prices import (
    PHONE_MISTAKES,
    phone_price_diagnosis,
    phone_price_run,
)
from dlref.experiments.regularization import (
    batchnorm_experiment,
    overfitting_experiment,
    penalty_paths_experiment,
    scaling_experiment,
)
from dlref.experiments.residual import residual_experiment
from dlref.experiments.xor import xor_network

__all__ = [
    "LR_GRID",
    "OPTIMIZER_NAMES",
    "PHONE_MISTAKES",
    "SIGNAL_INITS",
    "batchnorm_experiment",
    "curves",
    "descent_function",
    "ema_temperatures",
    "gradient_flow",
    "gradient_remedies_experiment",
    "init_signal_experiment",
    "initializer_samples",
    "lr_schedules",
    "measure",
    "minibatch_paths",
    "optimizer_paths",
    "outlier_experiment",
    "overfitting_experiment",
    "penalty_paths_experiment",
    "perceptron_gates",
    "phone_price_diagnosis",
    "phone_price_run",
    "quadratic_descent",
    "residual_experiment",
    "saddle_paths",
    "scaling_experiment",
    "signal_propagation",
    "symmetry_experiment",
    "tune_learning_rate",
    "vanishing_gradient_experiment",
    "xor_network",
]
