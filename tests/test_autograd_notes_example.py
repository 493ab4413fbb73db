"""The notes' 2-2-2 worked example: every printed number; every gradient and updated weight against torch.autograd."""

from __future__ import annotations

import re

import pytest
import torch
from torch.testing import assert_close

from dlref.autograd import NOTES_NETWORK, Value, worked_example

from .torch_reference import DT, gen

# every number the notes print in §6.2.3, with the number of decimals they print it to
NOTES_PRINTED = [
    ("net_h1", "0.3775"), ("out_h1", "0.593269992"), ("out_h2", "0.596884378"), ("net_o1", "1.105905967"),
    ("out_o1", "0.75136507"), ("out_o2", "0.772928465"), ("E_o1", "0.274811083"), ("E_o2", "0.023560026"),
    ("E_total", "0.298371109"), ("dE_dout_o1", "0.74136507"), ("dout_o1_dnet_o1", "0.186815602"),
    ("dE_dw5", "0.082167041"), ("w5+", "0.35891648"), ("dE_dw1", "0.000438568"), ("w1+", "0.149780716"),
]
WEIGHTS = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"]
PARAMETERS = [*WEIGHTS, "b1", "b2"]


@pytest.mark.parametrize(("key", "printed"), NOTES_PRINTED)
def test_reproduces_every_number_the_notes_print(key: str, printed: str) -> None:
    decimals = len(printed.split(".")[1])
    assert f"{worked_example()[key]:.{decimals}f}" == printed


def by_torch(parameters: dict[str, float], lr: float) -> tuple[dict[str, torch.Tensor], dict[str, float]]:
    """The same network from 0-dim float64 tensors; returns the intermediates (with .grad retained) and θ⁺."""
    t = {k: torch.tensor(v, dtype=DT, requires_grad=k in PARAMETERS) for k, v in parameters.items()}
    v: dict[str, torch.Tensor] = {}
    v["net_h1"] = t["w1"] * t["i1"] + t["w2"] * t["i2"] + t["b1"]
    v["net_h2"] = t["w3"] * t["i1"] + t["w4"] * t["i2"] + t["b1"]
    v["out_h1"], v["out_h2"] = torch.sigmoid(v["net_h1"]), torch.sigmoid(v["net_h2"])
    v["net_o1"] = t["w5"] * v["out_h1"] + t["w6"] * v["out_h2"] + t["b2"]
    v["net_o2"] = t["w7"] * v["out_h1"] + t["w8"] * v["out_h2"] + t["b2"]
    v["out_o1"], v["out_o2"] = torch.sigmoid(v["net_o1"]), torch.sigmoid(v["net_o2"])
    v["E_total"] = torch.nn.functional.mse_loss(torch.stack([v["out_o1"], v["out_o2"]]),
                                                torch.stack([t["target_o1"], t["target_o2"]]), reduction="sum") / 2
    for x in v.values():
        x.retain_grad()
    v["E_total"].backward()
    updated = {f"{k}+": (t[k] - lr * t[k].grad).item() for k in PARAMETERS}  # type: ignore[operator]
    v.update({f"param_{k}": t[k] for k in PARAMETERS})
    return v, updated


def check_against_torch(parameters: dict[str, float], lr: float) -> None:
    ours = worked_example(parameters, lr=lr)
    theirs, updated = by_torch({**NOTES_NETWORK, **parameters}, lr)
    for key in ("net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1", "net_o2", "out_o2", "E_total"):
        assert_close(ours[key], theirs[key].item())
    for unit in ("h1", "h2", "o1", "o2"):
        assert_close(ours[f"delta_{unit}"], theirs[f"net_{unit}"].grad.item())  # type: ignore[union-attr]
        assert_close(ours[f"dE_dout_{unit}"], theirs[f"out_{unit}"].grad.item())  # type: ignore[union-attr]
    for k in PARAMETERS:
        assert_close(ours[f"dE_d{k}"], theirs[f"param_{k}"].grad.item())  # type: ignore[union-attr]
        assert_close(ours[f"{k}+"], updated[f"{k}+"])


def test_all_eight_updated_weights_match_torch_autograd() -> None:
    check_against_torch({}, 0.5)
    ours, (_, updated) = worked_example(), by_torch(dict(NOTES_NETWORK), 0.5)
    assert_close([ours[f"{w}+"] for w in WEIGHTS], [updated[f"{w}+"] for w in WEIGHTS], rtol=0, atol=1e-15)


def test_matches_the_value_engine() -> None:
    p = {k: Value(v, label=k) for k, v in NOTES_NETWORK.items()}
    h1 = (p["w1"] * p["i1"] + p["w2"] * p["i2"] + p["b1"]).sigmoid()
    h2 = (p["w3"] * p["i1"] + p["w4"] * p["i2"] + p["b1"]).sigmoid()
    o1 = (p["w5"] * h1 + p["w6"] * h2 + p["b2"]).sigmoid()
    o2 = (p["w7"] * h1 + p["w8"] * h2 + p["b2"]).sigmoid()
    e = 0.5 * (p["target_o1"] - o1) ** 2 + 0.5 * (p["target_o2"] - o2) ** 2
    e.backward()
    r = worked_example()
    assert_close(e.data, r["E_total"])
    assert_close([p[k].grad for k in PARAMETERS], [r[f"dE_d{k}"] for k in PARAMETERS])


@pytest.mark.parametrize("seed", range(8))
def test_random_networks_match_torch_autograd(seed: int) -> None:
    values = (torch.rand(len(NOTES_NETWORK), generator=gen(seed), dtype=DT) * 4 - 2).tolist()
    parameters = dict(zip(NOTES_NETWORK, values, strict=True))
    parameters["target_o1"], parameters["target_o2"] = abs(values[-2]) / 2, abs(values[-1]) / 2
    check_against_torch(parameters, lr=0.1 * (seed + 1))


def test_hidden_gradient_sums_both_output_paths() -> None:
    r = worked_example()
    one_path = r["delta_o1"] * NOTES_NETWORK["w5"] * r["dout_h1_dnet_h1"] * NOTES_NETWORK["i1"]
    assert abs(one_path - r["dE_dw1"]) > 1e-4  # 0.000668 through o1 alone against 0.000439 through both
    assert_close(r["dE_dw1"], one_path + r["delta_o2"] * NOTES_NETWORK["w7"] * r["dout_h1_dnet_h1"]
                 * NOTES_NETWORK["i1"])


def test_partial_parameters_and_lr() -> None:
    r = worked_example({"w5": 0.5}, lr=0.0)
    assert r["w5+"] == 0.5
    assert r["w1+"] == NOTES_NETWORK["w1"]
    assert r["net_h1"] == worked_example()["net_h1"]


def test_notes_network_is_read_only() -> None:
    with pytest.raises(TypeError):
        NOTES_NETWORK["w1"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize(("kwargs", "error", "msg"), [
    ({"parameters": [0.1]}, TypeError,
     "worked_example: parameters has the wrong type (got list); expected a mapping such as {'w5': 0.5}"),
    ({"parameters": {"w9": 0.1}}, ValueError,
     "worked_example: parameters has an unknown key (got 'w9'); expected keys among i1, i2, w1, w2, w3, w4, b1, "
     "w5, w6, w7, w8, b2, target_o1, target_o2"),
    ({"parameters": {"w1": "0.1"}}, TypeError,
     "worked_example: parameters['w1'] has the wrong type (got str); expected a real number (int or float)"),
    ({"parameters": {"w1": float("nan")}}, ValueError,
     "worked_example: parameters['w1'] is out of range (got nan); expected a finite number"),
    ({"lr": -0.5}, ValueError, "worked_example: lr is out of range (got -0.5); expected a finite number >= 0"),
])
def test_errors(kwargs: dict[str, object], error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        worked_example(**kwargs)  # type: ignore[arg-type]
