r"""ResNet-18/34/50/101/152 with torchvision's module layout and parameter names.

Scope: the residual blocks (`BasicBlock`, `Bottleneck`), the `ResNet` trunk that
stacks them with `_make_layer`, and the five ImageNet builders. The site's
"Architectures" chapter (`/architectures/`) teaches them; this module is the code the
chapter runs when it counts parameters and multiply-accumulates.

Sources: He et al., [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385),
CVPR 2016 (Table 1 gives the stage layouts), and torchvision's ``resnet.py``, whose
class names, argument names, defaults, initialization and parameter names are
mirrored, so a torchvision ``state_dict`` loads here with ``strict=True``:

- stem: ``conv1`` (7×7, stride 2), ``bn1``, ``relu``, ``maxpool`` (3×3, stride 2);
- stages: ``layer1`` … ``layer4``, each an ``nn.Sequential`` of blocks ``0``, ``1``, …;
- a block: ``conv1``, ``bn1``, ``conv2``, ``bn2`` (and ``conv3``, ``bn3`` in a
  `Bottleneck`), plus ``downsample.0`` (1×1 conv) and ``downsample.1`` (BN) when the
  shortcut needs a projection;
- head: ``avgpool`` (adaptive, to 1×1) and ``fc``.

Deliberate differences from torchvision (each one is tested):

- "ResNet V1.5", as torchvision: the stride of a downsampling `Bottleneck` sits on
  its 3×3 convolution ``conv2``; the paper (and Caffe's original ResNet-50) puts it
  on the first 1×1 convolution ``conv1``. Parameter counts are identical; the
  V1.5 placement costs more multiply-accumulates (``conv1`` runs at full
  resolution) and is about 0.5 % more accurate (top-1) at about 5 % lower
  throughput, according to NVIDIA's
  [ResNet v1.5 for PyTorch](https://catalog.ngc.nvidia.com/orgs/nvidia/resources/resnet_50_v1_5_for_pytorch)
  notes, which torchvision's documentation cites.
- Only the arguments the plain ResNets need: no ``groups``, ``width_per_group``
  (ResNeXt, Wide ResNet), ``replace_stride_with_dilation`` or ``norm_layer``;
  the builders take no ``weights``/``progress`` (dlref downloads nothing).
- Arguments are validated: a wrong ``block``, ``layers`` or ``num_classes`` raises
  ``TypeError``/``ValueError`` naming the argument; torchvision fails later, or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from dlref._checks import check_bool, check_int, fail, fail_type, message

__all__ = [
    "BasicBlock",
    "Bottleneck",
    "ResNet",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnet101",
    "resnet152",
]


def conv3x3(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """3×3 convolution with padding 1 and no bias (the BN that follows has one)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """1×1 convolution without bias."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    r"""The two-layer residual block of ResNet-18 and ResNet-34.

    $$
    y = \operatorname{ReLU}\bigl(\operatorname{BN}_2(W_2 * \operatorname{ReLU}(\operatorname{BN}_1(W_1 *_s x)))
        + \mathcal{S}(x)\bigr)
    $$

    with $W_1, W_2$ 3×3 convolutions, $*_s$ a convolution with stride $s$, and the
    shortcut $\mathcal{S}$ the identity, or ``downsample`` (1×1 conv with stride $s$ + BN)
    when the shape changes. The block's output has ``planes * expansion`` channels.

    Args:
        inplanes: input channels $C_{in}$.
        planes: output channels of both 3×3 convolutions.
        stride: stride of the first 3×3 convolution. Defaults to 1.
        downsample: the projection shortcut, built by `ResNet._make_layer`; ``None``
            for the identity. Defaults to None.

    Shape:
        - Input: $(N, C_{in}, H, W)$.
        - Output: $(N, \text{planes}, \lceil H/s \rceil, \lceil W/s \rceil)$.

    torchvision counterpart: `torchvision.models.resnet.BasicBlock` (same attribute names).

    References:
        - He et al., [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385),
          CVPR 2016, Fig. 5 (left).

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> block = BasicBlock(64, 64)
        >>> block(torch.randn(1, 64, 8, 8)).shape
        torch.Size([1, 64, 8, 8])
        >>> sum(p.numel() for p in block.parameters())  # 2 * (64*64*9) + 2 * (64 + 64)
        73984
    """

    expansion: int = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x  # (N, C_in, H, W)
        out = self.relu(self.bn1(self.conv1(x)))  # (N, planes, H/s, W/s)
        out = self.bn2(self.conv2(out))  # (N, planes, H/s, W/s)
        if self.downsample is not None:
            identity = self.downsample(x)  # S(x): 1×1 conv stride s + BN
        out += identity  # F(x) + S(x)
        y: Tensor = self.relu(out)
        return y


class Bottleneck(nn.Module):
    r"""The three-layer bottleneck block of ResNet-50/101/152 (ResNet V1.5 stride placement).

    $$
    y = \operatorname{ReLU}\bigl(\operatorname{BN}_3(W_3 * \operatorname{ReLU}(\operatorname{BN}_2(W_2 *_s
        \operatorname{ReLU}(\operatorname{BN}_1(W_1 * x))))) + \mathcal{S}(x)\bigr)
    $$

    $W_1$ (1×1) reduces to ``planes`` channels, $W_2$ (3×3, stride $s$) works at that
    width, $W_3$ (1×1) expands to ``planes * expansion`` = ``4 * planes`` channels.

    The stride sits on the 3×3 convolution ``conv2`` ("ResNet V1.5", as torchvision).
    The paper puts it on the first 1×1 convolution ``conv1``, which then skips three
    quarters of its input positions; V1.5 is slightly more accurate (NVIDIA's
    ResNet v1.5 notes) at the same parameter count and more multiply-accumulates.

    Args:
        inplanes: input channels $C_{in}$.
        planes: bottleneck width; the block outputs ``planes * 4`` channels.
        stride: stride of the 3×3 convolution ``conv2``. Defaults to 1.
        downsample: the projection shortcut, built by `ResNet._make_layer`; ``None``
            for the identity. Defaults to None.

    Shape:
        - Input: $(N, C_{in}, H, W)$.
        - Output: $(N, 4 \cdot \text{planes}, \lceil H/s \rceil, \lceil W/s \rceil)$.

    torchvision counterpart: `torchvision.models.resnet.Bottleneck` (same attribute names).

    References:
        - He et al., [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385),
          CVPR 2016, Fig. 5 (right).
        - NVIDIA, [ResNet v1.5 for PyTorch](https://catalog.ngc.nvidia.com/orgs/nvidia/resources/resnet_50_v1_5_for_pytorch).

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> shortcut = nn.Sequential(conv1x1(256, 512, stride=2), nn.BatchNorm2d(512))
        >>> block = Bottleneck(256, 128, stride=2, downsample=shortcut)
        >>> block.conv1.stride, block.conv2.stride
        ((1, 1), (2, 2))
        >>> block(torch.randn(1, 256, 8, 8)).shape
        torch.Size([1, 512, 4, 4])
    """

    expansion: int = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: nn.Module | None = None) -> None:
        super().__init__()
        width = planes
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride)  # V1.5: the stride is here, not on conv1
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x  # (N, C_in, H, W)
        out = self.relu(self.bn1(self.conv1(x)))  # (N, planes, H, W)
        out = self.relu(self.bn2(self.conv2(out)))  # (N, planes, H/s, W/s)
        out = self.bn3(self.conv3(out))  # (N, 4*planes, H/s, W/s)
        if self.downsample is not None:
            identity = self.downsample(x)  # S(x): 1×1 conv stride s + BN
        out += identity  # F(x) + S(x)
        y: Tensor = self.relu(out)
        return y


def _check_block(fn: str, block: object) -> None:
    """Raise `TypeError` unless `block` is the class `BasicBlock` or `Bottleneck` (or a subclass)."""
    if not (isinstance(block, type) and issubclass(block, (BasicBlock, Bottleneck))):
        got = block.__name__ if isinstance(block, type) else f"a {type(block).__name__} instance"
        raise TypeError(message(fn, "block", "is not a residual block class", got,
                                "expected the class BasicBlock or Bottleneck, or a subclass"))


class ResNet(nn.Module):
    r"""A residual network: stem, four stages of residual blocks, global average pool, linear head.

    | stage | output size (224 input) | blocks (18 / 34 / 50 / 101 / 152) | planes |
    |-------|--------------|-----------------------------------|--------|
    | stem: ``conv1`` 7×7/2, ``maxpool`` 3×3/2 | 56×56 | — | 64 |
    | ``layer1`` | 56×56 | 2 / 3 / 3 / 3 / 3 | 64 |
    | ``layer2`` | 28×28 | 2 / 4 / 4 / 4 / 8 | 128 |
    | ``layer3`` | 14×14 | 2 / 6 / 6 / 23 / 36 | 256 |
    | ``layer4`` | 7×7 | 2 / 3 / 3 / 3 / 3 | 512 |
    | ``avgpool``, ``fc`` | 1×1 | — | ``num_classes`` |

    Stages 2-4 halve the resolution in their first block. `_make_layer` gives that
    block a projection shortcut ``downsample`` (1×1 conv with the stage's stride, then
    BN) whenever the stride is not 1 or the channel count changes (option B of the
    paper); every other shortcut is the identity.

    Initialisation, as torchvision: convolutions Kaiming-normal with
    ``mode="fan_out", nonlinearity="relu"``; BN weight 1 and bias 0; ``fc`` keeps
    `torch.nn.Linear`'s default. With ``zero_init_residual=True`` the last BN of each
    block (``bn2`` in a `BasicBlock`, ``bn3`` in a `Bottleneck`) starts with weight
    $\gamma = 0$, so every residual branch outputs 0 and each block starts as the
    identity. Goyal et al. (2017) introduced it for large-minibatch training;
    torchvision's comment credits it with a 0.2-0.3 % accuracy gain, citing them.

    Args:
        block: `BasicBlock` or `Bottleneck` (or a subclass with an ``expansion`` attribute).
        layers: number of blocks in each of the four stages, e.g. ``[2, 2, 2, 2]``.
        num_classes: outputs of ``fc``. Defaults to 1000.
        zero_init_residual: zero the last BN weight of every block. Defaults to False.

    Shape:
        - Input: $(N, 3, H, W)$; 224×224 on ImageNet. ``avgpool`` is adaptive, so smaller
          inputs such as 64×64 work too (the last stage is then $\lceil H/32 \rceil$ wide).
        - Output: $(N, \text{num\_classes})$.

    Raises:
        TypeError: if ``block`` is not a `BasicBlock`/`Bottleneck` class, or an argument has the wrong type.
        ValueError: if ``layers`` does not hold four ints >= 1, or ``num_classes`` < 1.

    torchvision counterpart: `torchvision.models.ResNet` (no ``groups``,
    ``width_per_group``, ``replace_stride_with_dilation``, ``norm_layer``).

    References:
        - He et al., [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385), CVPR 2016.
        - Goyal et al., [Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour](https://arxiv.org/abs/1706.02677),
          2017 (zero-γ initialization of the last BN of each block).
        - [torchvision ResNet](https://docs.pytorch.org/vision/stable/models/resnet.html)

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> model = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10)
        >>> model(torch.randn(2, 3, 64, 64)).shape
        torch.Size([2, 10])
        >>> model.layer2[0].downsample[0]  # the projection shortcut built by _make_layer
        Conv2d(64, 128, kernel_size=(1, 1), stride=(2, 2), bias=False)
        >>> model.layer1[0].downsample is None  # 64 -> 64 channels, stride 1: identity
        True
    """

    def __init__(
        self,
        block: type[BasicBlock] | type[Bottleneck],
        layers: Sequence[int],
        num_classes: int = 1000,
        zero_init_residual: bool = False,
    ) -> None:
        super().__init__()
        fn = "ResNet"
        _check_block(fn, block)
        stages = "expected 4 block counts, one per stage, e.g. [2, 2, 2, 2]"
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            fail_type(fn, "layers", layers, stages)
        if len(layers) != 4:
            fail(fn, "layers", "has the wrong length", list(layers), stages)
        for i, n in enumerate(layers):
            check_int(fn, f"layers[{i}]", n, low=1)
        check_int(fn, "num_classes", num_classes, low=1)
        check_bool(fn, "zero_init_residual", zero_init_residual)

        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

        if zero_init_residual:
            # Goyal et al. 2017: gamma = 0 in the last BN of each residual branch, so each block starts as the identity.
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    nn.init.constant_(m.bn3.weight, 0)
                elif isinstance(m, BasicBlock):
                    nn.init.constant_(m.bn2.weight, 0)

    def _make_layer(
        self, block: type[BasicBlock] | type[Bottleneck], planes: int, blocks: int, stride: int = 1
    ) -> nn.Sequential:
        """One stage: `blocks` blocks; the first may change stride and width and gets the projection shortcut."""
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers.extend(block(self.inplanes, planes) for _ in range(1, blocks))
        return nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))  # (N, 64, H/4, W/4)
        x = self.layer1(x)  # (N, 64 e, H/4, W/4), e = block.expansion
        x = self.layer2(x)  # (N, 128 e, H/8, W/8)
        x = self.layer3(x)  # (N, 256 e, H/16, W/16)
        x = self.layer4(x)  # (N, 512 e, H/32, W/32)
        x = torch.flatten(self.avgpool(x), 1)  # (N, 512 e)
        logits: Tensor = self.fc(x)  # (N, num_classes)
        return logits


def resnet18(*, num_classes: int = 1000, zero_init_residual: bool = False) -> ResNet:
    """ResNet-18: `BasicBlock`, stages ``[2, 2, 2, 2]``; 11,689,512 parameters with 1000 classes.

    torchvision counterpart: `torchvision.models.resnet18` (no ``weights``).

    Examples:
        >>> sum(p.numel() for p in resnet18().parameters())
        11689512
    """
    return ResNet(BasicBlock, [2, 2, 2, 2], num_classes=num_classes, zero_init_residual=zero_init_residual)


def resnet34(*, num_classes: int = 1000, zero_init_residual: bool = False) -> ResNet:
    """ResNet-34: `BasicBlock`, stages ``[3, 4, 6, 3]``; 21,797,672 parameters with 1000 classes.

    torchvision counterpart: `torchvision.models.resnet34` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):  # shapes only: no memory, no initialization cost
        ...     model = resnet34()
        >>> sum(p.numel() for p in model.parameters())
        21797672
    """
    return ResNet(BasicBlock, [3, 4, 6, 3], num_classes=num_classes, zero_init_residual=zero_init_residual)


def resnet50(*, num_classes: int = 1000, zero_init_residual: bool = False) -> ResNet:
    """ResNet-50: `Bottleneck`, stages ``[3, 4, 6, 3]``; 25,557,032 parameters with 1000 classes.

    torchvision counterpart: `torchvision.models.resnet50` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = resnet50()
        >>> sum(p.numel() for p in model.parameters())
        25557032
        >>> tuple(model.state_dict()["layer1.0.conv3.weight"].shape)
        (256, 64, 1, 1)
    """
    return ResNet(Bottleneck, [3, 4, 6, 3], num_classes=num_classes, zero_init_residual=zero_init_residual)


def resnet101(*, num_classes: int = 1000, zero_init_residual: bool = False) -> ResNet:
    """ResNet-101: `Bottleneck`, stages ``[3, 4, 23, 3]``; 44,549,160 parameters with 1000 classes.

    torchvision counterpart: `torchvision.models.resnet101` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = resnet101()
        >>> sum(p.numel() for p in model.parameters())
        44549160
    """
    return ResNet(Bottleneck, [3, 4, 23, 3], num_classes=num_classes, zero_init_residual=zero_init_residual)


def resnet152(*, num_classes: int = 1000, zero_init_residual: bool = False) -> ResNet:
    """ResNet-152: `Bottleneck`, stages ``[3, 8, 36, 3]``; 60,192,808 parameters with 1000 classes.

    torchvision counterpart: `torchvision.models.resnet152` (no ``weights``).

    Examples:
        >>> with torch.device("meta"):
        ...     model = resnet152()
        >>> sum(p.numel() for p in model.parameters())
        60192808
    """
    return ResNet(Bottleneck, [3, 8, 36, 3], num_classes=num_classes, zero_init_residual=zero_init_residual)
