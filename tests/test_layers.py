"""dlref.layers against F.linear, nn.Linear and nn.Sequential; the perceptron on AND, OR and XOR; errors."""

from __future__ import annotations

import itertools
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.testing import assert_close

from dlref.activations import identity, relu, sigmoid, tanh
from dlref.layers import Perceptron, forward, forward_loop, linear, linear_params
from dlref.summary import summary

from .torch_reference import DT, gen, same

# (input shape, weight shape, bias shape or None): batches, a single sample, extra leading dims, a single neuron,
# an empty batch and zero in_features, and torch's scalar bias
LINEAR_CASES = [
    ((5, 3), (4, 3), (4,)),
    ((5, 3), (4, 3), None),
    ((3,), (4, 3), (4,)),
    ((2, 3, 6), (5, 6), (5,)),
    ((2, 3, 6), (5, 6), None),
    ((7, 3), (3,), None),
    ((2, 4, 3), (3,), None),
    ((0, 3), (2, 3), (2,)),
    ((4, 0), (2, 0), (2,)),
    ((5, 3), (4, 3), ()),
]

X_BOOL = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=DT)
AND = torch.tensor([0, 0, 0, 1])
OR = torch.tensor([0, 1, 1, 1])
XOR = torch.tensor([0, 1, 1, 0])


def rand(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    return torch.randn(shape, dtype=DT, generator=gen(seed))


# --------------------------------------------------------------------------- linear


@pytest.mark.parametrize(("x_shape", "w_shape", "b_shape"), LINEAR_CASES)
def test_linear_matches_torch(x_shape: tuple[int, ...], w_shape: tuple[int, ...],
                              b_shape: tuple[int, ...] | None) -> None:
    tensors = [rand(x_shape, 1), rand(w_shape, 2)]
    if b_shape is not None:
        tensors.append(rand(b_shape, 3))
    same(linear, F.linear, tensors, [True] * len(tensors))


def test_linear_matches_nn_linear_in_float32() -> None:
    layer = nn.Linear(6, 3)
    x = torch.randn(4, 6, generator=gen(0))
    assert_close(linear(x, layer.weight, layer.bias), layer(x))


def test_linear_single_neuron_with_a_scalar_bias() -> None:
    # torch refuses a bias with a 1-D weight ("mat2 must be a matrix"); dlref gives x·w + b (module notes)
    x, w, b = rand((5, 3), 4), rand((3,), 5), rand((), 6)
    with pytest.raises(RuntimeError):
        F.linear(x, w, b)
    same(linear, lambda x, w, b: F.linear(x, w) + b, [x, w, b], [True, True, True])
    assert linear(x, w, b).shape == (5,)


@pytest.mark.parametrize("b_shape", [(5, 4), (1,)])
def test_linear_refuses_the_bias_shapes_torch_broadcasts(b_shape: tuple[int, ...]) -> None:
    x, w, b = rand((5, 3), 7), rand((4, 3), 8), rand(b_shape, 9)
    assert F.linear(x, w, b).shape == (5, 4)  # torch broadcasts them
    msg = f"linear: bias has the wrong shape (got {b_shape}); expected (4,) or () for a weight of shape (4, 3)"
    with pytest.raises(ValueError, match=re.escape(msg)):
        linear(x, w, b)


LINEAR_ERRORS = [
    ([1, 2], rand((2, 2), 0), None, TypeError, "linear: input has the wrong type (got list); expected a torch.Tensor"),
    (torch.ones(2, 2, dtype=torch.long), rand((2, 2), 0), None, TypeError,
     "linear: input has the wrong dtype (got torch.int64); expected a floating-point tensor"),
    (rand((2, 2), 0), torch.ones(2, 2), None, TypeError,
     "linear: weight has the wrong dtype (got torch.float32); expected torch.float64, the dtype of input"),
    (rand((2, 2), 0), rand((2, 2), 1), torch.ones(2), TypeError,
     "linear: bias has the wrong dtype (got torch.float32); expected torch.float64, the dtype of input"),
    (rand((2, 2), 0), rand((2, 2), 1), "b", TypeError,
     "linear: bias has the wrong type (got str); expected a torch.Tensor"),
    (rand((), 0), rand((2, 2), 1), None, ValueError,
     "linear: input has the wrong number of dimensions (got 0-D of shape ()); expected at least 1-D (*, in_features)"),
    (rand((2, 3), 0), rand((2, 2, 3), 1), None, ValueError,
     "linear: weight has the wrong number of dimensions (got 3-D of shape (2, 2, 3)); "
     "expected 1 or 2-D (out_features, in_features) or (in_features,)"),
    (rand((5, 3), 0), rand((4, 2), 1), None, ValueError,
     "linear: weight does not match the input's features (got (4, 2)); "
     "expected in_features = 3, the last dim of input of shape (5, 3)"),
    (rand((5, 3), 0), rand((4, 3), 1), rand((3,), 2), ValueError,
     "linear: bias has the wrong shape (got (3,)); expected (4,) or () for a weight of shape (4, 3)"),
    (rand((5, 3), 0), rand((3,), 1), rand((1,), 2), ValueError,
     "linear: bias has the wrong shape (got (1,)); expected () for a weight of shape (3,)"),
]


@pytest.mark.parametrize(("x", "w", "b", "error", "msg"), LINEAR_ERRORS)
def test_linear_errors(x: object, w: object, b: object, error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        linear(x, w, b)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- parameter counts


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op:UserWarning")  # nn.Linear(3, 0)
@pytest.mark.parametrize(("d_in", "d_out"), [(1, 1), (784, 128), (3, 0), (0, 5), (10, 10)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_params_matches_nn_linear(d_in: int, d_out: int, bias: bool) -> None:
    assert linear_params(d_in, d_out, bias) == sum(p.numel() for p in nn.Linear(d_in, d_out, bias).parameters())


def test_linear_params_agrees_with_summary() -> None:
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10, bias=False))
    assert summary(model, (784,)).total_params == linear_params(784, 128) + linear_params(128, 10, bias=False)


@pytest.mark.parametrize(("args", "error", "msg"), [
    ((2.0, 3), TypeError, "linear_params: in_features has the wrong type (got float); expected an int"),
    ((2, -1), ValueError, "linear_params: out_features is out of range (got -1); expected an int >= 0"),
    ((2, 3, 1), TypeError, "linear_params: bias has the wrong type (got int); expected True or False"),
])
def test_linear_params_errors(args: tuple[object, ...], error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        linear_params(*args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- forward propagation


def mlp(widths: list[int], seed: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(rand((d_out, d_in), seed + k), rand((d_out,), seed + 100 + k))
            for k, (d_in, d_out) in enumerate(itertools.pairwise(widths))]


def sequential(layers: list[tuple[torch.Tensor, torch.Tensor]], modules: list[nn.Module]) -> nn.Sequential:
    parts: list[nn.Module] = []
    for (w, b), act in zip(layers, modules, strict=True):
        lin = nn.Linear(w.shape[1], w.shape[0], dtype=DT)
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(b)
        parts += [lin, act]
    return nn.Sequential(*parts)


@pytest.mark.parametrize(("ours", "theirs"), [(relu, nn.ReLU()), (tanh, nn.Tanh()), (sigmoid, nn.Sigmoid())])
@pytest.mark.parametrize("widths", [[3, 4, 2], [5, 1], [2, 6, 6, 3]])
def test_forward_loop_and_forward_match_sequential(ours, theirs, widths: list[int]) -> None:
    layers = mlp(widths, seed=sum(widths))
    x = rand((7, widths[0]), 11)
    expected = sequential(layers, [theirs] * len(layers))(x)
    assert_close(forward(x, layers, ours), expected)
    assert_close(forward_loop(x, layers, ours), expected)


def test_forward_one_activation_per_layer_and_a_single_sample() -> None:
    layers = mlp([4, 5, 3], seed=3)
    expected = sequential(layers, [nn.ReLU(), nn.Identity()])
    x = rand((6, 4), 12)
    for fn in (forward, forward_loop):
        assert_close(fn(x, layers, [relu, identity]), expected(x))
        assert_close(fn(x[2], layers, [relu, identity]), expected(x[2]))
        assert fn(x[2], layers, [relu, identity]).shape == (3,)


def test_forward_without_bias_and_gradients_agree() -> None:
    layers = [(rand((3, 4), 20), None), (rand((2, 3), 21), rand((2,), 22))]
    x = rand((5, 4), 23)
    grads = []
    for fn in (forward, forward_loop):
        leaf = x.clone().requires_grad_()
        fn(leaf, layers, tanh).sum().backward()  # type: ignore[arg-type]
        grads.append(leaf.grad)
    assert_close(grads[0], grads[1])
    assert_close(forward(x, layers, tanh), forward_loop(x, layers, tanh))  # type: ignore[arg-type]


W34, B3 = rand((3, 4), 0), rand((3,), 1)
FORWARD_ERRORS = [
    (torch.ones(2, 4, dtype=torch.long), [(W34, B3)], relu, TypeError,
     "{fn}: x has the wrong dtype (got torch.int64); expected a floating-point tensor"),
    (rand((2, 2, 4), 2), [(W34, B3)], relu, ValueError,
     "{fn}: x has the wrong number of dimensions (got 3-D of shape (2, 2, 4)); "
     "expected 1 or 2-D (N, in_features) or (in_features,)"),
    (rand((2, 4), 2), (W34, B3), relu, TypeError,
     "{fn}: layers[0] has the wrong type (got Tensor); expected a (weight, bias) pair"),
    (rand((2, 4), 2), {"a": 1}, relu, TypeError,
     "{fn}: layers has the wrong type (got dict); expected a list of (weight, bias) pairs"),
    (rand((2, 4), 2), [], relu, ValueError,
     "{fn}: layers is empty (got []); expected at least one (weight, bias) pair"),
    (rand((2, 4), 2), [(rand((4,), 3), None)], relu, ValueError,
     "{fn}: layers[0][0] has the wrong number of dimensions (got 1-D of shape (4,)); "
     "expected 2-D (out_features, in_features)"),
    (rand((2, 5), 2), [(W34, B3)], relu, ValueError,
     "{fn}: layers[0][0] does not match the width of its input (got (3, 4)); "
     "expected (out_features, 5): in_features = 5, the features of x"),
    (rand((2, 4), 2), [(W34, B3), (rand((2, 4), 3), None)], relu, ValueError,
     "{fn}: layers[1][0] does not match the width of its input (got (2, 4)); "
     "expected (out_features, 3): in_features = 3, the output width of layers[0]"),
    (rand((2, 4), 2), [(W34, rand((4,), 3))], relu, ValueError,
     "{fn}: layers[0][1] has the wrong shape (got (4,)); expected (3,) or () for a weight of shape (3, 4)"),
    (rand((2, 4), 2), [(W34, rand((), 3))], relu, ValueError,
     "{fn}: layers[0][1] has the wrong shape (got ()); expected (3,), one bias per neuron"),
    (rand((2, 4), 2), [(W34.float(), None)], relu, TypeError,
     "{fn}: layers[0][0] has the wrong dtype (got torch.float32); expected torch.float64, the dtype of input"),
    (rand((2, 4), 2), [(W34, B3)], "relu", TypeError,
     "{fn}: activation has the wrong type (got str); expected a callable or a list of callables, one per layer"),
    (rand((2, 4), 2), [(W34, B3)], [relu, relu], ValueError,
     "{fn}: activation has the wrong length (got 2); expected 1, one per layer"),
]


@pytest.mark.parametrize("fn", [forward, forward_loop])
@pytest.mark.parametrize(("x", "layers", "activation", "error", "msg"), FORWARD_ERRORS)
def test_forward_errors(fn, x: object, layers: object, activation: object, error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg.format(fn=fn.__name__)) + "$"):
        fn(x, layers, activation)


# --------------------------------------------------------------------------- perceptron


@pytest.mark.parametrize("target", [AND, OR], ids=["AND", "OR"])
@pytest.mark.parametrize("lr", [1.0, 0.1])
def test_perceptron_learns_and_and_or(target: torch.Tensor, lr: float) -> None:
    p = Perceptron(2, dtype=DT)
    history = p.fit(X_BOOL, target, lr=lr, max_epochs=50)
    assert p.converged
    assert history[-1] == 0 and all(m > 0 for m in history[:-1])
    assert history == p.history and len(p.weight_history) == len(history)
    assert_close(p.predict(X_BOOL), target.to(DT))
    # the learned line separates the classes: w·x + b >= 0 exactly for the positives
    z = X_BOOL @ p.weight + p.bias
    assert bool(((z >= 0) == target.bool()).all())


def test_perceptron_learning_rate_only_rescales_from_zero_weights() -> None:
    a, b = Perceptron(2, dtype=DT), Perceptron(2, dtype=DT)
    assert a.fit(X_BOOL, AND, lr=1.0) == b.fit(X_BOOL, AND, lr=0.25)
    assert_close(a.weight * 0.25, b.weight)
    assert_close(a.bias * 0.25, b.bias)


def test_perceptron_does_not_converge_on_xor() -> None:
    p = Perceptron(2, dtype=DT)
    history = p.fit(X_BOOL, XOR, max_epochs=200)
    assert not p.converged
    assert len(history) == 200 and min(history) > 0
    assert bool((p.predict(X_BOOL) != XOR.to(DT)).any())


def test_perceptron_refit_restarts_from_zero_and_is_deterministic() -> None:
    p = Perceptron(2, dtype=DT)
    assert len(p.fit(X_BOOL, XOR, max_epochs=5)) == 5 and not p.converged
    fresh = Perceptron(2, dtype=DT)
    assert p.fit(X_BOOL, AND) == fresh.fit(X_BOOL, AND)
    assert p.converged
    assert_close(p.weight, fresh.weight)
    assert_close(p.bias, fresh.bias)


def test_perceptron_the_one_epoch_update_by_hand() -> None:
    # from w = 0, b = 0: ŷ = H(0) = 1 on every sample; the first mistake (label 0 on x = 0) moves b to -1 only
    p = Perceptron(2, dtype=DT)
    p.fit(X_BOOL[:1], torch.tensor([0]), max_epochs=1)
    assert_close(p.weight, torch.zeros(2, dtype=DT))
    assert_close(p.bias, torch.tensor(-1.0, dtype=DT))
    assert p.history == [1] and not p.converged


def test_perceptron_default_dtype_and_bool_labels() -> None:
    p = Perceptron(2)
    assert p.weight.dtype == torch.get_default_dtype()
    assert p.fit(X_BOOL.float(), OR.bool())[-1] == 0


PERCEPTRON_FIT_ERRORS = [
    (X_BOOL.float(), AND, {}, TypeError,
     "Perceptron.fit: X has the wrong dtype (got torch.float32); expected torch.float64, the dtype of the weights"),
    (X_BOOL[:, :1], AND, {}, ValueError,
     "Perceptron.fit: X has the wrong number of features (got (4, 1)); expected (N, 2), in_features = 2"),
    (X_BOOL[0], AND, {}, ValueError,
     "Perceptron.fit: X has the wrong number of dimensions (got 1-D of shape (2,)); expected 2-D (N, in_features)"),
    (X_BOOL, [0, 0, 0, 1], {}, TypeError,
     "Perceptron.fit: y has the wrong type (got list); expected a torch.Tensor"),
    (X_BOOL, AND[:3], {}, ValueError,
     "Perceptron.fit: y has the wrong shape (got (3,)); expected (4,), one label per row of X"),
    (X_BOOL, torch.tensor([0, 2, 0, 1]), {}, ValueError,
     "Perceptron.fit: y has a value out of range (got 2 at index (1,)); expected labels 0 or 1"),
    (X_BOOL, AND, {"lr": 0.0}, ValueError,
     "Perceptron.fit: lr is out of range (got 0.0); expected a finite number > 0"),
    (X_BOOL, AND, {"max_epochs": 0}, ValueError,
     "Perceptron.fit: max_epochs is out of range (got 0); expected an int >= 1"),
    (X_BOOL, AND, {"max_epochs": 2.0}, TypeError,
     "Perceptron.fit: max_epochs has the wrong type (got float); expected an int"),
]


@pytest.mark.parametrize(("X", "y", "kw", "error", "msg"), PERCEPTRON_FIT_ERRORS)
def test_perceptron_fit_errors(X: object, y: object, kw: dict, error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        Perceptron(2, dtype=DT).fit(X, y, **kw)  # type: ignore[arg-type]


def test_perceptron_constructor_and_predict_errors() -> None:
    with pytest.raises(ValueError, match=re.escape(
            "Perceptron: in_features is out of range (got 0); expected an int >= 1")):
        Perceptron(0)
    with pytest.raises(TypeError, match=re.escape(
            "Perceptron: dtype is not a floating dtype (got torch.int64); expected a floating torch.dtype")):
        Perceptron(2, dtype=torch.long)
    with pytest.raises(ValueError, match=re.escape(
            "Perceptron.predict: X has the wrong number of features (got (4, 2)); expected (N, 3), in_features = 3")):
        Perceptron(3, dtype=DT).predict(X_BOOL)
