"""dlref.summary: torchsummary's table and totals on the notes' models, rows vs real shapes, MACs vs FlopCounterMode."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

import dlref.summary as S
from dlref.models import BasicBlock, Inception, resnet18, resnet50
from dlref.summary import Summary, SummaryRow, count_macs, summary

# --------------------------------------------------------------------------- the course notes' models


class NotesNet(nn.Module):
    """Seed 001, §4.3: three linear layers with the notes' initializers and activations."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(in_features=3, out_features=3)
        nn.init.kaiming_normal_(self.layer1.weight)
        self.layer2 = nn.Linear(in_features=3, out_features=2)
        nn.init.xavier_uniform_(self.layer2.weight)
        self.out = nn.Linear(in_features=2, out_features=2)
        nn.init.uniform_(self.out.weight)

    def forward(self, x):
        x = torch.sigmoid(self.layer1(x))
        x = torch.relu(self.layer2(x))
        return torch.softmax(self.out(x), dim=-1)


class PhoneNet(nn.Module):
    """Seed 001, §8.3: the phone-price classifier (20 features, 4 classes); one Dropout module used twice."""

    def __init__(self) -> None:
        super().__init__()
        self.layer1 = nn.Linear(in_features=20, out_features=64)
        self.layer2 = nn.Linear(in_features=64, out_features=128)
        self.layer3 = nn.Linear(in_features=128, out_features=4)
        self.dropout = nn.Dropout(p=0.9)

    def forward(self, x):
        x = torch.relu(self.dropout(self.layer1(x)))
        x = torch.relu(self.dropout(self.layer2(x)))
        return self.layer3(x)


# The notes' printed torchsummary output, verbatim (seed 001, §4.3: summary(my_model, input_size=(3,), batch_size=8)).
NOTES_TABLE = """\
----------------------------------------------------------------
        Layer (type)               Output Shape         Param #
================================================================
            Linear-1                     [8, 3]              12
            Linear-2                     [8, 2]               8
            Linear-3                     [8, 2]               6
================================================================
Total params: 26
Trainable params: 26
Non-trainable params: 0
----------------------------------------------------------------
Input size (MB): 0.00
Forward/backward pass size (MB): 0.00
Params size (MB): 0.00
Estimated Total Size (MB): 0.00
----------------------------------------------------------------"""

# Seed 001, §8.6: summary(my_model, input_size=(20,), batch_size=10) (the notes print up to this line).
PHONE_TABLE_HEAD = """\
----------------------------------------------------------------
        Layer (type)               Output Shape         Param #
================================================================
            Linear-1                   [10, 64]           1,344
           Dropout-2                   [10, 64]               0
            Linear-3                  [10, 128]           8,320
           Dropout-4                  [10, 128]               0
            Linear-5                    [10, 4]             516
================================================================
Total params: 10,180
Trainable params: 10,180
Non-trainable params: 0
----------------------------------------------------------------"""


def test_notes_model_total_26_and_table_verbatim():
    s = summary(NotesNet(), input_size=(3,), batch_size=8)
    assert (s.total_params, s.trainable_params, s.non_trainable_params) == (26, 26, 0)
    assert [r.num_params for r in s.rows] == [3 * 3 + 3, 3 * 2 + 2, 2 * 2 + 2]
    assert str(s) == NOTES_TABLE


def test_phone_model_total_10180_and_table_verbatim():
    s = summary(PhoneNet(), input_size=(20,), batch_size=10)
    assert s.total_params == 20 * 64 + 64 + 64 * 128 + 128 + 128 * 4 + 4 == 10_180
    assert str(s).startswith(PHONE_TABLE_HEAD)
    # the shared Dropout module appears once per call, as in torchsummary
    assert [(r.layer, r.module) for r in s.rows] == [
        ("Linear-1", "layer1"), ("Dropout-2", "dropout"), ("Linear-3", "layer2"), ("Dropout-4", "dropout"),
        ("Linear-5", "layer3"),
    ]  # fmt: skip


def test_notes_1x1_convolution_comparison():
    """Seed 004 (GoogLeNet, "1x1卷积的作用1"): 256 channels at 28×28 to 128 channels.

    The notes sum p.numel() over nn.Conv2d's parameters, whose default bias=True, so
    their "0.295 M" and "0.090 M" include biases (the weights alone round the same way).
    """
    conv_direct = nn.Conv2d(256, 128, kernel_size=3, padding=1)
    conv_reduce = nn.Sequential(nn.Conv2d(256, 64, kernel_size=1), nn.Conv2d(64, 128, kernel_size=3, padding=1))
    direct, reduce = summary(conv_direct, (256, 28, 28)), summary(conv_reduce, (256, 28, 28))

    assert direct.total_params == 256 * 128 * 3 * 3 + 128 == 295_040
    assert reduce.total_params == (256 * 64 + 64) + (64 * 128 * 3 * 3 + 128) == 90_304
    assert (f"{direct.total_params / 1e6:.3f} M", f"{reduce.total_params / 1e6:.3f} M") == ("0.295 M", "0.090 M")
    weights_direct, weights_reduce = 256 * 128 * 9, 256 * 64 + 64 * 128 * 9
    assert (weights_direct, weights_reduce) == (294_912, 90_112)
    assert (f"{weights_direct / 1e6:.3f}", f"{weights_reduce / 1e6:.3f}") == ("0.295", "0.090")
    # multiply-accumulates: every weight once per output position
    assert direct.total_macs == weights_direct * 28 * 28 == 231_211_008
    assert reduce.total_macs == weights_reduce * 28 * 28 == 70_647_808
    assert [r.output_shape for r in reduce.rows] == [(-1, 64, 28, 28), (-1, 128, 28, 28)]


# --------------------------------------------------------------------------- ResNet-18


@pytest.fixture(scope="module")
def resnet18_summary() -> Summary:
    torch.manual_seed(0)
    return summary(resnet18(), (3, 224, 224))


def test_resnet18_totals(resnet18_summary):
    s = resnet18_summary
    assert s.total_params == 11_689_512 == s.trainable_params
    assert s.total_macs == 1_814_073_344
    assert s.rows[0] == SummaryRow("Conv2d-1", "conv1", (-1, 64, 112, 112), 64 * 3 * 7 * 7, 112 * 112 * 64 * 3 * 49)
    assert s.rows[-1] == SummaryRow("Linear-60", "fc", (-1, 1000), 513_000, 512_000)
    assert sum(r.num_params for r in s.rows) == s.total_params  # no shared modules: the rows add up
    assert "Total params: 11,689,512" in str(s)


def test_resnet18_sizes_and_torchsummarys_container_rows(resnet18_summary):
    """torchsummary also lists the 8 BasicBlocks; dlref lists leaf modules only.

    So dlref's forward/backward estimate lacks the blocks' outputs; adding them back gives
    torchsummary's 0.57 / 62.79 / 44.59 / 107.96 MB for resnet18.
    """
    s = resnet18_summary
    assert f"{s.input_size_mb:.2f} {s.params_size_mb:.2f}" == "0.57 44.59"
    assert f"{s.forward_backward_size_mb:.2f} {s.total_size_mb:.2f}" == "57.05 102.22"
    block_outputs = 2 * (64 * 56 * 56 + 128 * 28 * 28 + 256 * 14 * 14 + 512 * 7 * 7)  # two blocks per stage
    with_blocks = s.forward_backward_size_mb + 2 * 4 * block_outputs / 2**20
    assert f"{with_blocks:.2f} {with_blocks + s.input_size_mb + s.params_size_mb:.2f}" == "62.79 107.96"


def test_summary_on_meta_device_costs_no_memory():
    with torch.device("meta"):
        model = resnet50()
    s = summary(model, (3, 224, 224), batch_size=16)
    assert s.total_params == 25_557_032
    assert s.rows[-1].output_shape == (16, 1000)
    assert f"{s.input_size_mb:.2f}" == f"{16 * 3 * 224 * 224 * 4 / 2**20:.2f}"


# --------------------------------------------------------------------------- rows against real shapes


def small_cnn() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, stride=2, groups=2), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
        nn.Flatten(), nn.Linear(64, 10),
    )  # fmt: skip


def test_rows_match_actual_forward_shapes_and_params():
    torch.manual_seed(0)
    model = small_cnn().eval()
    s = summary(model, (3, 20, 20), batch_size=4)
    x = torch.rand(4, 3, 20, 20)
    expected = []
    with torch.no_grad():
        for i, layer in enumerate(model):
            x = layer(x)
            own = sum(p.numel() for p in layer.parameters())
            expected.append((f"{type(layer).__name__}-{i + 1}", str(i), tuple(x.shape), own))
    assert [(r.layer, r.module, r.output_shape, r.num_params) for r in s.rows] == expected
    assert s.rows[4].output_shape == (4, 16, 4, 4)  # (10 - 3) // 2 + 1 = 4
    assert s.total_params == 3 * 8 * 9 + 8 + 16 + 16 * 4 * 9 + 16 + 64 * 10 + 10
    assert summary(model, (3, 20, 20)).rows[0].output_shape == (-1, 8, 20, 20)


def test_table_formatting_of_rows():
    s = summary(small_cnn(), (3, 20, 20))
    lines = str(s).splitlines()
    assert lines[3] == "{:>20}  {:>25} {:>15}".format("Conv2d-1", "[-1, 8, 20, 20]", "224")
    assert lines[11] == "{:>20}  {:>25} {:>15}".format("Linear-9", "[-1, 10]", "650")


def test_bn_buffers_and_non_trainable_params():
    model = small_cnn()
    for p in model[0].parameters():
        p.requires_grad_(False)
    s = summary(model, (3, 8, 8))
    assert s.non_trainable_params == 3 * 8 * 9 + 8
    assert s.trainable_params == s.total_params - 224
    assert "Non-trainable params: 224" in str(s)
    assert s.rows[1].num_params == 16  # BatchNorm2d: weight + bias; running stats are buffers


# --------------------------------------------------------------------------- deliberate differences from torchsummary


def test_no_side_effects_on_state_modes_or_rng():
    model = small_cnn()
    model.train()
    model[1].eval()  # a mixed state must come back exactly
    flags = [m.training for m in model.modules()]
    before = {k: v.clone() for k, v in model.state_dict().items()}
    rng = torch.get_rng_state()
    summary(model, (3, 16, 16), batch_size=2)
    count_macs(model, (3, 16, 16))
    assert [m.training for m in model.modules()] == flags
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # running stats, num_batches_tracked
    assert torch.equal(torch.get_rng_state(), rng)
    assert all(not m._forward_hooks for m in model.modules())


def test_shared_module_counted_once_in_totals():
    lin = nn.Linear(4, 4)
    model = nn.Sequential(lin, nn.ReLU(), lin)
    s = summary(model, (4,))
    assert [r.num_params for r in s.rows] == [20, 0, 20]  # one row per call
    assert s.total_params == 20  # torchsummary would report 40
    assert s.total_macs == 2 * 16


class WithToken(nn.Module):
    """A container that owns a parameter directly (torchsummary misses it) and an LSTM (weights not named `weight`)."""

    def __init__(self) -> None:
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, 6))
        self.lstm = nn.LSTM(6, 5, batch_first=True)
        self.head = nn.Linear(5, 2)

    def forward(self, x):
        x = torch.cat([self.token.expand(x.shape[0], 1, 6), x], 1)
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def test_direct_parameters_and_multiple_outputs():
    model = WithToken()
    s = summary(model, (7, 6))
    lstm_params = 4 * 5 * (6 + 5) + 2 * 4 * 5
    assert [(r.layer, r.module, r.num_params) for r in s.rows] == [
        ("LSTM-1", "lstm", lstm_params), ("Linear-2", "head", 12), ("WithToken-3", "", 6),
    ]  # fmt: skip
    assert s.total_params == sum(r.num_params for r in s.rows) == lstm_params + 12 + 6
    # (out, (h, c)) flattened; dim 0 is shown as batch_size even where it is num_layers (h, c), as torchsummary
    assert s.rows[0].output_shape == ((-1, 8, 5), (-1, 2, 5), (-1, 2, 5))
    assert "[[-1, 8, 5], [-1, 2, 5], [-1, 2, 5]]" in str(s)


def test_several_inputs_and_dtypes():
    class TwoInputs(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(10, 4)
            self.lin = nn.Linear(3, 4)

        def forward(self, idx, x):
            return self.emb(idx).sum(1) + self.lin(x)

    s = summary(TwoInputs(), [(5,), (3,)], dtypes=[torch.long, torch.float32])
    assert [r.output_shape for r in s.rows] == [(-1, 5, 4), (-1, 4)]
    assert s.input_size == ((5,), (3,))
    assert s.input_size_mb == (5 * 8 + 3 * 4) / 2**20  # int64 and float32 elements


def test_float64_model_sizes():
    s = summary(nn.Linear(1024, 1024).double(), (1024,), batch_size=1)
    assert s.params_size_mb == (1024 * 1024 + 1024) * 8 / 2**20
    assert s.forward_backward_size_mb == 2 * 1024 * 8 / 2**20


def test_leaf_model_is_its_own_row():
    s = summary(nn.Conv2d(1, 2, 3), (1, 5, 5))
    assert s.rows == (SummaryRow("Conv2d-1", "", (-1, 2, 3, 3), 20, 2 * 3 * 3 * 9),)


# --------------------------------------------------------------------------- count_macs


def test_count_macs_hand_counts():
    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 32 * 32, 10))
    assert count_macs(net, (3, 32, 32)) == 32 * 32 * 8 * 3 * 9 + 8192 * 10 == 303_104
    grouped = nn.Conv2d(8, 16, 3, groups=4, bias=False)  # each output sees 8/4 = 2 input channels
    assert count_macs(grouped, (8, 10, 10)) == 8 * 8 * 16 * 2 * 9
    conv1d = nn.Conv1d(4, 6, 5, stride=2)
    assert count_macs(conv1d, (4, 21)) == 9 * 6 * 4 * 5
    transposed = nn.ConvTranspose2d(4, 6, 3, stride=2)  # each input element scatters to 6 * 9 outputs
    assert count_macs(transposed, (4, 5, 5)) == 4 * 5 * 5 * 6 * 9
    seq_linear = nn.Linear(6, 3)  # (N, L, in): one matrix-vector product per position
    assert count_macs(seq_linear, (7, 6)) == 7 * 3 * 6
    assert count_macs(nn.Sequential(nn.ReLU(), nn.BatchNorm1d(4)), (4,)) == 0


def flop_counter_macs(model: nn.Module, *xs: torch.Tensor) -> int:
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(*xs)
    total = counter.get_total_flops()
    assert total % 2 == 0
    return total // 2  # FlopCounterMode counts one multiply-accumulate as 2 FLOPs


class TransposeThen3d(nn.Module):
    """A grouped transposed convolution, then a 3-D convolution over its output viewed as a depth-1 volume."""

    def __init__(self) -> None:
        super().__init__()
        self.t = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2)
        self.c = nn.Conv3d(6, 2, (1, 2, 2))

    def forward(self, x):
        return self.c(self.t(x).unsqueeze(2))


@pytest.mark.parametrize(
    ("build", "size"),
    [
        (resnet18, (3, 64, 64)),
        (lambda: Inception(32, 8, 8, 16, 4, 8, 8), (32, 9, 9)),
        (lambda: BasicBlock(16, 16), (16, 11, 11)),
        (TransposeThen3d, (4, 5, 5)),
        (lambda: nn.Sequential(nn.Conv1d(3, 6, 3, groups=3), nn.Flatten(), nn.Linear(6 * 8, 5)), (3, 10)),
    ],
)
def test_count_macs_matches_torch_flop_counter(build, size):
    torch.manual_seed(0)
    model = build().eval()
    assert count_macs(model, size) == flop_counter_macs(model, torch.rand(1, *size))


def test_count_macs_resnet_table_224():
    """The numbers the "Architectures" chapter prints, counted on the meta device."""
    with torch.device("meta"):
        r18, r50 = resnet18(), resnet50()
    assert count_macs(r18, (3, 224, 224)) == 1_814_073_344
    assert count_macs(r50, (3, 224, 224)) == 4_089_184_256


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: summary("net", (3,)), TypeError,
         r"summary: model has the wrong type \(got str\); expected a torch.nn.Module"),
        (lambda: summary(nn.Linear(3, 2), "3"), TypeError,
         r"summary: input_size has the wrong type \(got str\); expected the shape of one sample, without the batch"),
        (lambda: summary(nn.Linear(3, 2), ()), ValueError,
         r"summary: input_size is empty \(got \(\)\); expected the shape of one sample"),
        (lambda: summary(nn.Linear(3, 2), (3, 0)), ValueError,
         r"summary: input_size is out of range \(got \(3, 0\)\); expected sizes >= 1, without the batch dim"),
        (lambda: summary(nn.Linear(3, 2), [(3,), "x"]), TypeError,
         r"summary: input_size has an entry of the wrong type \(got \[\(3,\), 'x'\]\); expected the shape"),
        (lambda: summary(nn.Linear(3, 2), (3.0,)), TypeError,
         r"summary: input_size has an entry of the wrong type \(got \(3.0,\)\); expected the shape of one sample"),
        (lambda: summary(nn.Linear(3, 2), (3,), batch_size=0), ValueError,
         r"summary: batch_size is out of range \(got 0\); expected -1 \(one sample, shown as -1\) or an int >= 1"),
        (lambda: summary(nn.Linear(3, 2), (3,), batch_size=2.0), TypeError,
         r"summary: batch_size has the wrong type \(got float\); expected an int"),
        (lambda: summary(nn.Linear(3, 2), (3,), dtypes=[torch.float32] * 2), ValueError,
         r"summary: dtypes has the wrong length \(got \[torch.float32, torch.float32\]\); "
         r"expected a list of 1 torch.dtype, one per input, or None"),
        (lambda: summary(nn.Linear(3, 2), (3,), dtypes=torch.float32), TypeError,
         r"summary: dtypes has the wrong type \(got dtype\); expected a list of 1 torch.dtype"),
        (lambda: summary(nn.Linear(3, 2), (3,), dtypes=["float32"]), TypeError,
         r"summary: dtypes has an entry of the wrong type \(got \['float32'\]\); expected a list of 1 torch.dtype"),
        (lambda: count_macs(nn.Linear(3, 2), (3, -1)), ValueError,
         r"count_macs: input_size is out of range \(got \(3, -1\)\); expected sizes >= 1"),
        (lambda: count_macs(None, (3,)), TypeError,
         r"count_macs: model has the wrong type \(got NoneType\); expected a torch.nn.Module"),
    ],
)
def test_validation(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_forward_errors_propagate_and_hooks_are_removed():
    model = nn.Sequential(nn.Linear(3, 2))
    with pytest.raises(RuntimeError):
        summary(model, (4,))  # wrong feature size: torch's own error
    assert not model[0]._forward_hooks and model.training


def test_all():
    assert S.__all__ == ["Summary", "SummaryRow", "count_macs", "summary"]
