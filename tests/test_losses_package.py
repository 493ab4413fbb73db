"""The dlref.losses package: where each loss lives, the import paths kept for compatibility, shared behaviour."""

from __future__ import annotations

import importlib
import re

import pytest
import torch
import torch.nn.functional as F

import dlref
from dlref import boxes, losses
from dlref.losses import dense_detection, focal

DT = torch.float64

# family module -> the losses it defines (the map in dlref.losses' docstring)
FAMILIES = {
    "regression": ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"],
    "cross_entropy_family": [
        "binary_cross_entropy", "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy", "kl_div",
    ],
    "focal": ["sigmoid_focal_loss", "softmax_focal_loss"],
    "hinge": ["hinge_embedding_loss", "hinge_loss"],
    "segmentation": ["dice_loss"],
    "metric_learning": ["contrastive_loss"],
    "dense_detection": ["generalized_box_iou_loss", "quality_focal_loss", "varifocal_loss", "distribution_focal_loss"],
    "ctc": ["ctc_loss"],
}
# the names the two modules of earlier versions exported, which must stay importable from them
CLASSIFICATION = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "hinge_embedding_loss",
                  "hinge_loss", "kl_div", "nll_loss", "sigmoid_focal_loss", "softmax_focal_loss"]
DETECTION = ["box_iou", "contrastive_loss", "dice_loss", "distribution_focal_loss", "generalized_box_iou",
             "generalized_box_iou_loss", "quality_focal_loss", "varifocal_loss"]


@pytest.mark.parametrize("family", FAMILIES)
def test_each_loss_lives_in_its_family_module(family: str) -> None:
    module = importlib.import_module(f"dlref.losses.{family}")
    assert sorted(module.__all__) == sorted(FAMILIES[family])
    for name in FAMILIES[family]:
        assert getattr(losses, name) is getattr(module, name)
        assert getattr(module, name).__module__ == f"dlref.losses.{family}"


def test_the_package_exports_every_loss_once_in_learning_order() -> None:
    assert losses.__all__ == [name for names in FAMILIES.values() for name in names]


def test_box_functions_live_in_dlref_boxes_and_stay_importable_from_losses() -> None:
    assert boxes.__all__ == ["box_iou", "generalized_box_iou"]
    assert "boxes" in dlref.__all__ and dlref.boxes is boxes
    from dlref.losses import box_iou, generalized_box_iou

    assert box_iou is boxes.box_iou and generalized_box_iou is boxes.generalized_box_iou
    assert "box_iou" not in losses.__all__  # not losses: the API reference lists them under dlref.boxes


def test_earlier_import_paths_keep_working() -> None:
    from dlref.losses import classification, detection
    from dlref.losses.classification import cross_entropy
    from dlref.losses.detection import box_iou, dice_loss

    assert cross_entropy is losses.cross_entropy and dice_loss is losses.dice_loss and box_iou is boxes.box_iou
    assert sorted(classification.__all__) == CLASSIFICATION
    assert sorted(detection.__all__) == DETECTION
    for name in CLASSIFICATION:
        assert getattr(classification, name) is getattr(losses, name)
    for name in DETECTION:
        assert getattr(detection, name) is getattr(boxes if name in boxes.__all__ else losses, name)


# --------------------------------------------------------------------------- shared behaviour


V = torch.tensor([0.25, 0.75], dtype=DT)
B = torch.tensor([[0.0, 0.0, 1.0, 1.0]], dtype=DT)
# one valid call per loss, with the reduction left to the test
CALLS = {
    "mse_loss": lambda r: losses.mse_loss(V, V, reduction=r),
    "l1_loss": lambda r: losses.l1_loss(V, V, reduction=r),
    "smooth_l1_loss": lambda r: losses.smooth_l1_loss(V, V, reduction=r),
    "huber_loss": lambda r: losses.huber_loss(V, V, reduction=r),
    "binary_cross_entropy": lambda r: losses.binary_cross_entropy(V, V, reduction=r),
    "binary_cross_entropy_with_logits": lambda r: losses.binary_cross_entropy_with_logits(V, V, reduction=r),
    "nll_loss": lambda r: losses.nll_loss(V.view(1, 2), torch.tensor([1]), reduction=r),
    "cross_entropy": lambda r: losses.cross_entropy(V.view(1, 2), torch.tensor([1]), reduction=r),
    "kl_div": lambda r: losses.kl_div(V.log(), V, reduction=r),
    "sigmoid_focal_loss": lambda r: losses.sigmoid_focal_loss(V, V, reduction=r),
    "softmax_focal_loss": lambda r: losses.softmax_focal_loss(V.view(1, 2), torch.tensor([1]), reduction=r),
    "hinge_embedding_loss": lambda r: losses.hinge_embedding_loss(V, torch.tensor([1, -1]), reduction=r),
    "hinge_loss": lambda r: losses.hinge_loss(V, torch.tensor([1, -1]), reduction=r),
    "dice_loss": lambda r: losses.dice_loss(V.view(1, 2), V.view(1, 2), reduction=r),
    "contrastive_loss": lambda r: losses.contrastive_loss(V, torch.tensor([1, 0]), reduction=r),
    "generalized_box_iou_loss": lambda r: losses.generalized_box_iou_loss(B, B, reduction=r),
    "quality_focal_loss": lambda r: losses.quality_focal_loss(V, V, reduction=r),
    "varifocal_loss": lambda r: losses.varifocal_loss(V, V, reduction=r),
    "distribution_focal_loss": lambda r: losses.distribution_focal_loss(V.view(1, 2), V[:1], reduction=r),
    "ctc_loss": lambda r: losses.ctc_loss(V.view(1, 1, 2).log(), torch.tensor([[1]]), (1,), (1,), reduction=r),
}


def test_every_loss_has_a_call_here() -> None:
    assert sorted(CALLS) == sorted(losses.__all__)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_invalid_reduction(name: str) -> None:
    allowed = "'none', 'batchmean', 'mean', 'sum'" if name == "kl_div" else "'none', 'mean', 'sum'"
    message = f"{name}: reduction is not a valid choice (got 'avg'); expected one of {allowed}"
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        CALLS[name]("avg")
    for reduction in ("none", "mean", "sum"):
        assert torch.isfinite(CALLS[name](reduction)).all()


def test_never_calls_the_torch_counterparts(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("dlref called a torch loss or log_softmax")

    for name in ("cross_entropy", "nll_loss", "log_softmax", "softmax", "binary_cross_entropy",
                 "binary_cross_entropy_with_logits", "kl_div", "hinge_embedding_loss", "logsigmoid", "mse_loss",
                 "l1_loss", "smooth_l1_loss", "huber_loss"):
        monkeypatch.setattr(F, name, forbidden)
    for name in ("log_softmax", "softmax", "kl_div", "binary_cross_entropy_with_logits", "nll_loss"):
        monkeypatch.setattr(torch, name, forbidden, raising=False)
    monkeypatch.setattr(torch.Tensor, "log_softmax", forbidden)
    monkeypatch.setattr(torch.Tensor, "softmax", forbidden)
    x, t = torch.randn(4, 3, dtype=DT, generator=torch.Generator().manual_seed(59)).requires_grad_(), torch.tensor(
        [0, 2, 1, -100])
    probs = torch.full((4, 3), 1 / 3, dtype=DT)
    L = losses
    values = [
        L.cross_entropy(x, t), L.cross_entropy(x, t, label_smoothing=0.1), L.cross_entropy(x, probs),
        L.nll_loss(x, t), L.softmax_focal_loss(x, t), L.sigmoid_focal_loss(x, probs),
        L.binary_cross_entropy(probs, probs), L.binary_cross_entropy_with_logits(x, probs, pos_weight=probs[0]),
        L.kl_div(x, probs), L.hinge_embedding_loss(x, torch.ones(4, 3)), L.hinge_loss(x, -torch.ones(4, 3)),
        L.quality_focal_loss(x, probs), L.varifocal_loss(x, probs), L.distribution_focal_loss(x, probs[:, 0]),
        *(CALLS[name]("sum") for name in CALLS),
    ]
    torch.stack([v.sum() for v in values]).sum().backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize(("module", "call"), [
    (focal, lambda: losses.sigmoid_focal_loss(V, V)),
    (dense_detection, lambda: losses.quality_focal_loss(V, V)),
    (dense_detection, lambda: losses.varifocal_loss(V, V)),
])
def test_losses_on_logits_share_the_one_bce_with_logits(monkeypatch: pytest.MonkeyPatch, module, call) -> None:
    """The focal losses do not carry their own BCE: they call binary_cross_entropy_with_logits."""
    seen = []

    def spy(*args, **kwargs):
        seen.append(kwargs.get("reduction"))
        return losses.binary_cross_entropy_with_logits(*args, **kwargs)

    monkeypatch.setattr(module, "binary_cross_entropy_with_logits", spy)
    call()
    assert seen == ["none"]
