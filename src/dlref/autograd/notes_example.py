r"""The notes' worked example of backpropagation, computed: a 2-2-2 sigmoid network, one gradient step.

The network of the notes on training (001), §6.2.3 (Mazur's well-known example):
two inputs $i_1, i_2$; two hidden sigmoid units $h_1, h_2$ sharing the bias $b_1$;
two sigmoid outputs $o_1, o_2$ sharing the bias $b_2$; squared error against the
targets; one gradient-descent step with learning rate $\eta = 0.5$.

$$
\begin{aligned}
net_{h1} &= w_1 i_1 + w_2 i_2 + b_1, & net_{h2} &= w_3 i_1 + w_4 i_2 + b_1, \\
net_{o1} &= w_5\, out_{h1} + w_6\, out_{h2} + b_2, & net_{o2} &= w_7\, out_{h1} + w_8\, out_{h2} + b_2, \\
out &= \sigma(net), & E_{total} &= \tfrac12 (t_{o1} - out_{o1})^2 + \tfrac12 (t_{o2} - out_{o2})^2 .
\end{aligned}
$$

[worked_example][dlref.autograd.worked_example] returns every intermediate of the
forward and backward pass under a readable name, so a page can print any of them and
the tests can check all of them against `torch.autograd`.

Only $w_1, w_2, i_1, i_2, b_1, w_5, w_6, b_2$ and $t_{o1}$ are written in the notes'
text; $w_3 = 0.25$, $w_4 = 0.30$, $w_7 = 0.50$, $w_8 = 0.55$ and $t_{o2} = 0.99$ are
in its figure and are the only values that reproduce its printed $out_{h2}$,
$out_{o2}$ and $E_{o2}$ (the tests check this).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from dlref._checks import check_real, fail, fail_type

__all__ = ["NOTES_NETWORK", "worked_example"]

NOTES_NETWORK: Mapping[str, float] = MappingProxyType({
    "i1": 0.05, "i2": 0.10,
    "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "b1": 0.35,
    "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55, "b2": 0.60,
    "target_o1": 0.01, "target_o2": 0.99,
})
"""The inputs, weights, biases and targets of the notes' example (read-only)."""


def _sigmoid(x: float) -> float:
    # σ(x) = 1 / (1 + e^{-x})
    return 1 / (1 + math.exp(-x))


def worked_example(parameters: Mapping[str, float] | None = None, lr: float = 0.5) -> dict[str, float]:
    r"""Every number of one forward pass, one backward pass and one gradient step of the notes' 2-2-2 network.

    Backward pass, output unit $o$ (the same for $o_2$ with $w_7, w_8$):

    $$
    \delta_{o1} = \frac{\partial E}{\partial net_{o1}}
    = \underbrace{-(t_{o1} - out_{o1})}_{\partial E / \partial out_{o1}}
      \cdot \underbrace{out_{o1}(1 - out_{o1})}_{\partial out_{o1} / \partial net_{o1}}, \qquad
    \frac{\partial E}{\partial w_5} = \delta_{o1}\, out_{h1} .
    $$

    Hidden unit $h_1$: its output feeds both output units, so both paths are summed:

    $$
    \frac{\partial E}{\partial out_{h1}} = \delta_{o1} w_5 + \delta_{o2} w_7, \qquad
    \delta_{h1} = \frac{\partial E}{\partial out_{h1}}\, out_{h1}(1 - out_{h1}), \qquad
    \frac{\partial E}{\partial w_1} = \delta_{h1}\, i_1 .
    $$

    A shared bias collects the deltas of the units it feeds
    ($\partial E / \partial b_2 = \delta_{o1} + \delta_{o2}$). Every gradient uses the
    weights *before* the step; then each parameter moves by
    $\theta^+ = \theta - \eta\, \partial E / \partial \theta$. The notes update the eight
    weights; the two biases' step is given too.

    Args:
        parameters: Values to use instead of [NOTES_NETWORK][dlref.autograd.NOTES_NETWORK]'s,
            any subset of its keys (``{"w5": 0.5}``). Defaults to None, the notes' network.
        lr: The learning rate $\eta \ge 0$. Defaults to 0.5, the notes' value.

    Returns:
        A dict of floats, in the order of the computation:
        ``net_h1, out_h1, net_h2, out_h2, net_o1, out_o1, net_o2, out_o2``;
        the errors ``E_o1, E_o2, E_total``; for each output unit
        ``dE_dout_o1, dout_o1_dnet_o1, delta_o1`` (then ``o2``); ``dE_dw5`` to ``dE_dw8``
        and ``dE_db2``; for each hidden unit ``dE_dout_h1, dout_h1_dnet_h1, delta_h1``
        (then ``h2``); ``dE_dw1`` to ``dE_dw4`` and ``dE_db1``; and the updated
        parameters ``w1+`` to ``w8+``, ``b1+``, ``b2+``.

    Raises:
        TypeError: If `parameters` is not a mapping, or a value or `lr` is not a real number.
        ValueError: If a key is not one of NOTES_NETWORK's, a value is not finite, or `lr` < 0.

    Torch counterpart: none; the tests build the same network from 0-dim tensors and
    compare every gradient and updated weight with `torch.autograd`'s.

    References:
        - Mazur, 2015: [A Step by Step Backpropagation
          Example](https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/).

    Examples:
        >>> from dlref.autograd import worked_example
        >>> r = worked_example()
        >>> [round(r[k], 9) for k in ("out_h1", "out_o1", "E_total")]
        [0.593269992, 0.75136507, 0.298371109]
        >>> [round(r[k], 9) for k in ("dE_dw5", "w5+", "dE_dw1", "w1+")]
        [0.082167041, 0.35891648, 0.000438568, 0.149780716]
    """
    fn = "worked_example"
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, Mapping):
        fail_type(fn, "parameters", parameters, "expected a mapping such as {'w5': 0.5}")
    for key, value in parameters.items():
        if key not in NOTES_NETWORK:
            fail(fn, "parameters", "has an unknown key", repr(key), "expected keys among " + ", ".join(NOTES_NETWORK))
        check_real(fn, f"parameters[{key!r}]", value)
    eta = check_real(fn, "lr", lr, low=0)
    p = {**NOTES_NETWORK, **{key: float(value) for key, value in parameters.items()}}
    i1, i2, t1, t2 = p["i1"], p["i2"], p["target_o1"], p["target_o2"]
    w1, w2, w3, w4, w5, w6, w7, w8 = (p[f"w{k}"] for k in range(1, 9))
    b1, b2 = p["b1"], p["b2"]
    r: dict[str, float] = {}

    # ---- forward: net = weighted sum + bias, out = σ(net)
    r["net_h1"] = w1 * i1 + w2 * i2 + b1
    r["out_h1"] = _sigmoid(r["net_h1"])
    r["net_h2"] = w3 * i1 + w4 * i2 + b1
    r["out_h2"] = _sigmoid(r["net_h2"])
    r["net_o1"] = w5 * r["out_h1"] + w6 * r["out_h2"] + b2
    r["out_o1"] = _sigmoid(r["net_o1"])
    r["net_o2"] = w7 * r["out_h1"] + w8 * r["out_h2"] + b2
    r["out_o2"] = _sigmoid(r["net_o2"])
    # E_o = ½ (target - out)²,  E_total = E_o1 + E_o2
    r["E_o1"] = 0.5 * (t1 - r["out_o1"]) ** 2
    r["E_o2"] = 0.5 * (t2 - r["out_o2"]) ** 2
    r["E_total"] = r["E_o1"] + r["E_o2"]

    # ---- backward, output layer: δ_o = ∂E/∂out_o · ∂out_o/∂net_o
    for o, target in (("o1", t1), ("o2", t2)):
        # ∂E/∂out_o = -(target - out_o)
        r[f"dE_dout_{o}"] = -(target - r[f"out_{o}"])
        # ∂out_o/∂net_o = σ'(net_o) = out_o (1 - out_o)
        r[f"dout_{o}_dnet_{o}"] = r[f"out_{o}"] * (1 - r[f"out_{o}"])
        r[f"delta_{o}"] = r[f"dE_dout_{o}"] * r[f"dout_{o}_dnet_{o}"]
    # ∂E/∂w = δ of the unit the weight enters · the input it multiplies (∂net/∂w)
    r["dE_dw5"] = r["delta_o1"] * r["out_h1"]
    r["dE_dw6"] = r["delta_o1"] * r["out_h2"]
    r["dE_dw7"] = r["delta_o2"] * r["out_h1"]
    r["dE_dw8"] = r["delta_o2"] * r["out_h2"]
    # b2 feeds both output units: ∂E/∂b2 = δ_o1 + δ_o2
    r["dE_db2"] = r["delta_o1"] + r["delta_o2"]

    # ---- backward, hidden layer: out_h feeds o1 and o2, so ∂E/∂out_h sums both paths
    for h, (to_o1, to_o2) in (("h1", (w5, w7)), ("h2", (w6, w8))):
        # ∂E/∂out_h = δ_o1 · ∂net_o1/∂out_h + δ_o2 · ∂net_o2/∂out_h
        r[f"dE_dout_{h}"] = r["delta_o1"] * to_o1 + r["delta_o2"] * to_o2
        # ∂out_h/∂net_h = out_h (1 - out_h)
        r[f"dout_{h}_dnet_{h}"] = r[f"out_{h}"] * (1 - r[f"out_{h}"])
        r[f"delta_{h}"] = r[f"dE_dout_{h}"] * r[f"dout_{h}_dnet_{h}"]
    r["dE_dw1"] = r["delta_h1"] * i1
    r["dE_dw2"] = r["delta_h1"] * i2
    r["dE_dw3"] = r["delta_h2"] * i1
    r["dE_dw4"] = r["delta_h2"] * i2
    r["dE_db1"] = r["delta_h1"] + r["delta_h2"]

    # ---- one step of gradient descent: θ⁺ = θ - η ∂E/∂θ, every gradient taken at the old weights
    for name in ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"):
        r[f"{name}+"] = p[name] - eta * r[f"dE_d{name}"]
    return r
