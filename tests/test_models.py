"""dlref.models: parameter counts and state_dict layouts of torchvision, V1.5 strides, init, Inception arithmetic.

torchvision is not installed, so its layouts are restated here from its source's
structure rules (written independently of dlref), and its published parameter counts
are hard-coded. Large models are built on the meta device: shapes only, no memory.
"""

from __future__ import annotations

import io
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.testing import assert_close

from dlref import models
from dlref.models import (
    VGG,
    BasicBlock,
    BasicConv2d,
    Bottleneck,
    Inception,
    ResNet,
    googlenet_cfgs,
    make_layers,
)
from dlref.models.vgg import cfgs
from dlref.summary import count_macs

# torchvision's published numbers (https://docs.pytorch.org/vision/stable/models.html: "Params").
TORCHVISION_PARAMS = {
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "resnet101": 44_549_160,
    "resnet152": 60_192_808,
    "vgg11": 132_863_336,
    "vgg11_bn": 132_868_840,
    "vgg13": 133_047_848,
    "vgg13_bn": 133_053_736,
    "vgg16": 138_357_544,
    "vgg16_bn": 138_365_992,
    "vgg19": 143_667_240,
    "vgg19_bn": 143_678_248,
}
# torchvision's published "GFLOPS" (multiply-accumulates, conv + linear) at 224×224, to 2 decimals.
TORCHVISION_GFLOPS = {
    "resnet18": 1.81, "resnet34": 3.66, "resnet50": 4.09, "resnet101": 7.80, "resnet152": 11.51,
    "vgg11": 7.61, "vgg11_bn": 7.61, "vgg13": 11.31, "vgg13_bn": 11.31,
    "vgg16": 15.47, "vgg16_bn": 15.47, "vgg19": 19.63, "vgg19_bn": 19.63,
}  # fmt: skip
RESNET_STAGES = {"resnet18": (2, 2, 2, 2), "resnet34": (3, 4, 6, 3), "resnet50": (3, 4, 6, 3),
                 "resnet101": (3, 4, 23, 3), "resnet152": (3, 8, 36, 3)}  # fmt: skip


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def on_meta(name: str, **kwargs) -> nn.Module:
    with torch.device("meta"):
        return getattr(models, name)(**kwargs)


@pytest.fixture(scope="module")
def meta_models() -> dict[str, nn.Module]:
    """Every builder once, on the meta device (resnet152 and the VGGs cost no memory there)."""
    return {name: on_meta(name) for name in TORCHVISION_PARAMS}


# --------------------------------------------------------------------------- torchvision layouts, restated


def bn_entries(prefix: str, c: int) -> list[tuple[str, tuple[int, ...]]]:
    return [(f"{prefix}.weight", (c,)), (f"{prefix}.bias", (c,)), (f"{prefix}.running_mean", (c,)),
            (f"{prefix}.running_var", (c,)), (f"{prefix}.num_batches_tracked", ())]  # fmt: skip


def torchvision_resnet_state(stages: tuple[int, ...], bottleneck: bool, num_classes: int = 1000):
    """(key, shape) in torchvision's order: modules in registration order, params before buffers.

    Rules (torchvision resnet.py): stem conv1 7×7 3→64 and bn1; stage s has planes 64·2^(s-1);
    BasicBlock = conv1 3×3, bn1, conv2 3×3, bn2; Bottleneck = conv1 1×1, bn1, conv2 3×3, bn2,
    conv3 1×1 (×4), bn3; block 0 of a stage gets downsample.0 (1×1) + downsample.1 (BN) when
    the stride is 2 (stages 2-4) or the channel count changes (stage 1 of a bottleneck net).
    """
    out = [("conv1.weight", (64, 3, 7, 7)), *bn_entries("bn1", 64)]
    inplanes, expansion = 64, 4 if bottleneck else 1
    for s, blocks in enumerate(stages, start=1):
        planes = 64 * 2 ** (s - 1)
        for i in range(blocks):
            p = f"layer{s}.{i}"
            if bottleneck:
                convs = [(planes, inplanes, 1, 1), (planes, planes, 3, 3), (planes * 4, planes, 1, 1)]
            else:
                convs = [(planes, inplanes, 3, 3), (planes, planes, 3, 3)]
            for c, shape in enumerate(convs, start=1):
                out += [(f"{p}.conv{c}.weight", shape), *bn_entries(f"{p}.bn{c}", shape[0])]
            if i == 0 and (s > 1 or inplanes != planes * expansion):
                out += [(f"{p}.downsample.0.weight", (planes * expansion, inplanes, 1, 1)),
                        *bn_entries(f"{p}.downsample.1", planes * expansion)]  # fmt: skip
            inplanes = planes * expansion
    return [*out, ("fc.weight", (num_classes, 512 * expansion)), ("fc.bias", (num_classes,))]


def torchvision_vgg_state(cfg: str, batch_norm: bool, num_classes: int = 1000):
    """(key, shape) of torchvision's VGG: features indices advance by 2 (conv, ReLU) or 3 (with BN), 1 per pool."""
    out, idx, c_in = [], 0, 3
    for v in {"A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
              "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
                    512, 512, 512, "M"]}[cfg]:  # fmt: skip
        if v == "M":
            idx += 1
            continue
        out += [(f"features.{idx}.weight", (v, c_in, 3, 3)), (f"features.{idx}.bias", (v,))]
        if batch_norm:
            out += bn_entries(f"features.{idx + 1}", v)
        idx, c_in = idx + (3 if batch_norm else 2), v
    return [*out, ("classifier.0.weight", (4096, 25088)), ("classifier.0.bias", (4096,)),
            ("classifier.3.weight", (4096, 4096)), ("classifier.3.bias", (4096,)),
            ("classifier.6.weight", (num_classes, 4096)), ("classifier.6.bias", (num_classes,))]  # fmt: skip


def state_layout(model: nn.Module) -> list[tuple[str, tuple[int, ...]]]:
    return [(k, tuple(v.shape)) for k, v in model.state_dict().items()]


# --------------------------------------------------------------------------- ResNet


@pytest.mark.parametrize("name", list(TORCHVISION_PARAMS))
def test_parameter_counts_equal_torchvision(meta_models, name):
    assert n_params(meta_models[name]) == TORCHVISION_PARAMS[name]


@pytest.mark.parametrize("name", list(TORCHVISION_GFLOPS))
def test_macs_match_torchvision_published_gflops(meta_models, name):
    assert round(count_macs(meta_models[name], (3, 224, 224)) / 1e9, 2) == TORCHVISION_GFLOPS[name]


def test_resnet18_state_dict_keys_in_torchvision_order():
    expected = torchvision_resnet_state((2, 2, 2, 2), bottleneck=False)
    keys = [k for k, _ in expected]
    assert keys[:8] == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                        "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer1.0.bn1.weight"]  # fmt: skip
    assert keys[-2:] == ["fc.weight", "fc.bias"]
    assert len(keys) == 122
    assert list(models.resnet18().state_dict()) == keys


@pytest.mark.parametrize("name", list(RESNET_STAGES))
def test_resnet_state_dict_layouts_equal_torchvision(meta_models, name):
    bottleneck = name not in ("resnet18", "resnet34")
    assert state_layout(meta_models[name]) == torchvision_resnet_state(RESNET_STAGES[name], bottleneck)


def test_resnet_key_shapes(meta_models):
    sd18, sd50 = meta_models["resnet18"].state_dict(), meta_models["resnet50"].state_dict()
    assert sd18["layer2.0.downsample.0.weight"].shape == (128, 64, 1, 1)
    assert sd18["fc.weight"].shape == (1000, 512)
    assert "layer1.0.downsample.0.weight" not in sd18  # 64 -> 64, stride 1: identity shortcut
    assert sd50["layer1.0.conv3.weight"].shape == (256, 64, 1, 1)
    assert sd50["layer1.0.downsample.0.weight"].shape == (256, 64, 1, 1)  # channels change: projection
    assert sd50["layer4.2.conv3.weight"].shape == (2048, 512, 1, 1)
    assert sd50["fc.weight"].shape == (1000, 2048)


def test_resnet50_state_dict_round_trip_strict():
    torch.manual_seed(0)
    src = models.resnet50()
    src.train()
    with torch.no_grad():
        src(torch.randn(2, 3, 64, 64))  # make running stats non-trivial
    buf = io.BytesIO()
    torch.save(src.state_dict(), buf)
    buf.seek(0)
    dst = models.resnet50()
    result = dst.load_state_dict(torch.load(buf, weights_only=True), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    for (k, a), (k2, b) in zip(src.state_dict().items(), dst.state_dict().items(), strict=True):
        assert k == k2
        assert torch.equal(a, b), k
    x = torch.randn(1, 3, 64, 64)
    assert torch.equal(src.eval()(x), dst.eval()(x))


@pytest.mark.parametrize("name", ["resnet18", "resnet50"])
def test_resnet_forward_shape_small_input(name):
    torch.manual_seed(0)
    model = getattr(models, name)().eval()
    with torch.no_grad():
        y = model(torch.randn(2, 3, 64, 64))
    assert y.shape == (2, 1000)
    assert torch.isfinite(y).all()


@pytest.mark.parametrize("name", ["resnet34", "resnet101", "resnet152"])
def test_resnet_forward_shape_on_meta(meta_models, name):
    assert meta_models[name](torch.empty(2, 3, 224, 224, device="meta")).shape == (2, 1000)


def test_num_classes_and_keyword_only_builders():
    assert models.resnet18(num_classes=10).fc.out_features == 10
    with pytest.raises(TypeError):
        models.resnet18(10)  # keyword-only, as torchvision's builders


@pytest.mark.parametrize(("name", "last_bn"), [("resnet18", "bn2"), ("resnet50", "bn3")])
def test_zero_init_residual(name, last_bn):
    zero = getattr(models, name)(zero_init_residual=True)
    plain = getattr(models, name)()
    blocks = [m for m in zero.modules() if isinstance(m, (BasicBlock, Bottleneck))]
    assert len(blocks) == sum(RESNET_STAGES[name])
    for block in blocks:
        assert torch.equal(getattr(block, last_bn).weight, torch.zeros_like(getattr(block, last_bn).weight))
        assert torch.equal(block.bn1.weight, torch.ones_like(block.bn1.weight))
    for block in (m for m in plain.modules() if isinstance(m, (BasicBlock, Bottleneck))):
        assert torch.equal(getattr(block, last_bn).weight, torch.ones_like(getattr(block, last_bn).weight))


def test_zero_init_residual_makes_identity_blocks():
    """gamma = 0 in the last BN: the residual branch outputs 0, so the block is ReLU(x) = x for x >= 0."""
    torch.manual_seed(0)
    model = models.resnet18(zero_init_residual=True).eval()
    x = torch.rand(2, 64, 8, 8)
    with torch.no_grad():
        assert torch.equal(model.layer1[0](x), x)


def test_bottleneck_stride_on_3x3_conv_v1_5(meta_models):
    block = meta_models["resnet50"].layer2[0]
    assert isinstance(block, Bottleneck)
    assert block.conv1.stride == (1, 1)
    assert block.conv2.stride == (2, 2)
    assert block.conv2.kernel_size == (3, 3)
    assert block.downsample[0].stride == (2, 2)
    shortcut = nn.Sequential(nn.Conv2d(256, 512, 1, 2, bias=False), nn.BatchNorm2d(512))
    standalone = Bottleneck(256, 128, stride=2, downsample=shortcut)
    assert (standalone.conv1.stride, standalone.conv2.stride) == ((1, 1), (2, 2))
    assert meta_models["resnet18"].layer3[0].conv1.stride == (2, 2)  # BasicBlock: the first 3×3


def test_v1_5_costs_more_macs_than_v1_at_equal_params():
    """Moving each downsampling stride back to conv1 (the paper's V1) keeps the parameters and lowers the MACs."""
    with torch.device("meta"):
        v15, v1 = models.resnet50(), models.resnet50()
    for stage in (v1.layer2, v1.layer3, v1.layer4):
        stage[0].conv1.stride, stage[0].conv2.stride = (2, 2), (1, 1)
    assert n_params(v1) == n_params(v15)
    assert v1(torch.empty(1, 3, 224, 224, device="meta")).shape == (1, 1000)
    macs_v1, macs_v15 = count_macs(v1, (3, 224, 224)), count_macs(v15, (3, 224, 224))
    # V1.5's conv1 runs at the block's input resolution H×H, V1's at (H/2)×(H/2): V1.5 pays
    # weights·(H² - H²/4) = 3·weights·(H/2)² more in the first block of stages 2-4 (H = 56, 28, 14).
    firsts = (v15.layer2[0], v15.layer3[0], v15.layer4[0])
    extra = sum(3 * blk.conv1.weight.numel() * (28 // 2**i) ** 2 for i, blk in enumerate(firsts))
    assert extra == 3 * 77_070_336
    assert macs_v15 - macs_v1 == extra


def test_basic_block_matches_functional_formula():
    torch.manual_seed(0)
    down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
    block = BasicBlock(8, 16, stride=2, downsample=down).double().eval()
    for bn in (block.bn1, block.bn2, down[1]):
        nn.init.uniform_(bn.weight), nn.init.uniform_(bn.bias), nn.init.uniform_(bn.running_mean)
        nn.init.uniform_(bn.running_var, 0.5, 1.5)
    x = torch.randn(2, 8, 9, 9, dtype=torch.float64)

    def bn(t, m):
        return F.batch_norm(t, m.running_mean, m.running_var, m.weight, m.bias, False, 0.0, m.eps)

    h = F.relu(bn(F.conv2d(x, block.conv1.weight, stride=2, padding=1), block.bn1))
    f = bn(F.conv2d(h, block.conv2.weight, padding=1), block.bn2)
    s = bn(F.conv2d(x, down[0].weight, stride=2), down[1])
    with torch.no_grad():
        assert_close(block(x), F.relu(f + s), rtol=1e-12, atol=1e-12)
    assert block(x).shape == (2, 16, 5, 5)


def test_resnet_initialization_as_torchvision():
    torch.manual_seed(0)
    model = models.resnet18()
    w = model.conv1.weight  # kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (64·7·7))
    assert abs(w.std().item() / math.sqrt(2 / (64 * 49)) - 1) < 0.05
    assert abs(w.mean().item()) < 0.002
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            assert torch.equal(m.weight, torch.ones_like(m.weight)) and torch.equal(m.bias, torch.zeros_like(m.bias))
    assert model.fc.bias.abs().max() <= 1 / math.sqrt(512)  # fc keeps nn.Linear's default init


def test_expansion_attributes_and_make_layer():
    assert BasicBlock.expansion == 1 and Bottleneck.expansion == 4
    model = ResNet(Bottleneck, [1, 2, 1, 1], num_classes=7)
    assert [len(s) for s in (model.layer1, model.layer2, model.layer3, model.layer4)] == [1, 2, 1, 1]
    assert model.layer2[1].downsample is None  # only the first block of a stage projects
    assert model.fc.in_features == 2048


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"block": nn.Linear, "layers": [2, 2, 2, 2]}, TypeError,
         r"ResNet: block is not a residual block class \(got Linear\); expected the class BasicBlock or Bottleneck"),
        ({"block": BasicBlock(64, 64), "layers": [2, 2, 2, 2]}, TypeError,
         r"ResNet: block is not a residual block class \(got a BasicBlock instance\); expected the class"),
        ({"block": BasicBlock, "layers": [2, 2, 2]}, ValueError,
         r"ResNet: layers has the wrong length \(got \[2, 2, 2\]\); expected 4 block counts, one per stage"),
        ({"block": BasicBlock, "layers": "2222"}, TypeError,
         r"ResNet: layers has the wrong type \(got str\); expected 4 block counts"),
        ({"block": BasicBlock, "layers": [2, 2, 0, 2]}, ValueError,
         r"ResNet: layers\[2\] is out of range \(got 0\); expected an int >= 1"),
        ({"block": BasicBlock, "layers": [2, 2, 2.0, 2]}, TypeError,
         r"ResNet: layers\[2\] has the wrong type \(got float\); expected an int"),
        ({"block": BasicBlock, "layers": [2, 2, 2, 2], "num_classes": 0}, ValueError,
         r"ResNet: num_classes is out of range \(got 0\); expected an int >= 1"),
        ({"block": BasicBlock, "layers": [2, 2, 2, 2], "zero_init_residual": 1}, TypeError,
         r"ResNet: zero_init_residual has the wrong type \(got int\); expected True or False"),
    ],
)
def test_resnet_validates_arguments(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        ResNet(**kwargs)


# --------------------------------------------------------------------------- VGG


@pytest.mark.parametrize(
    ("name", "cfg", "bn"),
    [("vgg11", "A", False), ("vgg11_bn", "A", True), ("vgg16", "D", False), ("vgg16_bn", "D", True)],
)
def test_vgg_state_dict_layouts_equal_torchvision(meta_models, name, cfg, bn):
    assert state_layout(meta_models[name]) == torchvision_vgg_state(cfg, bn)


def test_vgg_configurations_are_the_papers():
    convs = {k: sum(v != "M" for v in c) for k, c in cfgs.items()}
    assert convs == {"A": 8, "B": 10, "D": 13, "E": 16}  # + 3 linear layers = 11, 13, 16, 19 weight layers
    assert all(c.count("M") == 5 for c in cfgs.values())
    with pytest.raises(TypeError):
        cfgs["A"] = ()  # read-only


def test_vgg_classifier_structure(meta_models):
    clf = meta_models["vgg16"].classifier
    assert [type(m).__name__ for m in clf] == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]
    assert clf[2].p == 0.5 and clf[5].p == 0.5
    assert meta_models["vgg16"].avgpool.output_size == (7, 7)
    first = n_params(clf[0])
    assert first == 25_088 * 4096 + 4096 == 102_764_544  # the docstring's "three quarters" of VGG-16
    assert round(first / TORCHVISION_PARAMS["vgg16"], 3) == 0.743
    assert meta_models["vgg16"](torch.empty(1, 3, 224, 224, device="meta")).shape == (1, 1000)


@pytest.fixture(scope="module")
def small_vgg() -> VGG:
    torch.manual_seed(0)
    return VGG(make_layers([8, "M", 512, "M"], batch_norm=True), num_classes=10, dropout=0.3)


def test_vgg_forward_and_init(small_vgg):
    with torch.no_grad():
        assert small_vgg.eval()(torch.randn(2, 3, 32, 32)).shape == (2, 10)  # adaptive pool: 8×8 -> 7×7
    w = small_vgg.classifier[0].weight
    assert abs(w.std().item() - 0.01) < 1e-4 and torch.equal(small_vgg.classifier[0].bias, torch.zeros(4096))
    conv = small_vgg.features[0]
    assert torch.equal(conv.bias, torch.zeros(8))
    assert small_vgg.classifier[2].p == 0.3


def test_vgg_init_weights_false_keeps_pytorch_defaults():
    with torch.device("meta"):
        model = models.vgg11(init_weights=False, num_classes=3)
    assert model.classifier[6].out_features == 3


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: make_layers([64, "X"]), TypeError,
         r"make_layers: cfg\[1\] is neither a channel count nor 'M' \(got 'X'\); expected an int \(output channels\)"),
        (lambda: make_layers([0]), ValueError,
         r"make_layers: cfg\[0\] is out of range \(got 0\); expected a channel count >= 1, or 'M'"),
        (lambda: make_layers("A"), TypeError,
         r"make_layers: cfg has the wrong type \(got str\); expected a sequence of ints \(output channels\) and 'M'"),
        (lambda: VGG([1, 2]), TypeError, r"VGG: features has the wrong type \(got list\); expected an nn.Module"),
        (lambda: VGG(nn.Identity(), num_classes=0), ValueError,
         r"VGG: num_classes is out of range \(got 0\); expected an int >= 1"),
        (lambda: VGG(nn.Identity(), dropout=1.5), ValueError,
         r"VGG: dropout is out of range \(got 1.5\); expected a finite number >= 0 and <= 1"),
    ],
)
def test_vgg_validates_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --------------------------------------------------------------------------- Inception


def conv_params(c_in: int, c_out: int, k: int, bias: bool = True) -> int:
    return c_out * c_in * k * k + (c_out if bias else 0)


def test_inception_3a_shape_and_hand_counted_parameters():
    block = Inception(192, 64, 96, 128, 16, 32, 32)
    assert block(torch.zeros(1, 192, 28, 28)).shape == (1, 256, 28, 28)
    assert block.out_channels == 256
    by_hand = (
        (192 * 64 + 64)  # branch1: 1×1, 192 -> 64                      12,352
        + (192 * 96 + 96) + (96 * 128 * 3 * 3 + 128)  # branch2: 1×1 reduce, 3×3   18,528 + 110,720
        + (192 * 16 + 16) + (16 * 32 * 5 * 5 + 32)  # branch3: 1×1 reduce, 5×5     3,088 + 12,832
        + (192 * 32 + 32)  # branch4: pool, 1×1 projection                6,176
    )
    assert by_hand == 163_696
    assert n_params(block) == by_hand
    # MACs: every weight is used once per output position (28×28); biases are not counted
    assert count_macs(block, (192, 28, 28)) == (by_hand - (64 + 96 + 128 + 16 + 32 + 32)) * 28 * 28 == 128_049_152


def test_inception_1x1_reductions_save_parameters():
    """The same block with the 3×3 and 5×5 convolutions applied to all 192 input channels."""
    naive = nn.ModuleList([
        nn.Conv2d(192, 64, 1),  # branch1 unchanged
        nn.Conv2d(192, 128, 3, padding=1),  # 3×3 directly on 192 channels
        nn.Conv2d(192, 32, 5, padding=2),  # 5×5 directly on 192 channels
        nn.Conv2d(192, 32, 1),  # pool projection kept, so the output still has 256 channels
    ])  # fmt: skip
    assert n_params(naive) == 12_352 + 221_312 + 153_632 + 6_176 == 393_472
    reduced = n_params(Inception(192, 64, 96, 128, 16, 32, 32))
    assert reduced == 163_696
    assert round(n_params(naive) / reduced, 2) == 2.40
    # the paper's naive module (Fig. 2a) has no pool projection: the pool passes 192 channels through
    assert n_params(naive) - conv_params(192, 32, 1) == 387_296
    # the two big convolutions alone, without / with their 1×1 reductions: 1.7× and 9.7×
    assert conv_params(192, 128, 3) == 221_312 and conv_params(192, 96, 1) + conv_params(96, 128, 3) == 129_248
    assert conv_params(192, 32, 5) == 153_632 and conv_params(192, 16, 1) + conv_params(16, 32, 5) == 15_920
    # multiply-accumulates at 28×28 (weights only): 308.3 M without the reductions, 128.0 M with them
    naive_macs = count_macs(naive[1], (192, 28, 28)) + count_macs(naive[2], (192, 28, 28))
    assert naive_macs + (192 * 64 + 192 * 32) * 784 == 308_281_344


def test_inception_third_branch_is_5x5_and_concat_order():
    torch.manual_seed(0)
    block = Inception(8, 2, 3, 4, 2, 5, 6).eval()
    assert block.branch3[1].conv.kernel_size == (5, 5) and block.branch3[1].conv.padding == (2, 2)
    assert block.branch2[1].conv.kernel_size == (3, 3)
    pool = block.branch4[0]
    assert (pool.kernel_size, pool.stride, pool.padding) == (3, 1, 1)
    x = torch.randn(2, 8, 7, 7)
    with torch.no_grad():
        y = block(x)
        parts = [block.branch1(x), block.branch2(x), block.branch3(x), block.branch4(x)]
    assert [p.shape[1] for p in parts] == [2, 4, 5, 6]
    assert torch.equal(y, torch.cat(parts, 1))
    # the paper's unit: conv with bias, then ReLU (no BN)
    c = block.branch1
    assert c.bn is None and c.conv.bias is not None
    assert torch.equal(block.branch1(x), F.relu(F.conv2d(x, c.conv.weight, c.conv.bias)))


def test_inception_batch_norm_uses_torchvision_names():
    """With batch_norm=True the keys are torchvision's Inception keys (its branch3 kernel is 3×3, ours 5×5)."""
    block = Inception(*googlenet_cfgs["3a"], batch_norm=True)
    expected = []
    for prefix in ["branch1", "branch2.0", "branch2.1", "branch3.0", "branch3.1", "branch4.1"]:
        expected += [f"{prefix}.conv.weight", *(k for k, _ in bn_entries(f"{prefix}.bn", 1))]
    assert list(block.state_dict()) == expected
    assert block.branch1.bn.eps == 0.001 and block.branch1.conv.bias is None
    assert block.state_dict()["branch3.1.conv.weight"].shape == (32, 16, 5, 5)  # torchvision: (32, 16, 3, 3)
    plain = Inception(*googlenet_cfgs["3a"])
    assert "branch1.conv.bias" in plain.state_dict() and "branch1.bn.weight" not in plain.state_dict()


def test_googlenet_cfgs_chain():
    names = list(googlenet_cfgs)
    assert names == ["3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"]
    outs = [c[1] + c[3] + c[5] + c[6] for c in googlenet_cfgs.values()]
    assert outs == [256, 480, 512, 512, 512, 528, 832, 832, 1024]
    for prev_out, cfg in zip(outs, list(googlenet_cfgs.values())[1:], strict=False):
        assert cfg[0] == prev_out  # each block reads what the previous one wrote (pools keep channels)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: Inception(192, 64, 96, 128, 0, 32, 32), ValueError,
         r"Inception: ch5x5red is out of range \(got 0\); expected an int >= 1"),
        (lambda: Inception(192.0, 64, 96, 128, 16, 32, 32), TypeError,
         r"Inception: in_channels has the wrong type \(got float\); expected an int"),
        (lambda: BasicConv2d(3, 8), TypeError,
         r"BasicConv2d: kernel_size is missing \(got no kernel_size\); expected kernel_size=\.\.\., passed on"),
        (lambda: BasicConv2d(3, 8, kernel_size=1, bias=False), TypeError,
         r"BasicConv2d: bias is set by batch_norm \(got bias=False\); expected no bias argument"),
    ],
)
def test_inception_validates_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_models_all_is_complete():
    public = {n for n in dir(models) if not n.startswith("_") and n != "annotations"}
    assert set(models.__all__) == public - {"inception", "resnet", "vgg"}  # submodules stay importable
