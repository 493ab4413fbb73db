r"""The worked example's experiments: the notes' phone-price pipeline, the corrected one, and each mistake alone.

The worked example trains a 20 → 64 → 128 → 4 multilayer perceptron on the synthetic
phone-price table of [make_phone_prices][dlref.data.make_phone_prices] (2,000 phones,
split 1,200 / 400 / 400 by [train_val_test_split][dlref.data.train_val_test_split],
stratified, seed 0). [phone_price_run][dlref.experiments.phone_price_run] trains one
configuration; [phone_price_diagnosis][dlref.experiments.phone_price_diagnosis] trains
the notes' configuration, the corrected one, and the corrected one with each of the
notes' five mistakes ([PHONE_MISTAKES][dlref.experiments.PHONE_MISTAKES]) put back,
one at a time, and reports each one's validation accuracy.

Everything is seeded (the global generator for the weights and dropout, a private one
for the shuffles) and runs on one thread; the caller's random state is left alone, and
the results are memoized. The corrected configuration is exactly the pipeline the
chapter writes out with [fit][dlref.train.fit], so the two give the same numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader, TensorDataset

from dlref._checks import check_bool, check_choice, check_int, check_real
from dlref.data import make_phone_prices, train_val_test_split
from dlref.lr_scheduler import CosineAnnealingLR
from dlref.norm import StandardScaler
from dlref.optim import SGD, AdamW
from dlref.train import History, evaluate, fit, train_one_epoch

__all__ = ["PHONE_MISTAKES", "PhoneDiagnosis", "PhonePriceRun", "phone_price_diagnosis", "phone_price_run"]

PHONE_MISTAKES: tuple[str, ...] = ("scaling", "dropout", "optimizer", "eval_mode", "epochs")
"""The notes' five mistakes, in the order the chapter examines them: unscaled features; dropout
$p = 0.9$; SGD with learning rate 0.1; testing in training mode; a fixed 20 epochs."""


_MAX_EPOCHS, _PATIENCE, _FIXED_EPOCHS = 25, 10, 20


class PhonePriceRun(NamedTuple):
    """One training run of [phone_price_run][dlref.experiments.phone_price_run]."""

    history: History
    """Losses and accuracies per epoch (validation after each epoch)."""
    model: nn.Module
    """The trained model (the best validation epoch's weights with early stopping, else the last)."""
    val_accuracy: float
    """Validation accuracy in eval mode (dropout off)."""
    val_accuracy_train_mode: float
    """Validation accuracy in training mode (dropout on, seeded), as the notes test."""
    diverged: bool
    """Whether the output layer's weights became NaN (training stops there: see phone_price_run)."""


class PhoneDiagnosis(NamedTuple):
    """What [phone_price_diagnosis][dlref.experiments.phone_price_diagnosis] returns: validation accuracies."""

    notes: float
    """The notes' pipeline, every mistake in (tested in training mode)."""
    corrected: float
    """The corrected pipeline."""
    put_back: dict[str, float]
    """For each of `PHONE_MISTAKES`, the corrected pipeline with that one mistake put back."""


class _PhoneMLP(nn.Module):
    """20 → 64 → 128 → 4 with ReLU, one dropout module applied after each hidden layer (before or after its ReLU)."""

    def __init__(self, p: float, before_relu: bool) -> None:
        super().__init__()
        self.layer1, self.layer2, self.layer3 = nn.Linear(20, 64), nn.Linear(64, 128), nn.Linear(128, 4)
        self.dropout = nn.Dropout(p)
        self.before_relu = before_relu

    def forward(self, x: Tensor) -> Tensor:
        for layer in (self.layer1, self.layer2):
            x = layer(x)
            x = torch.relu(self.dropout(x)) if self.before_relu else self.dropout(torch.relu(x))
        logits: Tensor = self.layer3(x)  # (N, 4)
        return logits


@contextmanager
def _seeded_one_thread(seed: int) -> Iterator[None]:
    """Seed the global generator (weights, dropout) on one thread; restore the caller's state and threads after."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            yield
    finally:
        torch.set_num_threads(threads)


@functools.cache
def _splits() -> tuple[tuple[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """The training and validation splits of the default twin (the test split stays unread here)."""
    X, y, _ = make_phone_prices()
    train, val, _test = train_val_test_split(X, y, seed=0)
    return train, val


def _diverged(model: _PhoneMLP) -> bool:
    # NaN weights in the output layer give NaN logits for every input (NaN · 0 is NaN), hence a NaN loss and
    # NaN gradients for that layer: no later step of SGD or AdamW can make them finite again.
    return bool(model.layer3.weight.isnan().all())


@functools.cache
def phone_price_run(scaled: bool = True, dropout: float = 0.2, dropout_before_relu: bool = False,
                    optimizer: str = "adamw", early_stopping: bool = True, batch_size: int = 64, seed: int = 0
                    ) -> PhonePriceRun:
    r"""Train the phone-price MLP in one configuration and measure it on the validation split.

    The data: the training and validation splits (1,200 and 400 phones) of the default
    twin, [StandardScaler][dlref.norm.StandardScaler]-scaled with statistics fitted on the
    training split if `scaled`. The model: 20 → 64 → 128 → 4, ReLU, one
    ``nn.Dropout(dropout)`` applied after each hidden layer, before its ReLU (as the notes)
    or after it, PyTorch's default initialization (seeded by `seed`). The loss:
    ``nn.CrossEntropyLoss()``. The optimizer:

    - ``"adamw"``: [AdamW][dlref.optim.AdamW] (lr $3 \cdot 10^{-3}$, weight decay 0.01),
      [CosineAnnealingLR][dlref.lr_scheduler.CosineAnnealingLR] with $T_{max} = 25$ epochs;
    - ``"sgd"``: [SGD][dlref.optim.SGD] with lr 0.1 and no schedule, as the notes.

    Training batches of `batch_size` (the notes use 8), shuffled by a generator seeded by
    `seed`. With `early_stopping`, up to 25 epochs through [fit][dlref.train.fit] with
    patience 10 on the validation loss, the best epoch's weights restored; otherwise
    exactly 20 epochs, as the notes, and the last weights.
    A fixed-length run stops early once every weight of the output layer is NaN:
    from then on every output is NaN, and so is every later loss, gradient and update of
    that layer, so the remaining epochs could not change a prediction
    (`diverged` is then True).

    Args:
        scaled: Standardize the features (fitted on the training split). Defaults to True.
        dropout: The dropout probability, in $[0, 1)$. Defaults to 0.2.
        dropout_before_relu: Apply dropout before each ReLU (the notes) instead of after.
            Defaults to False.
        optimizer: ``"adamw"`` or ``"sgd"``. Defaults to ``"adamw"``.
        early_stopping: Early stopping (at most 25 epochs) instead of a fixed 20. Defaults to True.
        batch_size: The training batch size. Defaults to 64.
        seed: The seed of the weights, the dropout masks and the shuffles. Defaults to 0.

    Returns:
        A `PhonePriceRun`: the history, the model, the
        validation accuracy in eval and in training mode, and whether training diverged.
        Memoized: the same arguments return the same object.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If `dropout` is outside $[0, 1)$, `optimizer` is not one of the two, `batch_size` < 1
            or `seed` < 0.

    Examples:
        >>> from dlref.experiments import phone_price_run
        >>> run = phone_price_run()
        >>> run.history.epochs, run.history.best_epoch, round(run.val_accuracy, 4)
        (22, 12, 0.8825)
        >>> notes = phone_price_run(False, 0.9, True, "sgd", False, batch_size=8)
        >>> notes.diverged, notes.history.epochs, notes.val_accuracy
        (True, 1, 0.25)
    """
    fn = "phone_price_run"
    scaled = check_bool(fn, "scaled", scaled)
    p = check_real(fn, "dropout", dropout, low=0, high=1, high_open=True)
    before_relu = check_bool(fn, "dropout_before_relu", dropout_before_relu)
    optimizer = check_choice(fn, "optimizer", optimizer, ("adamw", "sgd"))
    early_stopping = check_bool(fn, "early_stopping", early_stopping)
    batch_size = check_int(fn, "batch_size", batch_size, low=1)
    seed = check_int(fn, "seed", seed, low=0)
    (X_train, y_train), (X_val, y_val) = _splits()
    if scaled:
        # x' = (x − μ_train) / σ_train: the statistics come from the training split only
        scaler = StandardScaler().fit(X_train)
        X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(TensorDataset(X_val, y_val), batch_size=len(y_val))
    loss_fn = nn.CrossEntropyLoss()
    with _seeded_one_thread(seed):
        model = _PhoneMLP(p, before_relu)
        if optimizer == "adamw":
            opt: torch.optim.Optimizer = AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
            scheduler: CosineAnnealingLR | None = CosineAnnealingLR(opt, T_max=_MAX_EPOCHS)
        else:
            opt, scheduler = SGD(model.parameters(), lr=0.1), None
        if early_stopping:
            history = fit(model, train_loader, val_loader, loss_fn, opt, _MAX_EPOCHS, scheduler,
                          early_stopping_patience=_PATIENCE)
        else:
            history = History()
            for _ in range(_FIXED_EPOCHS):
                history.lr.append(opt.param_groups[0]["lr"])
                history.train_loss.append(train_one_epoch(model, train_loader, loss_fn, opt))
                if scheduler is not None:
                    scheduler.step()
                result = evaluate(model, val_loader, loss_fn)
                history.val_loss.append(float("nan") if result.loss is None else result.loss)
                history.val_accuracy.append(result.accuracy)
                if _diverged(model):
                    break
        accuracy = evaluate(model, val_loader).accuracy
        # the notes' test: the model in training mode, dropout on (its masks drawn from the seeded generator)
        torch.manual_seed(seed)
        model.train()
        with torch.no_grad():
            train_mode = (model(X_val).argmax(dim=1) == y_val).double().mean().item()
    return PhonePriceRun(history, model, accuracy, train_mode, _diverged(model))


# The corrected configuration, and each mistake of the notes as the change it makes to it.
_CORRECTED: dict[str, object] = {"scaled": True, "dropout": 0.2, "dropout_before_relu": False, "optimizer": "adamw",
                                 "early_stopping": True}
_MISTAKE_CHANGES: dict[str, dict[str, object]] = {
    "scaling": {"scaled": False},
    "dropout": {"dropout": 0.9, "dropout_before_relu": True},
    "optimizer": {"optimizer": "sgd"},
    "eval_mode": {},  # the same run, tested in training mode
    "epochs": {"early_stopping": False},
}


def phone_price_diagnosis() -> PhoneDiagnosis:
    r"""Validation accuracy of the notes' pipeline, the corrected one, and the corrected one with each mistake put back.

    Each configuration is a [phone_price_run][dlref.experiments.phone_price_run]. The
    notes' pipeline has unscaled features, dropout 0.9 before each ReLU, SGD with lr 0.1,
    a fixed 20 epochs and batches of 8, and is tested in training mode. The corrected one scales the
    features, uses dropout 0.2 after each ReLU, AdamW with a cosine schedule, early
    stopping, batches of 64, and tests in eval mode. Putting back one mistake changes only that:

    - ``"scaling"``: unscaled features;
    - ``"dropout"``: dropout 0.9 before each ReLU;
    - ``"optimizer"``: SGD, lr 0.1, no schedule;
    - ``"eval_mode"``: the corrected model, tested in training mode;
    - ``"epochs"``: a fixed 20 epochs, keeping the last weights (the corrected run read after
      epoch 20: training is the same up to there, early stopping only decides when to stop
      and which weights to keep).

    Returns:
        A `PhoneDiagnosis` of validation accuracies.

    Examples:
        >>> from dlref.experiments import phone_price_diagnosis
        >>> d = phone_price_diagnosis()
        >>> d.notes, round(d.corrected, 4)
        (0.25, 0.8825)
        >>> {k: round(v, 4) for k, v in d.put_back.items()}
        {'scaling': 0.58, 'dropout': 0.7, 'optimizer': 0.8925, 'eval_mode': 0.835, 'epochs': 0.89}
    """
    notes_config = {**_CORRECTED, "batch_size": 8}
    for change in _MISTAKE_CHANGES.values():
        notes_config.update(change)
    notes = phone_price_run(**notes_config)
    corrected = phone_price_run(**_CORRECTED)
    put_back: dict[str, float] = {}
    for mistake in PHONE_MISTAKES:
        if mistake == "eval_mode":
            put_back[mistake] = corrected.val_accuracy_train_mode
        elif mistake == "epochs" and corrected.history.epochs >= _FIXED_EPOCHS:
            # a fixed-length run is the same run up to its last epoch: read it off the history
            put_back[mistake] = corrected.history.val_accuracy[_FIXED_EPOCHS - 1]
        else:
            put_back[mistake] = phone_price_run(**{**_CORRECTED, **_MISTAKE_CHANGES[mistake]}).val_accuracy
    return PhoneDiagnosis(notes.val_accuracy_train_mode, corrected.val_accuracy, put_back)
