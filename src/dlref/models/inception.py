r"""The GoogLeNet Inception block (Inception v1), as in the paper: four parallel branches, concatenated.

Scope: `Inception`, its `BasicConv2d` unit, and `googlenet_cfgs`, the channel
configurations of GoogLeNet's nine blocks. The site's "Architectures" chapter
(`/architectures/`) uses them to show how 1×1 "reduction" convolutions cut the
parameters and multiply-accumulates of the 3×3 and 5×5 branches.

Sources: Szegedy et al., [Going Deeper with Convolutions](https://arxiv.org/abs/1409.4842),
CVPR 2015 (Fig. 2b, Table 1), and torchvision's ``googlenet.py``, whose argument
names (``ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj``) and module names
(``branch1`` … ``branch4``, ``conv``, ``bn``) are mirrored.

Deliberate differences from torchvision (each one is tested):

- The third branch uses a **5×5** convolution (padding 2), as the paper.
  torchvision's ``Inception`` uses 3×3 there: its weights were ported from a
  TensorFlow-slim checkpoint with that bug, and fixing it would break the
  checkpoint ([pytorch/vision#906](https://github.com/pytorch/vision/issues/906)).
- By default each convolution is followed by ReLU only and has a bias, as the paper
  (2014, before batch normalization). torchvision's ``BasicConv2d`` is always
  conv (no bias) → ``BatchNorm2d(eps=0.001)`` → ReLU; ``batch_norm=True`` gives
  exactly that unit, so the two differ then only in the 5×5 kernel.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import torch
from torch import Tensor, nn

from dlref._checks import check_int, message

__all__ = ["BasicConv2d", "Inception", "googlenet_cfgs"]

googlenet_cfgs: Mapping[str, tuple[int, int, int, int, int, int, int]] = MappingProxyType(
    {
        # Table 1 of the paper, as (in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj).
        "3a": (192, 64, 96, 128, 16, 32, 32),  # 28×28, out 256
        "3b": (256, 128, 128, 192, 32, 96, 64),  # 28×28, out 480
        "4a": (480, 192, 96, 208, 16, 48, 64),  # 14×14, out 512
        "4b": (512, 160, 112, 224, 24, 64, 64),  # 14×14, out 512
        "4c": (512, 128, 128, 256, 24, 64, 64),  # 14×14, out 512
        "4d": (512, 112, 144, 288, 32, 64, 64),  # 14×14, out 528
        "4e": (528, 256, 160, 320, 32, 128, 128),  # 14×14, out 832
        "5a": (832, 256, 160, 320, 32, 128, 128),  # 7×7, out 832
        "5b": (832, 384, 192, 384, 48, 128, 128),  # 7×7, out 1024
    }
)
"""GoogLeNet's nine Inception blocks (paper, Table 1): name → `Inception` arguments, read-only."""


class BasicConv2d(nn.Module):
    r"""Convolution → [BatchNorm2d] → ReLU, the unit every Inception branch is built from.

    $$
    y = \operatorname{ReLU}(W * x + b) \quad\text{or, with batch\_norm,}\quad
    y = \operatorname{ReLU}(\operatorname{BN}(W * x))
    $$

    Args:
        in_channels: input channels.
        out_channels: output channels.
        batch_norm: follow the convolution with ``BatchNorm2d(eps=0.001)`` and drop its
            bias, as torchvision's ``BasicConv2d``. Defaults to False (the paper).
        **kwargs: passed to `torch.nn.Conv2d` (``kernel_size`` is required; ``padding``, ``stride``, ...).

    Shape:
        - Input: $(N, C_{in}, H, W)$.
        - Output: $(N, C_{out}, H_{out}, W_{out})$, as `torch.nn.Conv2d`.

    torchvision counterpart: `torchvision.models.googlenet.BasicConv2d` (always with BN).

    Examples:
        >>> BasicConv2d(192, 64, kernel_size=1)
        BasicConv2d(
          (conv): Conv2d(192, 64, kernel_size=(1, 1), stride=(1, 1))
          (relu): ReLU(inplace=True)
        )
    """

    def __init__(self, in_channels: int, out_channels: int, batch_norm: bool = False, **kwargs: Any) -> None:
        super().__init__()
        check_int("BasicConv2d", "in_channels", in_channels, low=1)
        check_int("BasicConv2d", "out_channels", out_channels, low=1)
        if "kernel_size" not in kwargs:
            raise TypeError(message("BasicConv2d", "kernel_size", "is missing", "no kernel_size",
                                    "expected kernel_size=..., passed on to nn.Conv2d"))
        if "bias" in kwargs:
            raise TypeError(message("BasicConv2d", "bias", "is set by batch_norm", f"bias={kwargs['bias']!r}",
                                    "expected no bias argument: the convolution has a bias exactly when batch_norm "
                                    "is False"))
        self.conv = nn.Conv2d(in_channels, out_channels, bias=not batch_norm, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001) if batch_norm else None
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        y: Tensor = self.relu(x)
        return y


class Inception(nn.Module):
    r"""The Inception block "with dimension reductions" (Szegedy et al. 2015, Fig. 2b).

    Four branches see the same input; their outputs are concatenated on the channel axis:

    $$
    y = \bigl[\; f_{1\times1}(x) \;\big\|\; f_{3\times3}(r_3(x)) \;\big\|\;
        f_{5\times5}(r_5(x)) \;\big\|\; p(\operatorname{maxpool}_{3\times3}(x)) \;\bigr]
    $$

    | branch | layers | output channels |
    |--------|--------|-----------------|
    | ``branch1`` | 1×1 conv | ``ch1x1`` |
    | ``branch2`` | 1×1 conv to ``ch3x3red``, then 3×3 conv (padding 1) | ``ch3x3`` |
    | ``branch3`` | 1×1 conv to ``ch5x5red``, then 5×5 conv (padding 2) | ``ch5x5`` |
    | ``branch4`` | 3×3 max pool (stride 1, padding 1), then 1×1 conv | ``pool_proj`` |

    Every convolution is a `BasicConv2d` (conv + ReLU, or conv + BN + ReLU). All
    branches keep $H \times W$, so the output has
    ``ch1x1 + ch3x3 + ch5x5 + pool_proj`` channels (``out_channels``).

    The 1×1 reductions $r_3, r_5$ are what make the block affordable: a $k \times k$
    convolution from $C$ to $C'$ channels costs $k^2 C C'$ weights, and running it on
    ``ch3x3red`` $\ll C$ channels instead of $C$ divides that cost. For block 3a
    (192 input channels) the block has 163,696 parameters; with the 3×3 and 5×5
    convolutions applied to all 192 channels it would have 393,472.

    Args:
        in_channels: input channels $C_{in}$.
        ch1x1: output channels of the 1×1 branch.
        ch3x3red: channels of the 1×1 reduction before the 3×3 convolution.
        ch3x3: output channels of the 3×3 branch.
        ch5x5red: channels of the 1×1 reduction before the 5×5 convolution.
        ch5x5: output channels of the 5×5 branch.
        pool_proj: output channels of the 1×1 projection after the max pool.
        batch_norm: use conv + BN + ReLU units (torchvision's ``BasicConv2d``)
            instead of the paper's conv + ReLU. Defaults to False.

    Shape:
        - Input: $(N, C_{in}, H, W)$.
        - Output: $(N, \text{ch1x1} + \text{ch3x3} + \text{ch5x5} + \text{pool\_proj}, H, W)$.

    Raises:
        TypeError: if a channel count is not an int.
        ValueError: if a channel count is < 1.

    torchvision counterpart: `torchvision.models.googlenet.Inception`, which uses a
    3×3 kernel in ``branch3`` (see the module docstring) and always uses BN.

    References:
        - Szegedy et al., [Going Deeper with Convolutions](https://arxiv.org/abs/1409.4842), CVPR 2015.
        - [pytorch/vision#906](https://github.com/pytorch/vision/issues/906): the 3×3 kernel in torchvision's
          ``branch3``.

    Examples:
        >>> block = Inception(*googlenet_cfgs["3a"])  # Inception(192, 64, 96, 128, 16, 32, 32)
        >>> block(torch.zeros(1, 192, 28, 28)).shape
        torch.Size([1, 256, 28, 28])
        >>> block.branch3[1].conv.kernel_size
        (5, 5)
        >>> sum(p.numel() for p in block.parameters())
        163696
    """

    def __init__(
        self,
        in_channels: int,
        ch1x1: int,
        ch3x3red: int,
        ch3x3: int,
        ch5x5red: int,
        ch5x5: int,
        pool_proj: int,
        batch_norm: bool = False,
    ) -> None:
        super().__init__()
        channels = {"in_channels": in_channels, "ch1x1": ch1x1, "ch3x3red": ch3x3red, "ch3x3": ch3x3,
                    "ch5x5red": ch5x5red, "ch5x5": ch5x5, "pool_proj": pool_proj}
        for name, value in channels.items():
            check_int("Inception", name, value, low=1)
        bn = batch_norm
        self.branch1 = BasicConv2d(in_channels, ch1x1, bn, kernel_size=1)
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, bn, kernel_size=1),
            BasicConv2d(ch3x3red, ch3x3, bn, kernel_size=3, padding=1),
        )
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, bn, kernel_size=1),
            BasicConv2d(ch5x5red, ch5x5, bn, kernel_size=5, padding=2),  # the paper's 5×5; torchvision: 3×3
        )
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, bn, kernel_size=1),
        )
        self.out_channels = ch1x1 + ch3x3 + ch5x5 + pool_proj

    def forward(self, x: Tensor) -> Tensor:
        # each branch: (N, C_in, H, W) -> (N, C_branch, H, W)
        branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]
        return torch.cat(branches, 1)  # (N, ch1x1 + ch3x3 + ch5x5 + pool_proj, H, W)
