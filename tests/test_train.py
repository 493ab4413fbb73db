"""dlref.train: one epoch lowers the loss, evaluate restores the mode, early stopping restores the best, save/load."""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.nn import functional as F
from torch.testing import assert_close
from torch.utils.data import DataLoader, TensorDataset

import dlref.losses
import dlref.lr_scheduler
import dlref.optim
from dlref import metrics
from dlref.train import Evaluation, History, evaluate, fit, load_state, save_state, train_one_epoch

from .torch_reference import gen


def blobs(n: int, seed: int, noise: float = 0.3) -> tuple[torch.Tensor, torch.Tensor]:
    """Three classes around three centres in 2-D: easy to separate when the noise is small."""
    g = gen(seed)
    y = torch.arange(n) % 3
    centres = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    return centres[y] + noise * torch.randn(n, 2, generator=g), y


def loader(X: torch.Tensor, y: torch.Tensor, batch_size: int = 8, shuffle: bool = False) -> DataLoader:
    return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=shuffle,
                      generator=gen(0) if shuffle else None)


def mlp(seed: int, p: float = 0.0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(p), nn.Linear(16, 3))


# --------------------------------------------------------------------------- train_one_epoch


def test_one_epoch_lowers_the_loss_on_an_easy_problem() -> None:
    X, y = blobs(96, 0)
    model = mlp(0)
    data = loader(X, y, shuffle=True)
    before = evaluate(model, data, nn.CrossEntropyLoss())
    train_one_epoch(model, data, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1))
    after = evaluate(model, data, nn.CrossEntropyLoss())
    assert after.loss is not None and before.loss is not None
    assert after.loss < 0.7 * before.loss
    assert model.training  # train_one_epoch leaves the model in training mode


def test_one_epoch_returns_the_mean_over_samples_with_a_short_last_batch() -> None:
    X, y = blobs(20, 1)
    model = mlp(1)
    with torch.no_grad():
        expected = F.cross_entropy(model(X), y).item()  # lr = 0: the weights never change
    got = train_one_epoch(model, loader(X, y, batch_size=7), nn.CrossEntropyLoss(),
                          torch.optim.SGD(model.parameters(), lr=0.0))
    assert got == pytest.approx(expected, rel=1e-6)  # batches of 7, 7, 6 weighed by their size


def test_one_epoch_is_one_sgd_step_per_batch() -> None:
    X, y = blobs(16, 2)
    ours, theirs = mlp(2), mlp(2)
    train_one_epoch(ours, loader(X, y), nn.CrossEntropyLoss(), torch.optim.SGD(ours.parameters(), lr=0.3))
    opt = torch.optim.SGD(theirs.parameters(), lr=0.3)
    for xb, yb in loader(X, y):  # the tutorial's loop, written out
        opt.zero_grad()
        F.cross_entropy(theirs(xb), yb).backward()
        opt.step()
    for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert_close(a, b, rtol=0, atol=0)


def test_dlref_loss_and_optimizer_train_as_torch_s_do() -> None:
    X, y = blobs(48, 3)
    X = X.double()
    ours, theirs = mlp(3).double(), mlp(3).double()
    h_ours = fit(ours, loader(X, y), loader(X, y), dlref.losses.cross_entropy, dlref.optim.Adam(ours.parameters(),
                 lr=0.01), epochs=3)
    h_theirs = fit(theirs, loader(X, y), loader(X, y), F.cross_entropy, torch.optim.Adam(theirs.parameters(),
                   lr=0.01), epochs=3)
    assert_close(torch.tensor(h_ours.train_loss), torch.tensor(h_theirs.train_loss))
    assert_close(torch.tensor(h_ours.val_loss), torch.tensor(h_theirs.val_loss))


# --------------------------------------------------------------------------- evaluate


def test_evaluate_matches_the_direct_computation() -> None:
    X, y = blobs(30, 4, noise=1.5)
    model = mlp(4).double()
    X = X.double()
    result = evaluate(model, loader(X, y, batch_size=7), nn.CrossEntropyLoss())
    with torch.no_grad():
        logits = model(X)
    assert isinstance(result, Evaluation)
    assert result.loss == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-12)
    assert torch.equal(result.predictions, logits.argmax(dim=1)) and torch.equal(result.targets, y)
    assert result.accuracy == metrics.accuracy(y, logits.argmax(dim=1))
    assert result.predictions.dtype == torch.int64
    assert evaluate(model, loader(X, y)).loss is None


def test_evaluate_switches_dropout_off_and_builds_no_graph() -> None:
    X, y = blobs(40, 5)
    model = mlp(5, p=0.9)
    model.train()
    data = loader(X, y)
    first, second = evaluate(model, data, nn.CrossEntropyLoss()), evaluate(model, data, nn.CrossEntropyLoss())
    assert torch.equal(first.predictions, second.predictions) and first.loss == second.loss
    model.eval()
    with torch.no_grad():
        assert torch.equal(first.predictions, model(X).argmax(dim=1))
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_restores_the_previous_mode(training: bool) -> None:
    X, y = blobs(12, 6)
    model = mlp(6, p=0.5).train(training)
    evaluate(model, loader(X, y))
    assert all(m.training == training for m in model.modules())


def test_evaluate_restores_mixed_modes_even_when_it_raises() -> None:
    X, y = blobs(12, 7)
    model = mlp(7, p=0.5).train()
    model[2].eval()  # one submodule frozen in eval mode, as a fine-tuning script might do
    modes = [m.training for m in model.modules()]
    evaluate(model, loader(X, y))
    assert [m.training for m in model.modules()] == modes

    def broken() -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        yield X[:4], y[:4]
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError, match="disk gone"):
        evaluate(model, broken())
    assert [m.training for m in model.modules()] == modes


# --------------------------------------------------------------------------- fit


def noisy_problem() -> tuple[DataLoader, DataLoader]:
    """Few noisy samples and a large learning rate: the validation loss turns up after a few epochs."""
    g = gen(0)
    X = torch.randn(96, 2, generator=g)
    y = (X[:, 0] + 0.5 * torch.randn(96, generator=g) > 0).long()
    return loader(X[:64], y[:64], batch_size=16), loader(X[64:], y[64:], batch_size=32)


def zero_linear() -> nn.Linear:
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    return model


def test_fit_records_one_entry_per_epoch() -> None:
    X, y = blobs(60, 8)
    model = mlp(8)
    history = fit(model, loader(X[:45], y[:45]), loader(X[45:], y[45:]), nn.CrossEntropyLoss(),
                  torch.optim.SGD(model.parameters(), lr=0.1), epochs=4)
    assert isinstance(history, History)
    assert history.epochs == 4 and not history.stopped_early
    assert len(history.train_loss) == len(history.val_loss) == len(history.val_accuracy) == len(history.lr) == 4
    assert history.train_loss[-1] < history.train_loss[0]
    assert history.best_epoch == 1 + min(range(4), key=history.val_loss.__getitem__)
    assert history.lr == [0.1] * 4


def test_early_stopping_stops_and_restores_the_best_weights() -> None:
    train, val = noisy_problem()
    model = zero_linear()
    history = fit(model, train, val, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=1.0),
                  epochs=50, early_stopping_patience=3)
    assert history.stopped_early and history.epochs < 50
    best = history.best_epoch
    assert best is not None and history.epochs == best + 3
    assert history.val_loss[best - 1] == min(history.val_loss)
    assert all(v >= history.val_loss[best - 1] for v in history.val_loss[best:])
    # the model is the best epoch's, not the last one's
    assert evaluate(model, val, nn.CrossEntropyLoss()).loss == pytest.approx(history.val_loss[best - 1], rel=1e-6)


def test_restore_best_false_keeps_the_last_weights() -> None:
    train, val = noisy_problem()
    model = zero_linear()
    history = fit(model, train, val, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=1.0),
                  epochs=50, early_stopping_patience=3, restore_best=False)
    last = evaluate(model, val, nn.CrossEntropyLoss()).loss
    assert last == pytest.approx(history.val_loss[-1], rel=1e-6) and last != pytest.approx(min(history.val_loss))


def test_fit_without_validation_runs_every_epoch() -> None:
    train, _ = noisy_problem()
    model = zero_linear()
    history = fit(model, train, None, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=1.0), epochs=3)
    assert history.epochs == 3 and history.val_loss == [] and history.best_epoch is None


def test_a_nan_validation_loss_is_never_an_improvement() -> None:
    train, val = noisy_problem()
    model = zero_linear()
    history = fit(model, train, val, lambda out, y: F.cross_entropy(out, y) * float("nan") if not out.requires_grad
                  else F.cross_entropy(out, y), torch.optim.SGD(model.parameters(), lr=1.0),
                  epochs=5, early_stopping_patience=2)
    assert history.epochs == 2 and history.stopped_early and history.best_epoch is None


def test_fit_steps_the_scheduler_once_per_epoch() -> None:
    train, val = noisy_problem()
    model = zero_linear()
    optimizer = dlref.optim.SGD(model.parameters(), lr=0.8)
    scheduler = dlref.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    history = fit(model, train, val, nn.CrossEntropyLoss(), optimizer, epochs=5, scheduler=scheduler)
    assert history.lr == [0.8, 0.8, 0.4, 0.4, 0.2]


# --------------------------------------------------------------------------- save and load


def test_save_then_load_gives_the_same_predictions_in_a_fresh_model(tmp_path: Path) -> None:
    X, y = blobs(60, 9, noise=1.0)
    trained = mlp(9, p=0.5)
    fit(trained, loader(X, y), None, nn.CrossEntropyLoss(), torch.optim.SGD(trained.parameters(), lr=0.1), epochs=2)
    save_state(trained, tmp_path / "model.pt")
    fresh = mlp(123, p=0.5)  # another initialization
    assert not torch.equal(evaluate(fresh, loader(X, y)).predictions, evaluate(trained, loader(X, y)).predictions)
    assert load_state(fresh, str(tmp_path / "model.pt")) is fresh
    for a, b in zip(fresh.state_dict().values(), trained.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    assert torch.equal(evaluate(fresh, loader(X, y)).predictions, evaluate(trained, loader(X, y)).predictions)


class Payload:
    """Any class: a pickle of it is not weights."""


def test_load_refuses_a_file_that_is_not_only_weights(tmp_path: Path) -> None:
    torch.save({"weight": torch.zeros(3, 2), "bias": torch.zeros(3), "extra": Payload()}, tmp_path / "evil.pt")
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        load_state(nn.Linear(2, 3), tmp_path / "evil.pt")


def test_load_into_another_architecture_raises(tmp_path: Path) -> None:
    save_state(nn.Linear(2, 3), tmp_path / "m.pt")
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        load_state(nn.Linear(2, 4), tmp_path / "m.pt")


# --------------------------------------------------------------------------- errors


def test_errors() -> None:
    X, y = blobs(8, 10)
    model, data, loss = mlp(10), loader(X, y), nn.CrossEntropyLoss()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=re.escape("train_one_epoch: model has the wrong type (got function); "
                                                  "expected a torch.nn.Module")):
        train_one_epoch(F.relu, data, loss, sgd)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape("train_one_epoch: optimizer has the wrong type (got float); "
                                                  "expected a torch.optim.Optimizer")):
        train_one_epoch(model, data, loss, 0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape("evaluate: loss_fn has the wrong type (got str); "
                                                  "expected a loss, such as torch.nn.CrossEntropyLoss()")):
        evaluate(model, data, "cross_entropy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=re.escape("evaluate: loader is empty (got no batches); "
                                                   "expected at least one batch")):
        evaluate(model, [])
    with pytest.raises(TypeError, match=re.escape("evaluate: loader has the wrong type (got int)")):
        evaluate(model, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape("train_one_epoch: loader gave a batch of the wrong type "
                                                  "(got Tensor); expected (inputs, targets), a pair of tensors")):
        train_one_epoch(model, [X], loss, sgd)  # type: ignore[list-item]
    with pytest.raises(ValueError, match=re.escape("evaluate: loader gave a batch of mismatched sizes "
                                                   "(got 8 inputs and 7 targets); expected one target per input")):
        evaluate(model, [(X, y[:7])])


def test_fit_and_save_errors(tmp_path: Path) -> None:
    train, val = noisy_problem()
    model = zero_linear()
    loss, sgd = nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=re.escape("fit: epochs is out of range (got 0); expected an int >= 1")):
        fit(model, train, val, loss, sgd, epochs=0)
    with pytest.raises(ValueError, match=re.escape("fit: early_stopping_patience is out of range (got 0)")):
        fit(model, train, val, loss, sgd, epochs=3, early_stopping_patience=0)
    with pytest.raises(ValueError, match=re.escape("fit: early_stopping_patience needs a validation set (got 2); "
                                                   "expected a val_loader, or early_stopping_patience=None")):
        fit(model, train, None, loss, sgd, epochs=3, early_stopping_patience=2)
    with pytest.raises(TypeError, match=re.escape("fit: restore_best has the wrong type (got int)")):
        fit(model, train, val, loss, sgd, epochs=3, restore_best=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape("fit: scheduler has the wrong type (got float); "
                                                  "expected a learning-rate scheduler with a step() method")):
        fit(model, train, val, loss, sgd, epochs=3, scheduler=0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape("save_state: path has the wrong type (got NoneType)")):
        save_state(model, None)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match=re.escape("load_state: path is not a file (got '")):
        load_state(model, tmp_path / "missing.pt")
