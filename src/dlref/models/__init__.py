"""Reference CNN architectures with torchvision's names and layouts: ResNet, VGG, the Inception block.

- `dlref.models.resnet`: `BasicBlock`, `Bottleneck`, `ResNet`, ``resnet18`` … ``resnet152``
  (ResNet V1.5 stride placement; torchvision ``state_dict``s load with ``strict=True``);
- `dlref.models.vgg`: `VGG`, `make_layers`, ``vgg11`` … ``vgg19_bn``;
- `dlref.models.inception`: GoogLeNet's `Inception` block with the paper's 5×5
  branch, its `BasicConv2d` unit and the nine block configurations.

They are built from ``torch.nn`` layers: they are references for architecture
(shapes, parameter counts, multiply-accumulates), not re-implementations of the
layers. Count them with `dlref.summary.summary` and `dlref.summary.count_macs`;
the site's "Architectures" chapter teaches them.
"""

from __future__ import annotations

from dlref.models.inception import BasicConv2d, Inception, googlenet_cfgs
from dlref.models.resnet import (
    BasicBlock,
    Bottleneck,
    ResNet,
    resnet18,
    resnet34,
    resnet50,
    resnet101,
    resnet152,
)
from dlref.models.vgg import (
    VGG,
    make_layers,
    vgg11,
    vgg11_bn,
    vgg13,
    vgg13_bn,
    vgg16,
    vgg16_bn,
    vgg19,
    vgg19_bn,
)

__all__ = [
    "VGG",
    "BasicBlock",
    "BasicConv2d",
    "Bottleneck",
    "Inception",
    "ResNet",
    "googlenet_cfgs",
    "make_layers",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
]
