"""dlref.experiments.phone_prices: the worked example's runs, checked against independent code."""

from __future__ import annotations

import copy
import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from dlref.data import make_phone_prices, train_val_test_split
from dlref.experiments import PHONE_MISTAKES, phone_price_diagnosis, phone_price_run
from dlref.train import fit

NOTES = {"scaled": False, "dropout": 0.9, "dropout_before_relu": True, "optimizer": "sgd", "early_stopping": False,
         "batch_size": 8}


def _validation(scaled: bool = True) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """X_train, y_train, X_val, y_val of the default twin, scaled with training statistics written out by hand."""
    X, y, _ = make_phone_prices()
    (X_train, y_train), (X_val, y_val), _ = train_val_test_split(X, y, seed=0)
    if scaled:
        mean, std = X_train.mean(dim=0), X_train.std(dim=0, correction=0)
        X_train, X_val = (X_train - mean) / std, (X_val - mean) / std
    return X_train, y_train, X_val, y_val


def test_the_notes_pipeline_diverges_in_its_first_epoch_and_predicts_class_0() -> None:
    run = phone_price_run(**NOTES)
    assert run.diverged and run.history.epochs == 1
    assert math.isnan(run.history.train_loss[0]) and math.isnan(run.history.val_loss[0])
    _, _, X_val, _ = _validation(scaled=False)
    with torch.no_grad():
        predictions = run.model.eval()(X_val).argmax(dim=1)
    run.model.train()
    assert predictions.eq(0).all()
    assert run.val_accuracy == run.val_accuracy_train_mode == 0.25  # 100 of the 400 validation phones are class 0


def test_a_nan_output_layer_stays_nan_for_both_optimizers() -> None:
    """The early stop of a diverged run is safe: one more step of SGD or AdamW leaves the output layer NaN."""
    X_train, y_train, _, _ = _validation(scaled=False)
    for make in (lambda p: torch.optim.SGD(p, lr=0.1), lambda p: torch.optim.AdamW(p, lr=3e-3)):
        model = copy.deepcopy(phone_price_run(**NOTES).model)
        optimizer = make(model.parameters())
        for _ in range(3):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X_train[:64]), y_train[:64]).backward()
            optimizer.step()
        assert model.layer3.weight.isnan().all()
        assert model(X_train).isnan().all()


def test_the_corrected_run_matches_torchs_optimizer_and_scheduler() -> None:
    """The same pipeline with torch.optim.AdamW and torch's CosineAnnealingLR, through dlref.train.fit."""
    run = phone_price_run()
    X_train, y_train, X_val, y_val = _validation()
    train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True,
                              generator=torch.Generator().manual_seed(0))
    val_loader = DataLoader(TensorDataset(X_val, y_val), batch_size=400)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 128), nn.ReLU(),
                                  nn.Dropout(0.2), nn.Linear(128, 4))
            optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
            scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=25)
            history = fit(model, train_loader, val_loader, nn.CrossEntropyLoss(), optimizer, 25, scheduler,
                          early_stopping_patience=10)
    finally:
        torch.set_num_threads(threads)
    assert (history.epochs, history.best_epoch) == (run.history.epochs, run.history.best_epoch)
    torch.testing.assert_close(torch.tensor(history.val_loss), torch.tensor(run.history.val_loss), rtol=1e-4, atol=1e-5)
    assert history.lr == pytest.approx(run.history.lr)
    assert run.history.stopped_early and run.history.best_epoch + 10 == run.history.epochs


def test_accuracies_are_those_of_the_returned_model() -> None:
    run = phone_price_run()
    _, _, X_val, y_val = _validation()
    model = copy.deepcopy(run.model)
    with torch.no_grad():
        eval_predictions = model.eval()(X_val).argmax(dim=1)
        model.train()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            train_predictions = model(X_val).argmax(dim=1)
    assert run.val_accuracy == pytest.approx(eval_predictions.eq(y_val).double().mean().item())
    assert run.val_accuracy_train_mode == pytest.approx(train_predictions.eq(y_val).double().mean().item())
    assert run.val_accuracy_train_mode < run.val_accuracy
    assert run.val_accuracy == run.history.val_accuracy[run.history.best_epoch - 1]


def test_dropout_placement_does_not_change_a_relu_network() -> None:
    """Dropout before and after ReLU give bit-identical training (same masks, ReLU(cz) = c ReLU(z) for c >= 0)."""
    before = phone_price_run(dropout_before_relu=True)
    after = phone_price_run()
    assert before.history.val_loss == after.history.val_loss and before.val_accuracy == after.val_accuracy


def test_the_diagnosis_puts_back_one_mistake_at_a_time() -> None:
    d = phone_price_diagnosis()
    corrected = phone_price_run()
    assert list(d.put_back) == list(PHONE_MISTAKES)
    assert d.corrected == corrected.val_accuracy and d.notes == 0.25
    assert d.put_back["scaling"] == phone_price_run(scaled=False).val_accuracy
    assert d.put_back["dropout"] == phone_price_run(dropout=0.9, dropout_before_relu=True).val_accuracy
    assert d.put_back["optimizer"] == phone_price_run(optimizer="sgd").val_accuracy
    assert d.put_back["eval_mode"] == corrected.val_accuracy_train_mode
    assert d.put_back["epochs"] == corrected.history.val_accuracy[19]
    assert d.put_back["scaling"] < d.put_back["dropout"] < d.put_back["eval_mode"] < d.corrected


def test_a_fixed_length_run_matches_the_early_stopped_one_up_to_epoch_20() -> None:
    """Early stopping decides only when to stop: the first 20 epochs are the same run (checked on SGD, cheap)."""
    fixed = phone_price_run(optimizer="sgd", early_stopping=False)
    stopped = phone_price_run(optimizer="sgd")
    assert fixed.history.epochs == 20 and not fixed.diverged
    assert fixed.history.val_loss == stopped.history.val_loss[:20]


def test_runs_are_memoized_and_leave_the_callers_state_alone() -> None:
    phone_price_run.cache_clear()  # type: ignore[attr-defined]
    torch.manual_seed(123)
    state, threads = torch.get_rng_state(), torch.get_num_threads()
    first = phone_price_run(**NOTES)
    assert torch.equal(torch.get_rng_state(), state) and torch.get_num_threads() == threads
    assert phone_price_run(**NOTES) is first


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"scaled": 1}, TypeError, r"phone_price_run: scaled"),
    ({"dropout": 1.0}, ValueError, r"phone_price_run: dropout"),
    ({"dropout": "0.2"}, TypeError, r"phone_price_run: dropout"),
    ({"optimizer": "adam"}, ValueError, r"phone_price_run: optimizer .*adamw"),
    ({"early_stopping": None}, TypeError, r"phone_price_run: early_stopping"),
    ({"batch_size": 0}, ValueError, r"phone_price_run: batch_size"),
    ({"seed": -1}, ValueError, r"phone_price_run: seed"),
])
def test_bad_arguments_raise(kwargs: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        phone_price_run(**kwargs)  # type: ignore[arg-type]
