r"""VGG-11/13/16/19, with and without batch normalization, laid out as torchvision's.

Scope: the `VGG` network (a ``features`` stack of 3×3 convolutions and 2×2 max
pools, a 7×7 adaptive average pool, a three-layer ``classifier``), `make_layers`
that builds ``features`` from a configuration list, and the eight builders. The
site's "Architectures" chapter (`/architectures/`) teaches them.

Sources: Simonyan & Zisserman, [Very Deep Convolutional Networks for Large-Scale
Image Recognition](https://arxiv.org/abs/1409.1556), ICLR 2015 (Table 1,
configurations A, B, D, E), and torchvision's ``vgg.py``, whose names, defaults,
initialization and module indices (``features.0``, ``classifier.0/3/6``) are
mirrored, so a torchvision ``state_dict`` loads here with ``strict=True``.

Differences from the paper, all inherited from torchvision:

- ``avgpool`` is ``nn.AdaptiveAvgPool2d((7, 7))``, so any input of at least 32×32
  works; at 224×224 the feature map is already 7×7 and the pool is the identity.
- The ``*_bn`` variants (BN after every convolution) are not in the paper.
- Initialisation: Kaiming-normal (``fan_out``, ReLU) convolutions with zero bias,
  $\mathcal N(0, 0.01^2)$ linear weights with zero bias; the paper initialized the
  deeper nets from a trained configuration A (and later used Glorot's scheme).
- Configurations A-LRN and C (with 1×1 convolutions) are not provided.

Deliberate differences from torchvision: the builders take keyword arguments
``num_classes``, ``init_weights`` and ``dropout`` explicitly (no ``weights``,
``progress`` or ``**kwargs``), and arguments are validated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import torch
from torch import Tensor, nn

from dlref._checks import check_int, check_real, fail, fail_type, message

__all__ = [
    "VGG",
    "cfgs",
    "make_layers",
    "vgg11",
    "vgg11_bn",
    "vgg13",
    "vgg13_bn",
    "vgg16",
    "vgg16_bn",
    "vgg19",
    "vgg19_bn",
]

cfgs: Mapping[str, tuple[int | str, ...]] = MappingProxyType(
    {
        # Table 1 of the paper: an int is a 3×3 convolution (padding 1) with that many
        # output channels followed by ReLU; "M" is a 2×2 max pool with stride 2.
        "A": (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),  # VGG-11
        "B": (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),  # VGG-13
        "D": (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),  # VGG-16
        "E": (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
              512, 512, 512, 512, "M"),  # VGG-19
    }
)
"""The paper's configurations A (VGG-11), B (VGG-13), D (VGG-16) and E (VGG-19), read-only."""


def make_layers(cfg: Sequence[int | str], batch_norm: bool = False) -> nn.Sequential:
    """Build a VGG ``features`` stack from a configuration list, starting from 3 input channels.

    Each int ``v`` appends ``Conv2d(c, v, 3, padding=1)`` [, ``BatchNorm2d(v)``], ``ReLU``;
    each ``"M"`` appends ``MaxPool2d(2, 2)``. The module indices therefore match
    torchvision's (``features.0`` is the first convolution; with BN the second
    convolution is ``features.3``, without it ``features.2`` or ``features.3`` after a pool).

    Args:
        cfg: a sequence of ints (output channels) and ``"M"`` (max pool), e.g. ``cfgs["D"]``.
        batch_norm: insert ``BatchNorm2d`` after every convolution. Defaults to False.

    Returns:
        The ``nn.Sequential`` stack.

    Raises:
        TypeError: if an entry is neither an int nor ``"M"``.
        ValueError: if a channel count is < 1.

    torchvision counterpart: `torchvision.models.vgg.make_layers`.

    Examples:
        >>> features = make_layers([8, "M", 16], batch_norm=True)
        >>> [type(m).__name__ for m in features]
        ['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d', 'Conv2d', 'BatchNorm2d', 'ReLU']
        >>> features[4]
        Conv2d(8, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    """
    fn = "make_layers"
    if isinstance(cfg, (str, bytes)) or not isinstance(cfg, Sequence):
        fail_type(fn, "cfg", cfg, "expected a sequence of ints (output channels) and 'M' (max pool)")
    layers: list[nn.Module] = []
    in_channels = 3
    for i, v in enumerate(cfg):
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(message(fn, f"cfg[{i}]", "is neither a channel count nor 'M'", repr(v),
                                    "expected an int (output channels) or 'M' (max pool)"))
        if v < 1:
            fail(fn, f"cfg[{i}]", "is out of range", v, "expected a channel count >= 1, or 'M' (max pool)")
        layers.append(nn.Conv2d(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        in_channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    r"""A VGG network: ``features`` → ``avgpool`` (7×7) → flatten → ``classifier``.

    ``classifier`` is, with its torchvision indices,

    | index | module |
    |-------|--------|
    | 0 | ``Linear(512·7·7, 4096)`` |
    | 1, 2 | ``ReLU``, ``Dropout(dropout)`` |
    | 3 | ``Linear(4096, 4096)`` |
    | 4, 5 | ``ReLU``, ``Dropout(dropout)`` |
    | 6 | ``Linear(4096, num_classes)`` |

    The first linear layer alone holds $25088 \cdot 4096 + 4096 = 102{,}764{,}544$
    parameters, three quarters of VGG-16's 138 million.

    Args:
        features: the convolutional stack, from `make_layers`; it must output 512 channels.
        num_classes: outputs of the last linear layer. Defaults to 1000.
        init_weights: apply torchvision's initialization (see the module docstring);
            ``False`` keeps PyTorch's layer defaults. Defaults to True.
        dropout: dropout probability of both ``Dropout`` layers (0.5 in the paper). Defaults to 0.5.

    Shape:
        - Input: $(N, 3, H, W)$ with $H, W \ge 32$ (224×224 on ImageNet).
        - Output: $(N, \text{num\_classes})$.

    Raises:
        TypeError: if ``features`` is not an ``nn.Module`` or an argument has the wrong type.
        ValueError: if ``num_classes`` < 1 or ``dropout`` is outside [0, 1].

    torchvision counterpart: `torchvision.models.VGG`.

    References:
        - Simonyan & Zisserman, [Very Deep Convolutional Networks for Large-Scale Image
          Recognition](https://arxiv.org/abs/1409.1556), ICLR 2015.
        - [torchvision VGG](https://docs.pytorch.org/vision/stable/models/vgg.html)

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> model = VGG(make_layers([8, "M", 512, "M"]), num_classes=10)
        >>> model(torch.randn(2, 3, 32, 32)).shape
        torch.Size([2, 10])
    """

    def __init__(
        self, features: nn.Module, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5
    ) -> None:
        super().__init__()
        if not isinstance(features, nn.Module):
            fail_type("VGG", "features", features, "expected an nn.Module, e.g. from make_layers")
        check_int("VGG", "num_classes", num_classes, low=1)
        check_real("VGG", "dropout", dropout, low=0.0, high=1.0)
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                    if m.bias is not None:
                        nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.BatchNorm2d):
                    nn.init.constant_(m.weight, 1)
                    nn.init.constant_(m.bias, 0)
                elif isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, 0, 0.01)
                    nn.init.constant_(m.bias, 0)

    def forward(self, x: Tensor) -> Tensor:
        x = self.features(x)  # (N, 512, H/32, W/32)
        x = self.avgpool(x)  # (N, 512, 7, 7)
        x = torch.flatten(x, 1)  # (N, 25088)
        logits: Tensor = self.classifier(x)  # (N, num_classes)
        return logits


def _vgg(cfg: str, batch_norm: bool, num_classes: int, init_weights: bool, dropout: float) -> VGG:
    features = make_layers(cfgs[cfg], batch_norm=batch_norm)
    return VGG(features, num_classes=num_classes, init_weights=init_weights, dropout=dropout)


def vgg11(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-11 (configuration A): 8 convolutions + 3 linear layers; 132,863,336 parameters.

    torchvision counterpart: `torchvision.models.vgg11` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):  # shapes only: no memory, no initialization cost
        ...     model = vgg11()
        >>> sum(p.numel() for p in model.parameters())
        132863336
    """
    return _vgg("A", False, num_classes, init_weights, dropout)


def vgg11_bn(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-11 with batch normalization: 132,868,840 parameters.

    torchvision counterpart: `torchvision.models.vgg11_bn` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg11_bn()
        >>> sum(p.numel() for p in model.parameters())
        132868840
    """
    return _vgg("A", True, num_classes, init_weights, dropout)


def vgg13(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-13 (configuration B): 10 convolutions + 3 linear layers; 133,047,848 parameters.

    torchvision counterpart: `torchvision.models.vgg13` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg13()
        >>> sum(p.numel() for p in model.parameters())
        133047848
    """
    return _vgg("B", False, num_classes, init_weights, dropout)


def vgg13_bn(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-13 with batch normalization: 133,053,736 parameters.

    torchvision counterpart: `torchvision.models.vgg13_bn` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg13_bn()
        >>> sum(p.numel() for p in model.parameters())
        133053736
    """
    return _vgg("B", True, num_classes, init_weights, dropout)


def vgg16(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-16 (configuration D): 13 convolutions + 3 linear layers; 138,357,544 parameters.

    torchvision counterpart: `torchvision.models.vgg16` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg16()
        >>> sum(p.numel() for p in model.parameters())
        138357544
        >>> model.classifier[0]
        Linear(in_features=25088, out_features=4096, bias=True)
    """
    return _vgg("D", False, num_classes, init_weights, dropout)


def vgg16_bn(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-16 with batch normalization: 138,365,992 parameters.

    torchvision counterpart: `torchvision.models.vgg16_bn` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg16_bn()
        >>> sum(p.numel() for p in model.parameters())
        138365992
    """
    return _vgg("D", True, num_classes, init_weights, dropout)


def vgg19(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-19 (configuration E): 16 convolutions + 3 linear layers; 143,667,240 parameters.

    torchvision counterpart: `torchvision.models.vgg19` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg19()
        >>> sum(p.numel() for p in model.parameters())
        143667240
    """
    return _vgg("E", False, num_classes, init_weights, dropout)


def vgg19_bn(*, num_classes: int = 1000, init_weights: bool = True, dropout: float = 0.5) -> VGG:
    """VGG-19 with batch normalization: 143,678,248 parameters.

    torchvision counterpart: `torchvision.models.vgg19_bn` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = vgg19_bn()
        >>> sum(p.numel() for p in model.parameters())
        143678248
    """
    return _vgg("E", True, num_classes, init_weights, dropout)
