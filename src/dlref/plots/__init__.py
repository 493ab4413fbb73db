"""Build-time figures (inline SVG) and generated tables (Markdown) for the dlref site.

Every figure on the site is drawn here, from dlref's own functions, while MkDocs
builds the page: a page prints ``plots.<figure>()`` in a markdown-exec block with
``html="on"``. Each chapter's figures live in its own module (`basics_figures`, `activation_figures`,
`init_figures`, `backprop_figures`, `loss_figures`, `optimizer_figures`, `regularization_figures`,
`conv_figures`, `architecture_figures`, `worked_example_figures`); the numbers some of them draw come
from `dlref.experiments`.
Three rules keep the site honest and cheap to build:

* **Deterministic.** ``svg.hashsalt`` is fixed, the SVG carries no date
  (``metadata={"Date": None}``), every random generator is seeded, and element ids
  get a prefix derived from the figure's arguments. Two builds are byte-identical.
* **Memoized.** Each figure is drawn once per process. The figures of the
  activation chapter carry only mathematical labels, so the Chinese build reuses
  the English build's SVG; figures with words are drawn once per language.
* **Theme-aware.** The background is transparent and black ink is rewritten to
  ``currentColor``, so axes and labels follow Material's light and dark schemes.

The language of word labels comes from [`set_language`][dlref.plots.set_language],
which the site's MkDocs hook calls before each page, so a page's code is the same
in both languages. Chinese labels use Noto Sans CJK SC from the ``mplfonts``
package (a ``docs`` extra).

matplotlib is imported lazily, so ``import dlref`` stays fast.
"""

from __future__ import annotations

# The experiments that some figures draw live in dlref.experiments; they stay importable from here.
from dlref.experiments import measure as measure
from dlref.experiments import outlier_experiment as outlier_experiment
from dlref.experiments import residual_experiment as residual_experiment
from dlref.experiments import xor_network as xor_network
from dlref.plots._render import LANGUAGES, get_language, set_language, use_language
from dlref.plots.activation_figures import activation, activation_card, activation_table, gradient_bound, xor
from dlref.plots.architecture_figures import cnn_pipeline, quant_error, residual_gradients
from dlref.plots.backprop_figures import computational_graph, gradient_remedies, vanishing_gradients
from dlref.plots.basics_figures import network_diagram, perceptron_boundaries, perceptron_mistakes
from dlref.plots.conv_figures import conv_grid, receptive_field_growth, transposed_grid
from dlref.plots.init_figures import init_histograms, init_signal, init_symmetry
from dlref.plots.loss_figures import ctc_lattice, focal_loss_curves, giou_boxes, outlier_fit, regression_losses
from dlref.plots.optimizer_figures import (
    batch_noise,
    ema_bias_correction,
    learning_rate_tradeoff,
    lr_schedule_curves,
    optimizer_trajectories,
    saddle_point,
)
from dlref.plots.regularization_figures import (
    batchnorm_training,
    normalization_axes,
    overfitting_curves,
    penalty_paths,
    scaling_distributions,
)
from dlref.plots.worked_example_figures import (
    phone_confusion_matrix,
    phone_diagnosis_chart,
    phone_diagnosis_table,
    phone_training_curves,
)

__all__ = [
    "LANGUAGES",
    "activation",
    "activation_card",
    "activation_table",
    "batch_noise",
    "batchnorm_training",
    "cnn_pipeline",
    "computational_graph",
    "conv_grid",
    "ctc_lattice",
    "ema_bias_correction",
    "focal_loss_curves",
    "get_language",
    "giou_boxes",
    "gradient_bound",
    "gradient_remedies",
    "init_histograms",
    "init_signal",
    "init_symmetry",
    "learning_rate_tradeoff",
    "lr_schedule_curves",
    "network_diagram",
    "normalization_axes",
    "optimizer_trajectories",
    "outlier_fit",
    "overfitting_curves",
    "penalty_paths",
    "perceptron_boundaries",
    "perceptron_mistakes",
    "phone_confusion_matrix",
    "phone_diagnosis_chart",
    "phone_diagnosis_table",
    "phone_training_curves",
    "quant_error",
    "receptive_field_growth",
    "regression_losses",
    "residual_gradients",
    "saddle_point",
    "scaling_distributions",
    "set_language",
    "transposed_grid",
    "use_language",
    "vanishing_gradients",
    "xor",
]
