"""Convolution: size arithmetic and receptive fields, and the operations written from scratch.

Two modules, re-exported here (``dlref.conv.conv2d``):

- `dlref.conv.arithmetic`: output sizes of convolution, transposed convolution
  and pooling (every relationship of Dumoulin & Visin's guide), "same" padding,
  the direct convolution equivalent to a transposed one, receptive fields, and
  parameter and multiply-accumulate counts;
- `dlref.conv.ops`: ``conv2d`` (im2col + matmul), ``conv_transpose2d`` (matmul +
  col2im, tested against the zero-insertion recipe), max/average/adaptive pooling
  and bilinear interpolation, each matching its ``torch.nn.functional`` counterpart.

The site's "Convolution" chapter teaches them.
"""

from __future__ import annotations

from dlref.conv.arithmetic import (
    ReceptiveField,
    SamePadding,
    TransposedEquivalent,
    conv_input_sizes,
    conv_macs,
    conv_output_size,
    conv_params,
    conv_transpose_output_size,
    pool_output_size,
    receptive_field,
    same_padding,
    transposed_equivalent,
    valid_output_padding,
)
from dlref.conv.ops import (
    adaptive_avg_pool2d,
    avg_pool2d,
    conv2d,
    conv_transpose2d,
    interpolate_bilinear,
    max_pool2d,
)

__all__ = [
    "ReceptiveField",
    "SamePadding",
    "TransposedEquivalent",
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "conv2d",
    "conv_input_sizes",
    "conv_macs",
    "conv_output_size",
    "conv_params",
    "conv_transpose2d",
    "conv_transpose_output_size",
    "interpolate_bilinear",
    "max_pool2d",
    "pool_output_size",
    "receptive_field",
    "same_padding",
    "transposed_equivalent",
    "valid_output_padding",
]
