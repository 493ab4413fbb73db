r"""A small training loop: one epoch of training, evaluation, `fit` with early stopping, and saving weights.

The whole of supervised training is four lines repeated for every batch, and this module
writes them out once:

$$
\hat y = f_\theta(x), \qquad L = \ell(\hat y, y), \qquad g = \nabla_\theta L, \qquad
\theta \leftarrow \text{step}(\theta, g)
$$

(forward, loss, backward, update: ``optimizer.zero_grad()`` comes first, because torch
adds new gradients to the old ones). Around them, the three habits the worked example
is about:

- **Evaluate in eval mode, without a graph.** [evaluate][dlref.train.evaluate] calls
  ``model.eval()`` (dropout off, batch normalization on its running statistics) and runs
  under `torch.no_grad`, then gives every module back the mode it had.
- **Watch a validation set, keep the best weights.** [fit][dlref.train.fit] evaluates
  after each epoch, remembers the weights of the lowest validation loss, stops when the
  loss has not improved for `early_stopping_patience` epochs, and puts the best weights
  back.
- **Save weights, not objects.** [save_state][dlref.train.save_state] writes the
  ``state_dict`` (a dictionary of tensors); [load_state][dlref.train.load_state] reads it
  with ``torch.load(..., weights_only=True)``, which unpickles tensors and plain
  containers only and so cannot run code hidden in a file, into a freshly built model.

The loops take any iterable of ``(inputs, targets)`` batches, typically a
`torch.utils.data.DataLoader` over a `TensorDataset`, any loss with ``reduction="mean"``
(such as `torch.nn.CrossEntropyLoss` or `dlref.losses.cross_entropy`), and any
`torch.optim.Optimizer` (dlref's optimizers are ones). The models are classifiers: the
prediction is the arg max of the output over dim 1.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

import torch
from torch import Tensor, nn

from dlref._checks import check_bool, check_int, fail, fail_type, message
from dlref.metrics import accuracy

__all__ = ["Evaluation", "History", "evaluate", "fit", "load_state", "save_state", "train_one_epoch"]

LossFn = Callable[[Tensor, Tensor], Tensor]


class _Scheduler(Protocol):
    def step(self) -> None: ...


# --------------------------------------------------------------------------- checks


def _check_common(fn: str, model: object, loss_fn: object = None, optimizer: object = None) -> None:
    if not isinstance(model, nn.Module):
        fail_type(fn, "model", model, "expected a torch.nn.Module")
    if loss_fn is not None and not callable(loss_fn):
        fail_type(fn, "loss_fn", loss_fn, "expected a loss, such as torch.nn.CrossEntropyLoss()")
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        fail_type(fn, "optimizer", optimizer, "expected a torch.optim.Optimizer")


def _batches(fn: str, name: str, loader: object) -> Iterator[tuple[Tensor, Tensor]]:
    """The (inputs, targets) pairs of `loader`, each checked; ValueError if there are none."""
    if not isinstance(loader, Iterable):
        fail_type(fn, name, loader, "expected an iterable of (inputs, targets) batches, such as a DataLoader")
    count = 0
    for batch in loader:
        if (not isinstance(batch, (tuple, list)) or len(batch) != 2
                or not all(isinstance(t, Tensor) for t in batch)):
            raise TypeError(message(fn, name, "gave a batch of the wrong type", type(batch).__name__,
                                    "expected (inputs, targets), a pair of tensors"))
        x, y = batch
        if len(x) != len(y):
            fail(fn, name, "gave a batch of mismatched sizes", f"{len(x)} inputs and {len(y)} targets",
                 "expected one target per input")
        count += 1
        yield x, y
    if count == 0:
        fail(fn, name, "is empty", "no batches", "expected at least one batch")


# --------------------------------------------------------------------------- one epoch, evaluation


def train_one_epoch(model: nn.Module, loader: Iterable[tuple[Tensor, Tensor]], loss_fn: LossFn,
                    optimizer: torch.optim.Optimizer) -> float:
    r"""Train for one pass over `loader` and return the epoch's mean training loss.

    For each batch $B$: clear the gradients, forward, loss, backward, update. The value
    returned weighs each batch by its size, so a short last batch counts for what it is:

    $$
    \bar L = \frac{\sum_B |B|\, L_B}{\sum_B |B|}
    $$

    where $L_B$ is the batch's mean loss. It is measured *while* the weights change and
    with dropout on, so it is not the loss of the final model; compare models with
    [evaluate][dlref.train.evaluate].

    Args:
        model: The model; it is put in training mode (``model.train()``).
        loader: Batches ``(inputs, targets)``, such as a `torch.utils.data.DataLoader`.
        loss_fn: ``loss_fn(output, targets)``, the batch's mean loss.
        optimizer: The optimizer of the model's parameters.

    Returns:
        The mean training loss over the epoch's samples.

    Raises:
        TypeError: If `model` is not a module, `loss_fn` not callable, `optimizer` not an
            optimizer, `loader` not iterable or a batch not a pair of tensors.
        ValueError: If `loader` has no batches, or a batch has more inputs than targets or fewer.

    Torch counterpart: none; the loop of the PyTorch tutorial "Optimizing Model Parameters".

    References:
        - PyTorch tutorials, [Optimizing Model Parameters](https://pytorch.org/tutorials/beginner/basics/optimization_tutorial.html).

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from torch.utils.data import DataLoader, TensorDataset
        >>> from dlref.train import train_one_epoch
        >>> g = torch.Generator().manual_seed(0)
        >>> X = torch.randn(64, 2, generator=g)
        >>> loader = DataLoader(TensorDataset(X, (X[:, 0] > 0).long()), batch_size=16)
        >>> model = nn.Linear(2, 2)
        >>> with torch.no_grad():
        ...     _ = model.weight.zero_(), model.bias.zero_()
        >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        >>> [round(train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer), 4) for _ in range(3)]
        [0.5611, 0.3627, 0.2914]
    """
    fn = "train_one_epoch"
    _check_common(fn, model, loss_fn, optimizer)
    model.train()  # dropout on, batch normalization on batch statistics
    total, count = 0.0, 0
    for x, y in _batches(fn, "loader", loader):
        optimizer.zero_grad()  # torch adds gradients up: clear the last batch's
        output = model(x)  # forward
        loss = loss_fn(output, y)  # L_B, the batch's mean loss
        # g = ∇_θ L_B (torch's Tensor.backward has no type hints: hence the ignore)
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()  # θ ← step(θ, g)
        # Σ_B |B| L_B and Σ_B |B|
        total += loss.item() * len(y)
        count += len(y)
    return total / count


class Evaluation(NamedTuple):
    """What [evaluate][dlref.train.evaluate] returns."""

    loss: float | None
    """The mean loss over the samples, or None if no `loss_fn` was given."""
    accuracy: float
    """The fraction of samples whose arg max output is the target."""
    predictions: Tensor
    """The predicted class of each sample, int64, in the loader's order."""
    targets: Tensor
    """The targets, in the same order (a shuffling loader changes it from one call to the next)."""


def evaluate(model: nn.Module, loader: Iterable[tuple[Tensor, Tensor]], loss_fn: LossFn | None = None) -> Evaluation:
    r"""The model's mean loss, accuracy and predictions on `loader`, in eval mode and without gradients.

    $$
    \bar L = \frac{\sum_B |B|\, L_B}{\sum_B |B|}, \qquad
    \hat y_n = \arg\max_c f_\theta(x_n)_c, \qquad
    \text{accuracy} = \frac{1}{N}\sum_n [\hat y_n = y_n]
    $$

    ``model.eval()`` switches dropout off and makes batch normalization use its running
    statistics, so the same input always gives the same output; `torch.no_grad` builds no
    graph, which saves memory and time. Afterwards every submodule gets back the training
    flag it had before the call, even if the call raises.

    Args:
        model: A classifier whose output has the classes along dim 1.
        loader: Batches ``(inputs, targets)`` with class-index targets.
        loss_fn: ``loss_fn(output, targets)``, the batch's mean loss. Defaults to None (no loss).

    Returns:
        An [Evaluation][dlref.train.Evaluation] ``(loss, accuracy, predictions, targets)``.

    Raises:
        TypeError: If `model` is not a module, `loss_fn` not callable, `loader` not iterable
            or a batch not a pair of tensors.
        ValueError: If `loader` has no batches, or a batch has more inputs than targets or fewer.

    Torch counterpart: none; the test loop of the PyTorch tutorial "Optimizing Model Parameters".

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from torch.utils.data import DataLoader, TensorDataset
        >>> from dlref.train import evaluate
        >>> model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
        >>> with torch.no_grad():
        ...     _ = model[0].weight.copy_(torch.eye(2)), model[0].bias.zero_()
        >>> loader = DataLoader(TensorDataset(torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 1.0]]),
        ...                                   torch.tensor([0, 1, 1])))
        >>> result = evaluate(model, loader, nn.CrossEntropyLoss())
        >>> round(result.loss, 4), round(result.accuracy, 4), result.predictions.tolist()
        (0.8557, 0.6667, [0, 1, 0])
        >>> model.training  # the mode it had before
        True
    """
    fn = "evaluate"
    _check_common(fn, model, loss_fn)
    modes = [module.training for module in model.modules()]
    model.eval()  # dropout off, batch normalization on running statistics
    try:
        total, count = 0.0, 0
        predictions, targets = [], []
        with torch.no_grad():  # no graph: nothing here is differentiated
            for x, y in _batches(fn, "loader", loader):
                output = model(x)  # (B, C)
                if loss_fn is not None:
                    total += loss_fn(output, y).item() * len(y)
                count += len(y)
                # ŷ_n = argmax_c f(x_n)_c
                predictions.append(output.argmax(dim=1))
                targets.append(y)
    finally:
        for module, mode in zip(model.modules(), modes, strict=True):
            module.training = mode
    y_pred, y_true = torch.cat(predictions), torch.cat(targets)
    return Evaluation(None if loss_fn is None else total / count, accuracy(y_true, y_pred), y_pred, y_true)


# --------------------------------------------------------------------------- fit


@dataclass
class History:
    """What [fit][dlref.train.fit] returns: one entry per epoch run, and where the best one was.

    Entry ``i`` of each list belongs to epoch ``i + 1``.
    """

    train_loss: list[float] = field(default_factory=list)
    """The mean training loss of each epoch (as [train_one_epoch][dlref.train.train_one_epoch] measures it)."""
    val_loss: list[float] = field(default_factory=list)
    """The validation loss after each epoch (empty without a validation loader)."""
    val_accuracy: list[float] = field(default_factory=list)
    """The validation accuracy after each epoch (empty without a validation loader)."""
    lr: list[float] = field(default_factory=list)
    """The learning rate of the first parameter group during each epoch."""
    best_epoch: int | None = None
    """The epoch (counted from 1) with the lowest validation loss, or None without validation."""
    stopped_early: bool = False
    """Whether early stopping ended training before `epochs`."""

    @property
    def epochs(self) -> int:
        """The number of epochs run."""
        return len(self.train_loss)


def fit(model: nn.Module, train_loader: Iterable[tuple[Tensor, Tensor]],
        val_loader: Iterable[tuple[Tensor, Tensor]] | None, loss_fn: LossFn, optimizer: torch.optim.Optimizer,
        epochs: int, scheduler: _Scheduler | None = None, early_stopping_patience: int | None = None,
        restore_best: bool = True) -> History:
    r"""Train for up to `epochs` epochs, evaluating on `val_loader` after each; optionally stop early.

    Each epoch: [train_one_epoch][dlref.train.train_one_epoch], then ``scheduler.step()``
    (once per epoch), then [evaluate][dlref.train.evaluate] on `val_loader`. The epoch is
    an improvement when its validation loss is strictly below the best so far; the weights
    of that epoch are copied (a snapshot of the ``state_dict``). With
    `early_stopping_patience` $= p$, training stops after $p$ epochs in a row without
    improvement. At the end, if `restore_best`, the model gets the snapshot back, so it is
    the model of [History.best_epoch][dlref.train.History.best_epoch], not of the last
    epoch (the optimizer and scheduler keep their last state).

    Without `val_loader` there is no validation, no snapshot and no early stopping: the
    model is the one after the last epoch.

    Args:
        model: The model to train.
        train_loader: Training batches ``(inputs, targets)``.
        val_loader: Validation batches, or None.
        loss_fn: ``loss_fn(output, targets)``, the batch's mean loss.
        optimizer: The optimizer of the model's parameters.
        epochs: The most epochs to run (at least 1).
        scheduler: A learning-rate scheduler stepped once per epoch with no argument, such as
            `dlref.lr_scheduler.CosineAnnealingLR` (`ReduceLROnPlateau`, which needs the
            loss, is not supported). Defaults to None.
        early_stopping_patience: Stop after this many epochs without a lower validation
            loss. Defaults to None (run every epoch).
        restore_best: Load the weights of the best validation epoch at the end. Defaults to True.

    Returns:
        The [History][dlref.train.History] of losses, accuracies and learning rates.

    Raises:
        TypeError: If an argument has the wrong type (see also
            [train_one_epoch][dlref.train.train_one_epoch]).
        ValueError: If `epochs` or `early_stopping_patience` < 1, early stopping is asked
            without `val_loader`, or a loader is empty.

    Torch counterpart: none; early stopping as in Keras' ``EarlyStopping(patience=...,
    restore_best_weights=True)`` and PyTorch Lightning's ``EarlyStopping``.

    References:
        - Prechelt, [Early Stopping — But When?](https://doi.org/10.1007/978-3-642-35289-8_5),
          Neural Networks: Tricks of the Trade, 2012.

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> from torch.utils.data import DataLoader, TensorDataset
        >>> from dlref.train import fit
        >>> g = torch.Generator().manual_seed(0)
        >>> X = torch.randn(96, 2, generator=g)
        >>> y = (X[:, 0] + 0.5 * torch.randn(96, generator=g) > 0).long()  # noisy labels
        >>> train = DataLoader(TensorDataset(X[:64], y[:64]), batch_size=16)
        >>> val = DataLoader(TensorDataset(X[64:], y[64:]), batch_size=32)
        >>> model = nn.Linear(2, 2)
        >>> with torch.no_grad():
        ...     _ = model.weight.zero_(), model.bias.zero_()
        >>> optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        >>> history = fit(model, train, val, nn.CrossEntropyLoss(), optimizer, epochs=20, early_stopping_patience=3)
        >>> history.epochs, history.best_epoch, history.stopped_early
        (7, 4, True)
        >>> [round(v, 3) for v in history.train_loss]  # keeps falling
        [0.524, 0.322, 0.275, 0.253, 0.24, 0.231, 0.224]
        >>> [round(v, 3) for v in history.val_loss]  # lowest at epoch 4, then 3 epochs without improvement
        [0.42, 0.394, 0.389, 0.388, 0.389, 0.391, 0.393]
    """
    fn = "fit"
    _check_common(fn, model, loss_fn, optimizer)
    epochs = check_int(fn, "epochs", epochs, low=1)
    if early_stopping_patience is not None:
        early_stopping_patience = check_int(fn, "early_stopping_patience", early_stopping_patience, low=1)
        if val_loader is None:
            fail(fn, "early_stopping_patience", "needs a validation set", early_stopping_patience,
                 "expected a val_loader, or early_stopping_patience=None")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        fail_type(fn, "scheduler", scheduler, "expected a learning-rate scheduler with a step() method")
    restore_best = check_bool(fn, "restore_best", restore_best)

    history = History()
    best_loss = math.inf
    best_state: dict[str, Tensor] | None = None
    epochs_without_improvement = 0
    for epoch in range(1, epochs + 1):
        history.lr.append(optimizer.param_groups[0]["lr"])
        history.train_loss.append(train_one_epoch(model, train_loader, loss_fn, optimizer))
        if scheduler is not None:
            scheduler.step()
        if val_loader is None:
            continue
        result = evaluate(model, val_loader, loss_fn)
        val_loss = math.nan if result.loss is None else result.loss  # never None: loss_fn is given
        history.val_loss.append(val_loss)
        history.val_accuracy.append(result.accuracy)
        if val_loss < best_loss:  # strictly lower: an improvement (NaN never is)
            best_loss, history.best_epoch, epochs_without_improvement = val_loss, epoch, 0
            # a copy, not a reference: the live tensors keep changing in later epochs
            best_state = {name: value.detach().clone() for name, value in model.state_dict().items()}
        else:
            epochs_without_improvement += 1
            if early_stopping_patience is not None and epochs_without_improvement >= early_stopping_patience:
                history.stopped_early = True
                break
    if restore_best and best_state is not None:
        model.load_state_dict(best_state)
    return history


# --------------------------------------------------------------------------- saving


def _check_path(fn: str, path: object) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        fail_type(fn, "path", path, "expected a str or a pathlib.Path")
    return Path(path)


def save_state(model: nn.Module, path: str | os.PathLike[str]) -> None:
    r"""Save the model's ``state_dict`` (its parameters and buffers, by name) to `path`.

    Only tensors are written, not the model's class or code: to load them, build the same
    architecture and call [load_state][dlref.train.load_state].

    Args:
        model: The model.
        path: The file to write (overwritten if it exists).

    Raises:
        TypeError: If `model` is not a module or `path` not a str or a path.

    Torch counterpart: ``torch.save(model.state_dict(), path)``.

    References:
        - PyTorch tutorials, [Saving and Loading Models](https://pytorch.org/tutorials/beginner/saving_loading_models.html).

    Examples:
        >>> import tempfile, pathlib, torch
        >>> from torch import nn
        >>> from dlref.train import save_state
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.pt"
        >>> save_state(nn.Linear(2, 3), path)
        >>> sorted(torch.load(path, weights_only=True))
        ['bias', 'weight']
    """
    fn = "save_state"
    _check_common(fn, model)
    torch.save(model.state_dict(), _check_path(fn, path))


def load_state(model: nn.Module, path: str | os.PathLike[str]) -> nn.Module:
    r"""Load a ``state_dict`` saved by [save_state][dlref.train.save_state] into `model`, safely, and return it.

    ``torch.load(path, weights_only=True)`` unpickles only tensors and plain containers,
    so a file from elsewhere cannot run code on load (torch 2.6 made it the default;
    the notes' call without it warns on older versions). `model` must have the saved
    architecture: every key must match, and every shape (``load_state_dict`` with
    ``strict=True`` raises otherwise). The tensors are loaded onto the CPU, then copied
    into the model's own parameters, on the model's device.

    Args:
        model: A freshly built model of the saved architecture.
        path: The file written by `save_state` (or by ``torch.save(model.state_dict(), path)``).

    Returns:
        `model`, with the saved weights.

    Raises:
        TypeError: If `model` is not a module or `path` not a str or a path.
        FileNotFoundError: If `path` is not a file.
        RuntimeError: From ``load_state_dict`` if keys or shapes do not match.
        pickle.UnpicklingError: From ``torch.load`` if the file holds more than weights.

    Torch counterpart: ``model.load_state_dict(torch.load(path, weights_only=True))``.

    Examples:
        >>> import tempfile, pathlib, torch
        >>> from torch import nn
        >>> from dlref.train import load_state, save_state
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.pt"
        >>> trained = nn.Linear(2, 3)
        >>> save_state(trained, path)
        >>> fresh = load_state(nn.Linear(2, 3), path)
        >>> x = torch.ones(1, 2)
        >>> torch.equal(fresh(x), trained(x))
        True
    """
    fn = "load_state"
    _check_common(fn, model)
    file = _check_path(fn, path)
    if not file.is_file():
        raise FileNotFoundError(message(fn, "path", "is not a file", repr(str(file)),
                                        "expected a file written by save_state"))
    state = torch.load(file, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    return model
