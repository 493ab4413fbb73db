"""Matrix backprop for an MLP against torch.autograd: every activation of ACTIVATIONS, random shapes, errors."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.activations import ACTIVATIONS
from dlref.autograd import LayerCache, gradient_check, layer_backward, layer_forward, mlp_backward, mlp_forward

from .torch_reference import DT, SETTINGS, gen

# every activation: elementwise ones through their *_derivative, softmax and log_softmax through their Jacobian;
# step's derivative is 0 and torch.heaviside has no autograd formula, so step is checked against zeros
DIFFERENTIABLE = [name for name in ACTIVATIONS if name != "step"]


Layers = list[tuple[torch.Tensor, torch.Tensor | None]]


def network(widths: list[int], seed: int, bias: list[bool] | None = None) -> Layers:
    g = gen(seed)
    layers: Layers = []
    for k, (d_in, d_out) in enumerate(itertools.pairwise(widths)):
        w = torch.randn(d_out, d_in, dtype=DT, generator=g)
        b = torch.randn(d_out, dtype=DT, generator=g) if bias is None or bias[k] else None
        layers.append((w, b))
    return layers


def by_torch(x: torch.Tensor, layers, names: list[str], cotangent: torch.Tensor):
    """The network in torch (F.linear and each activation's torch reference), differentiated by torch.autograd."""
    leaves = [x.clone().requires_grad_()]
    a = leaves[0]
    for (w, b), name in zip(layers, names, strict=True):
        w = w.clone().requires_grad_()
        leaves.append(w)
        if b is not None:
            b = b.clone().requires_grad_()
            leaves.append(b)
        entry = ACTIVATIONS[name]
        a = entry.reference(F.linear(a, w, b), **entry.params)
    return a, torch.autograd.grad(a, leaves, cotangent)


def flatten(dx: torch.Tensor, grads) -> list[torch.Tensor]:
    return [dx, *(t for pair in grads for t in pair if t is not None)]


def check(widths: list[int], n: int, names: list[str], seed: int, bias: list[bool] | None = None) -> None:
    layers = network(widths, seed, bias)
    x = torch.randn(n, widths[0], dtype=DT, generator=gen(seed + 100))
    out, caches = mlp_forward(x, layers, names)
    cotangent = torch.randn(out.shape, dtype=DT, generator=gen(seed + 200))
    expected_out, expected_grads = by_torch(x, layers, names, cotangent)
    assert_close(out, expected_out)
    dx, grads = mlp_backward(cotangent, caches)
    assert_close(flatten(dx, grads), list(expected_grads))
    assert [(dw.shape, None if db is None else db.shape) for dw, db in grads] == [
        (w.shape, None if b is None else b.shape) for w, b in layers]


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@pytest.mark.parametrize("seed", range(3))
def test_every_activation_matches_torch_autograd(name: str, seed: int) -> None:
    g = gen(seed)
    depth = int(torch.randint(1, 4, (), generator=g))
    widths = torch.randint(1, 6, (depth + 1,), generator=g).tolist()
    n = int(torch.randint(1, 5, (), generator=g))
    check(widths, n, [name] * depth, seed)


@SETTINGS
@given(st.lists(st.integers(1, 6), min_size=2, max_size=5), st.integers(1, 5), st.data())
def test_random_shapes_and_mixed_activations_match_torch_autograd(widths: list[int], n: int, data) -> None:
    depth = len(widths) - 1
    names = data.draw(st.lists(st.sampled_from(DIFFERENTIABLE), min_size=depth, max_size=depth))
    bias = data.draw(st.lists(st.booleans(), min_size=depth, max_size=depth))
    check(widths, n, names, data.draw(st.integers(0, 1000)), bias)


def test_step_passes_no_gradient() -> None:
    layers = network([3, 4, 2], 1)
    x = torch.randn(5, 3, dtype=DT, generator=gen(2))
    out, caches = mlp_forward(x, layers, ["tanh", "step"])
    h = torch.tanh(F.linear(x, *layers[0]))
    assert_close(out, torch.heaviside(F.linear(h, *layers[1]), torch.tensor(1.0, dtype=DT)))
    dx, grads = mlp_backward(torch.ones_like(out), caches)
    assert all(bool((t == 0).all()) for t in flatten(dx, grads))


def test_a_two_layer_classifier_with_softmax_and_cross_entropy() -> None:
    # dA of the mean cross-entropy after softmax is -Y / (N·A); the Jacobian turns it into dZ = (A - Y) / N
    layers = network([4, 6, 3], 3)
    x, y = torch.randn(8, 4, dtype=DT, generator=gen(4)), torch.randint(0, 3, (8,), generator=gen(5))
    out, caches = mlp_forward(x, layers, ["relu", "softmax"])
    onehot = F.one_hot(y, 3).to(DT)
    _, grads = mlp_backward(-onehot / (8 * out), caches)
    z2 = caches[-1].z
    assert_close(grads[1][1], ((out - onehot) / 8).sum(0))
    params = [t.clone().requires_grad_() for pair in layers for t in pair]  # type: ignore[union-attr]
    logits = F.linear(torch.relu(F.linear(x, params[0], params[1])), params[2], params[3])
    assert_close(logits, z2)
    expected = torch.autograd.grad(F.cross_entropy(logits, y), params)
    assert_close([t for pair in grads for t in pair], list(expected))


def test_backprop_passes_a_gradient_check() -> None:
    layers = network([3, 5, 2], 6)
    x = torch.randn(4, 3, dtype=DT, generator=gen(7))
    w1 = layers[0][0]

    def loss(w: torch.Tensor) -> torch.Tensor:
        out, _ = mlp_forward(x, [(w, layers[0][1]), layers[1]], ["tanh", "sigmoid"])
        return (out**2).mean()

    out, caches = mlp_forward(x, layers, ["tanh", "sigmoid"])
    _, grads = mlp_backward(2 * out / out.numel(), caches)
    assert gradient_check(loss, w1, grads[0][0]) < 1e-7
    assert gradient_check(loss, w1, grads[0][0].T.contiguous().reshape(w1.shape)) > 1e-3  # a layout bug is caught


def test_layer_with_a_custom_activation_record() -> None:
    leaky = dataclasses.replace(ACTIVATIONS["leaky_relu"], params={"negative_slope": 0.2})
    a_prev, w, b = (torch.randn(s, dtype=DT, generator=gen(k)) for k, s in enumerate([(5, 3), (4, 3), (4,)]))
    a, cache = layer_forward(a_prev, w, b, leaky)
    cot = torch.randn(5, 4, dtype=DT, generator=gen(9))
    leaves = [t.clone().requires_grad_() for t in (a_prev, w, b)]
    ref = F.leaky_relu(F.linear(*leaves), 0.2)
    assert_close(a, ref)
    assert_close(list(layer_backward(cot, cache)), list(torch.autograd.grad(ref, leaves, cot)))
    assert isinstance(cache, LayerCache)
    assert cache.a_prev is a_prev


def test_float32_matches_torch() -> None:
    layers = [(w.float(), b.float() if b is not None else None) for w, b in network([3, 4, 2], 8)]
    x = torch.randn(6, 3, generator=gen(9))
    out, caches = mlp_forward(x, layers, "gelu")
    cot = torch.ones_like(out)
    leaves = [x.clone().requires_grad_(), *(t.clone().requires_grad_() for pair in layers for t in pair)]  # type: ignore[union-attr]
    ref = F.gelu(F.linear(F.gelu(F.linear(leaves[0], leaves[1], leaves[2])), leaves[3], leaves[4]))
    dx, grads = mlp_backward(cot, caches)
    assert_close(flatten(dx, grads), list(torch.autograd.grad(ref, leaves, cot)))


X = torch.ones(2, 3, dtype=DT)
W = torch.ones(4, 3, dtype=DT)
B = torch.ones(4, dtype=DT)
_, CACHE = layer_forward(X, W, B)
SOFTMAX_DIM0 = dataclasses.replace(ACTIVATIONS["softmax"], params={"dim": 0})


@pytest.mark.parametrize(("call", "error", "msg"), [
    (lambda: layer_forward(torch.ones(3, dtype=DT), W), ValueError,
     "layer_forward: a_prev has the wrong number of dimensions (got 1-D of shape (3,)); expected 2-D (N, in_features)"),
    (lambda: layer_forward(X, torch.ones(4, 3)), TypeError,
     "layer_forward: weight has the wrong dtype (got torch.float32); expected torch.float64, the input's"),
    (lambda: layer_forward(X, torch.ones(4, 2, dtype=DT)), ValueError,
     "layer_forward: weight does not match the width of its input (got (4, 2)); expected (out_features, 3)"),
    (lambda: layer_forward(X, W, torch.ones(1, dtype=DT)), ValueError,
     "layer_forward: bias has the wrong shape (got (1,)); expected (4,), one bias per neuron"),
    (lambda: layer_forward(X, W, B, "swishy"), ValueError,
     "layer_forward: activation is not a valid choice (got 'swishy'); expected one of " +
     ", ".join(map(repr, ACTIVATIONS))),
    (lambda: layer_forward(X, W, B, torch.relu), TypeError,
     "layer_forward: activation has the wrong type (got builtin_function_or_method); expected an activation name "
     "such as 'relu' or a dlref.activations.Activation"),
    (lambda: layer_forward(X, W, B, SOFTMAX_DIM0), ValueError,
     "layer_forward: activation takes its Jacobian along the wrong dim (got 0); expected dim=-1, the features of "
     "each sample"),
    (lambda: layer_backward(torch.ones(2, 3, dtype=DT), CACHE), ValueError,
     "layer_backward: grad_a has the wrong shape (got (2, 3)); expected (2, 4), the shape of the layer's output"),
    (lambda: layer_backward(torch.ones(2, 4, dtype=DT), (X, W)), TypeError,
     "layer_backward: cache has the wrong type (got tuple); expected the LayerCache returned by layer_forward"),
    (lambda: mlp_forward(X, [], "relu"), ValueError,
     "mlp_forward: layers is empty (got []); expected at least one (weight, bias) pair"),
    (lambda: mlp_forward(X, (W, B), "relu"), TypeError,
     "mlp_forward: layers[0] has the wrong type (got Tensor); expected a (weight, bias) pair"),
    (lambda: mlp_forward(X, [(W, B), (W, B)], "relu"), ValueError,
     "mlp_forward: layers[1][0] does not match the width of its input (got (4, 3)); expected (out_features, 4)"),
    (lambda: mlp_forward(X, [(W, B)], ["relu", "tanh"]), ValueError,
     "mlp_forward: activations has the wrong length (got 2); expected 1, one per layer"),
    (lambda: mlp_forward(X, [(W, B)], [3]), TypeError,
     "mlp_forward: activations[0] has the wrong type (got int); expected an activation name such as 'relu' or a "
     "dlref.activations.Activation"),
    (lambda: mlp_backward(torch.tensor(1.0, dtype=DT), [CACHE]), ValueError,
     "mlp_backward: grad_output has the wrong shape (got ()); expected (2, 4), the shape of the network's output"),
    (lambda: mlp_backward(torch.ones(2, 4, dtype=torch.long), [CACHE]), TypeError,
     "mlp_backward: grad_output has the wrong dtype (got torch.int64); expected a floating-point tensor"),
    (lambda: mlp_backward(torch.ones(2, 4, dtype=DT), []), ValueError,
     "mlp_backward: caches is empty (got []); expected one LayerCache per layer"),
    (lambda: mlp_backward(torch.ones(2, 4, dtype=DT), CACHE), TypeError,
     "mlp_backward: caches has the wrong type (got LayerCache); expected the list of LayerCaches returned by "
     "mlp_forward"),
])
def test_errors(call, error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        call()
