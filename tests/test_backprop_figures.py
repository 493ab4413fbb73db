"""What the backprop chapter's figures draw (dlref.plots.backprop_figures); their contract: test_figure_contract."""

from __future__ import annotations

import re

import torch

from dlref.plots import backprop_figures as bf


def _texts(svg: str) -> list[str]:
    """matplotlib keeps each label's text as a comment next to its glyph paths."""
    return re.findall(r"<!-- (.*?) -->", svg)


def test_graph_shows_the_values_and_gradients_torch_computes() -> None:
    x, w, b, t = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (2.0, 0.5, -0.5, 1.0))
    loss = (torch.sigmoid(w * x + b) - t) ** 2
    loss.backward()
    texts = _texts(bf.computational_graph(lang="en"))
    assert f"value {loss.item():.4g}" in texts
    for leaf in (x, w, b, t):
        assert f"grad {leaf.grad.item():.4g}" in texts
    assert "grad 1" in texts  # dL/dL
    # the edges carry the local derivatives: w -> wx is x = 2, z -> a is sigma'(0.5)
    s = torch.sigmoid(torch.tensor(0.5, dtype=torch.float64)).item()
    assert "×2" in texts and f"×{s * (1 - s):.3g}" in texts


def test_graph_titles_name_every_node_once() -> None:
    texts = _texts(bf.computational_graph(lang="zh"))
    titles = [t for t in texts if t.split()[0] in {"x", "w", "b", "t", "wx", "z", "a", "a−t", "L"}]
    assert sorted(t.split()[0] for t in titles) == sorted(["x", "w", "b", "t", "wx", "z", "a", "a−t", "L"])
    assert any(t.startswith("梯度 ") for t in texts) and any(t.startswith("值 ") for t in texts)
