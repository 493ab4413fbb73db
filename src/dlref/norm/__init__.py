"""Regularization and normalization, written from scratch with the names and semantics of `torch.nn.functional`.

One module per concept, every name re-exported here (``dlref.norm.batch_norm``):

- `dlref.norm.inverted_dropout`: [dropout][dlref.norm.dropout], [dropout2d][dlref.norm.dropout2d];
- `dlref.norm.batch_normalization`: [batch_norm][dlref.norm.batch_norm] and the modules
  [BatchNorm1d][dlref.norm.BatchNorm1d], [BatchNorm2d][dlref.norm.BatchNorm2d],
  [BatchNorm3d][dlref.norm.BatchNorm3d] (torch's state-dict keys);
- `dlref.norm.layer_normalization`: [layer_norm][dlref.norm.layer_norm], [rms_norm][dlref.norm.rms_norm];
- `dlref.norm.instance_normalization`: [instance_norm][dlref.norm.instance_norm];
- `dlref.norm.group_normalization`: [group_norm][dlref.norm.group_norm];
- `dlref.norm.scaling`: [MinMaxScaler][dlref.norm.MinMaxScaler], [StandardScaler][dlref.norm.StandardScaler]
  (fitted on training data only) and [normalize][dlref.norm.normalize];
- `dlref.norm.penalties`: [l1_penalty][dlref.norm.l1_penalty], [l2_penalty][dlref.norm.l2_penalty].

The normalization layers differ only in the values they average over, for an input
$(N, C, H, W)$: batch norm over $(N, H, W)$ for each channel, layer norm over
$(C, H, W)$ for each sample, instance norm over $(H, W)$ for each sample and channel,
group norm over $(C/G, H, W)$ for each sample and group of channels. Only batch norm
mixes the samples of a batch, and so only it behaves differently in training and
evaluation. Every function validates its arguments at the boundary and never calls its
torch counterpart; the tests compare the two in float64, values and gradients.
"""

from __future__ import annotations

from dlref.norm.batch_normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, batch_norm
from dlref.norm.group_normalization import group_norm
from dlref.norm.instance_normalization import instance_norm
from dlref.norm.inverted_dropout import dropout, dropout2d
from dlref.norm.layer_normalization import layer_norm, rms_norm
from dlref.norm.penalties import l1_penalty, l2_penalty
from dlref.norm.scaling import MinMaxScaler, StandardScaler, normalize

# In the order of the chapter: the API reference lists them in this order.
__all__ = [  # noqa: RUF022
    "dropout",
    "dropout2d",
    "batch_norm",
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "layer_norm",
    "rms_norm",
    "instance_norm",
    "group_norm",
    "MinMaxScaler",
    "StandardScaler",
    "normalize",
    "l1_penalty",
    "l2_penalty",
]
