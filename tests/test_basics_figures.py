"""What the basics chapter's figures draw (dlref.plots.basics_figures); their contract: test_figure_contract."""

from __future__ import annotations

import re

import pytest

from dlref.experiments import perceptron_gates
from dlref.plots import basics_figures as bf


def _texts(svg: str) -> list[str]:
    """matplotlib keeps each label's text as a comment next to its glyph paths."""
    return re.findall(r"<!-- (.*?) -->", svg)


@pytest.mark.parametrize("gate", ["AND", "OR"])
def test_boundaries_draw_one_titled_panel_per_epoch(gate: str) -> None:
    run = perceptron_gates(gate)
    texts = _texts(bf.perceptron_boundaries(gate, lang="en"))
    titles = [t for t in texts if t.startswith("epoch ")]
    assert titles == [f"epoch {k + 1}: {m} mistake{'' if m == 1 else 's'}" for k, m in enumerate(run.history)]
    zh = [t for t in _texts(bf.perceptron_boundaries(gate, lang="zh")) if t.startswith("第 ")]
    assert zh == [f"第 {k + 1} 轮：错 {m} 个" for k, m in enumerate(run.history)]


def test_mistakes_legend_says_which_gates_converge() -> None:
    texts = _texts(bf.perceptron_mistakes(lang="en"))
    assert {"XOR (never 0)", "AND (converged)", "OR (converged)"} <= set(texts)


def test_network_diagram_gives_torch_shapes() -> None:
    from torch import nn

    texts = " ".join(_texts(bf.network_diagram(lang="en")))
    hidden, output = nn.Linear(3, 4), nn.Linear(4, 1)
    assert f"$W^{{[1]}}$: {tuple(hidden.weight.shape)}" in texts
    assert f"$W^{{[2]}}$: {tuple(output.weight.shape)}" in texts
    assert "$b^{[1]}$: (4,)" in texts and "$b^{[2]}$: (1,)" in texts


def test_bad_gate_raises() -> None:
    with pytest.raises(ValueError, match=r"perceptron_boundaries: gate is not a valid choice \(got 'XOR'\)"):
        bf.perceptron_boundaries("XOR", lang="en")
