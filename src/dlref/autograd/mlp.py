r"""Backpropagation for a multilayer perceptron in matrix form: forward caches, then dZ, dW, db, dA_prev per layer.

A fully connected layer $l$ with activation $g$, in torch's layout (one row per
sample, one row of $W$ per neuron):

$$
Z^{[l]} = A^{[l-1]} W^{[l]\top} + b^{[l]}, \qquad A^{[l]} = g(Z^{[l]}), \qquad A^{[0]} = X .
$$

Given $dA^{[l]} = \partial L / \partial A^{[l]}$, the backward pass of the layer is

$$
dZ^{[l]} = dA^{[l]} \odot g'(Z^{[l]}), \quad
dW^{[l]} = dZ^{[l]\top} A^{[l-1]}, \quad
db^{[l]} = \textstyle\sum_{n} dZ^{[l]}_{n,:}, \quad
dA^{[l-1]} = dZ^{[l]}\, W^{[l]} .
$$

The sum over the batch in $db$ (and the one hidden in the product for $dW$) adds up
the samples' contributions; if the loss is a mean over the batch, its $1/N$ is already
in $dA^{[L]}$. The forward pass keeps $A^{[l-1]}$ and $Z^{[l]}$ in a
[LayerCache][dlref.autograd.LayerCache], because the backward pass needs them.

Activations come from [dlref.activations.ACTIVATIONS][dlref.activations.ACTIVATIONS],
by name or as a record, with the record's parameters. An elementwise activation uses
its `*_derivative`. Softmax and log-softmax are not elementwise (each output depends on
the whole row), so for them the elementwise product becomes a vector-Jacobian product
per sample, $dZ_n = J(Z_n)^\top dA_n$, with their `*_jacobian`.

Sources: the notes on network representation and backpropagation (003), in torch's
layout instead of one column per sample; `torch.nn.Linear` for the shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from dlref._checks import check_choice, check_ndim, check_tensor, fail, fail_type, message
from dlref.activations import ACTIVATIONS, Activation

__all__ = ["LayerCache", "layer_backward", "layer_forward", "mlp_backward", "mlp_forward"]

ActivationLike = str | Activation
Layer = tuple[Tensor, Tensor | None]


@dataclass(frozen=True, eq=False)
class LayerCache:
    r"""What the forward pass of one layer keeps for its backward pass.

    $dW = dZ^\top A^{[l-1]}$ needs the layer's input, $dZ = dA \odot g'(Z)$ its
    pre-activation, and $dA^{[l-1]} = dZ\, W$ its weight: the forward pass computes all
    three anyway, so it keeps them (this is the memory that training spends on activations).

    Attributes:
        a_prev: $A^{[l-1]}$, the layer's input, shape $(N, d_{in})$.
        z: $Z^{[l]}$, the pre-activation, shape $(N, d_{out})$.
        weight: $W^{[l]}$, shape $(d_{out}, d_{in})$.
        bias: $b^{[l]}$, shape $(d_{out})$, or None.
        activation: The activation's registry record.

    Torch counterpart: the tensors autograd saves for backward (``ctx.save_for_backward``).

    Examples:
        >>> import torch
        >>> from dlref.autograd import layer_forward
        >>> _, cache = layer_forward(torch.ones(5, 3), torch.ones(4, 3), None, "tanh")
        >>> tuple(cache.a_prev.shape), tuple(cache.z.shape), cache.activation.name
        ((5, 3), (5, 4), 'tanh')
    """

    a_prev: Tensor
    z: Tensor
    weight: Tensor
    bias: Tensor | None
    activation: Activation


# --------------------------------------------------------------------------- checks


def _activation(fn: str, name: str, value: object) -> Activation:
    """A registry record from a name in ACTIVATIONS or a record."""
    if isinstance(value, Activation):
        record = value
    elif isinstance(value, str):
        record = ACTIVATIONS[check_choice(fn, name, value, tuple(ACTIVATIONS))]
    else:
        fail_type(fn, name, value, "expected an activation name such as 'relu' or a dlref.activations.Activation")
    if record.derivative is None and record.params.get("dim", -1) not in (-1, 1):
        fail(fn, name, "takes its Jacobian along the wrong dim", record.params["dim"],
             "expected dim=-1, the features of each sample")
    return record


def _check_layer(fn: str, a_prev: Tensor, weight: object, bias: object, names: tuple[str, str]
                 ) -> tuple[Tensor, Tensor | None]:
    """weight (d_out, d_in) matching a_prev's width and dtype; bias (d_out,) or None."""
    w = check_tensor(fn, names[0], weight)
    check_ndim(fn, names[0], w, (2,), "(out_features, in_features)")
    if w.dtype != a_prev.dtype:
        raise TypeError(message(fn, names[0], "has the wrong dtype", w.dtype, f"expected {a_prev.dtype}, the input's"))
    if w.shape[1] != a_prev.shape[1]:
        fail(fn, names[0], "does not match the width of its input", tuple(w.shape),
             f"expected (out_features, {a_prev.shape[1]})")
    if bias is None:
        return w, None
    b = check_tensor(fn, names[1], bias)
    if b.dtype != a_prev.dtype:
        raise TypeError(message(fn, names[1], "has the wrong dtype", b.dtype, f"expected {a_prev.dtype}, the input's"))
    if tuple(b.shape) != (w.shape[0],):
        fail(fn, names[1], "has the wrong shape", tuple(b.shape), f"expected ({w.shape[0]},), one bias per neuron")
    return w, b


def _check_input(fn: str, name: str, value: object) -> Tensor:
    a = check_tensor(fn, name, value)
    return check_ndim(fn, name, a, (2,), "(N, in_features)")


# --------------------------------------------------------------------------- one layer


def layer_forward(a_prev: Tensor, weight: Tensor, bias: Tensor | None = None,
                  activation: ActivationLike = "relu") -> tuple[Tensor, LayerCache]:
    r"""One fully connected layer and its activation, keeping what the backward pass needs.

    $$
    Z = A_{prev} W^\top + b, \qquad A = g(Z)
    $$

    Args:
        a_prev: $A_{prev}$, the input, one sample per row.
        weight: $W$, one row per neuron; the dtype of `a_prev`.
        bias: $b$. Defaults to None, no bias.
        activation: $g$: a name in `ACTIVATIONS` (with its registry parameters) or an
            `Activation` record. Defaults to "relu".

    Shape:
        - A_prev: $(N, d_{in})$. Weight: $(d_{out}, d_{in})$. Bias: $(d_{out})$.
        - Output: $(N, d_{out})$.

    Returns:
        `(A, cache)`: the activations and the [LayerCache][dlref.autograd.LayerCache].

    Raises:
        TypeError: If a tensor is not floating point, the dtypes differ, or `activation`
            is neither a name nor a record.
        ValueError: If a shape is wrong or the name is not in `ACTIVATIONS`.

    Torch counterpart: ``g(torch.nn.functional.linear(a_prev, weight, bias))``.

    Examples:
        >>> import torch
        >>> from dlref.autograd import layer_forward
        >>> a, cache = layer_forward(torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0, -1.0], [0.5, 0.5]]),
        ...                          torch.tensor([0.0, 1.0]), "relu")
        >>> a, cache.z
        (tensor([[0.0000, 2.5000]]), tensor([[-1.0000,  2.5000]]))
    """
    fn = "layer_forward"
    a = _check_input(fn, "a_prev", a_prev)
    w, b = _check_layer(fn, a, weight, bias, ("weight", "bias"))
    g = _activation(fn, "activation", activation)
    # Z = A_prev Wᵀ + b   (N, d_out)
    z = a @ w.T if b is None else a @ w.T + b
    # A = g(Z)
    return g.forward(z, **g.params), LayerCache(a, z, w, b, g)


def layer_backward(grad_a: Tensor, cache: LayerCache) -> tuple[Tensor, Tensor, Tensor | None]:
    r"""The backward pass of one layer: from $dA$ to $dZ$, then $dW$, $db$ and $dA_{prev}$.

    $$
    dZ = dA \odot g'(Z), \quad dW = dZ^\top A_{prev}, \quad db = \textstyle\sum_n dZ_{n,:}, \quad dA_{prev} = dZ\, W
    $$

    For softmax and log-softmax, $dZ_n = J(Z_n)^\top dA_n$ for each sample $n$ (see the module notes).

    Args:
        grad_a: $dA = \partial L / \partial A$, the gradient of the loss with respect to
            this layer's output.
        cache: The [LayerCache][dlref.autograd.LayerCache] from [layer_forward][dlref.autograd.layer_forward].

    Shape:
        - Grad_a: $(N, d_{out})$, the shape of the layer's output.

    Returns:
        `(dA_prev, dW, db)`, shaped as `a_prev`, `weight` and `bias`; `db` is None without a bias.

    Raises:
        TypeError: If `grad_a` is not a floating-point tensor or `cache` not a LayerCache.
        ValueError: If `grad_a` does not have the output's shape.

    Torch counterpart: `torch.autograd.grad` of the layer's output with `grad_outputs=grad_a`.

    Examples:
        >>> import torch
        >>> from dlref.autograd import layer_backward, layer_forward
        >>> a, cache = layer_forward(torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0, -1.0], [0.5, 0.5]]),
        ...                          torch.tensor([0.0, 1.0]), "relu")
        >>> da_prev, dw, db = layer_backward(torch.ones(1, 2), cache)  # the first neuron is off: its dZ is 0
        >>> da_prev, dw, db
        (tensor([[0.5000, 0.5000]]), tensor([[0., 0.],
                [1., 2.]]), tensor([0., 1.]))
    """
    fn = "layer_backward"
    if not isinstance(cache, LayerCache):
        fail_type(fn, "cache", cache, "expected the LayerCache returned by layer_forward")
    da = check_tensor(fn, "grad_a", grad_a)
    if da.shape != cache.z.shape:
        fail(fn, "grad_a", "has the wrong shape", tuple(da.shape),
             f"expected {tuple(cache.z.shape)}, the shape of the layer's output")
    g = cache.activation
    if g.derivative is not None:
        # dZ = dA ⊙ g'(Z)   (N, d_out)
        dz = da * g.derivative(cache.z, **g.params)
    else:
        jacobian = g.jacobian
        if jacobian is None:  # a record with neither; every registry record has one of the two
            fail(fn, "cache", "has an activation without derivative or Jacobian", g.name, "expected a registry record")
        params = {k: v for k, v in g.params.items() if k != "dim"}
        # J[n, i, j] = ∂A_ni / ∂Z_nj   (N, d_out, d_out)
        jac = jacobian(cache.z, dim=-1, **params)
        # dZ_nj = Σ_i dA_ni J[n, i, j], i.e. dZ_n = J(Z_n)ᵀ dA_n
        dz = torch.einsum("ni,nij->nj", da, jac)
    # dW = dZᵀ A_prev   (d_out, d_in): Σ over samples of dZ_n A_prev,nᵀ
    dw = dz.T @ cache.a_prev
    # db = Σ_n dZ_n   (d_out)
    db = dz.sum(dim=0) if cache.bias is not None else None
    # dA_prev = dZ W   (N, d_in)
    da_prev = dz @ cache.weight
    return da_prev, dw, db


# --------------------------------------------------------------------------- the network


def mlp_forward(x: Tensor, layers: Sequence[Layer], activations: ActivationLike | Sequence[ActivationLike]
                ) -> tuple[Tensor, list[LayerCache]]:
    r"""Forward propagation through fully connected layers, keeping one cache per layer.

    $$
    A^{[0]} = X, \qquad Z^{[l]} = A^{[l-1]} W^{[l]\top} + b^{[l]}, \qquad A^{[l]} = g^{[l]}(Z^{[l]}),
    \quad l = 1, \dots, L
    $$

    Args:
        x: $X$, one sample per row.
        layers: `(weight, bias)` pairs, weight $(d_l, d_{l-1})$, bias $(d_l)$ or None.
        activations: One activation for every layer, or a list with one per layer (for
            example ``["relu", "relu", "identity"]``): names in `ACTIVATIONS` or records.

    Shape:
        - X: $(N, d_0)$. Output: $(N, d_L)$.

    Returns:
        `(A_L, caches)`: the network's output and the list of [LayerCache][dlref.autograd.LayerCache]s.

    Raises:
        TypeError: If a tensor is not floating point, the dtypes differ, or an argument
            has the wrong type.
        ValueError: If `layers` is empty, widths do not chain, a bias has the wrong shape,
            an activation name is unknown, or the list of activations has the wrong length.

    Torch counterpart: a `torch.nn.Sequential` of `torch.nn.Linear` and activation modules.

    Examples:
        >>> import torch
        >>> from dlref.autograd import mlp_forward
        >>> W1, W2 = torch.tensor([[1.0, -1.0], [0.5, 0.5]]), torch.tensor([[1.0, 2.0]])
        >>> out, caches = mlp_forward(torch.tensor([[1.0, 2.0]]), [(W1, None), (W2, None)], ["relu", "identity"])
        >>> out, len(caches)
        (tensor([[3.]]), 2)
    """
    fn = "mlp_forward"
    a = _check_input(fn, "x", x)
    if not isinstance(layers, (list, tuple)):
        fail_type(fn, "layers", layers, "expected a list of (weight, bias) pairs")
    if len(layers) == 0:
        fail(fn, "layers", "is empty", repr(layers), "expected at least one (weight, bias) pair")
    if isinstance(activations, (list, tuple)):
        if len(activations) != len(layers):
            fail(fn, "activations", "has the wrong length", len(activations), f"expected {len(layers)}, one per layer")
        gs = [_activation(fn, f"activations[{k}]", g) for k, g in enumerate(activations)]
    else:
        gs = [_activation(fn, "activations", activations)] * len(layers)
    caches = []
    for k, (pair, g) in enumerate(zip(layers, gs, strict=True)):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail_type(fn, f"layers[{k}]", pair, "expected a (weight, bias) pair")
        w, b = _check_layer(fn, a, pair[0], pair[1], (f"layers[{k}][0]", f"layers[{k}][1]"))
        # A^[l] = g(A^[l-1] W^[l]ᵀ + b^[l])
        a, cache = layer_forward(a, w, b, g)
        caches.append(cache)
    return a, caches


def mlp_backward(grad_output: Tensor, caches: Sequence[LayerCache]
                 ) -> tuple[Tensor, list[tuple[Tensor, Tensor | None]]]:
    r"""Backpropagation through the layers of [mlp_forward][dlref.autograd.mlp_forward], last layer first.

    $$
    dA^{[L]} = \frac{\partial L}{\partial A^{[L]}}, \qquad
    (dA^{[l-1]}, dW^{[l]}, db^{[l]}) = \text{layer\_backward}(dA^{[l]}, \text{cache}^{[l]}),
    \quad l = L, \dots, 1
    $$

    Args:
        grad_output: $dA^{[L]}$, the gradient of the (scalar) loss with respect to the
            network's output; for a loss averaged over the batch it includes the $1/N$.
        caches: The caches returned by `mlp_forward`.

    Shape:
        - Grad_output: $(N, d_L)$, the shape of the network's output.

    Returns:
        `(dX, grads)`: the gradient with respect to the input, and one `(dW, db)` pair
        per layer, in the order of `layers` (`db` is None for a layer without bias).

    Raises:
        TypeError: If `grad_output` is not a floating-point tensor or `caches` not a list of LayerCaches.
        ValueError: If `caches` is empty or `grad_output` does not have the output's shape.

    Torch counterpart: ``torch.autograd.grad(output, [x, *params], grad_outputs=grad_output)``.

    Examples:
        >>> import torch
        >>> from dlref.autograd import mlp_backward, mlp_forward
        >>> W1, W2 = torch.tensor([[1.0, -1.0], [0.5, 0.5]]), torch.tensor([[1.0, 2.0]])
        >>> out, caches = mlp_forward(torch.tensor([[1.0, 2.0]]), [(W1, None), (W2, None)], ["relu", "identity"])
        >>> dx, grads = mlp_backward(torch.ones(1, 1), caches)  # L = the output itself
        >>> dx, grads[0][0], grads[1][0]
        (tensor([[1., 1.]]), tensor([[0., 0.],
                [2., 4.]]), tensor([[0.0000, 1.5000]]))
    """
    fn = "mlp_backward"
    if not isinstance(caches, (list, tuple)) or not all(isinstance(c, LayerCache) for c in caches):
        fail_type(fn, "caches", caches, "expected the list of LayerCaches returned by mlp_forward")
    if len(caches) == 0:
        fail(fn, "caches", "is empty", repr(caches), "expected one LayerCache per layer")
    da = check_tensor(fn, "grad_output", grad_output)
    if da.shape != caches[-1].z.shape:
        fail(fn, "grad_output", "has the wrong shape", tuple(da.shape),
             f"expected {tuple(caches[-1].z.shape)}, the shape of the network's output")
    grads: list[tuple[Tensor, Tensor | None]] = []
    for cache in reversed(caches):
        # dA^[l] → dA^[l-1], dW^[l], db^[l]
        da, dw, db = layer_backward(da, cache)
        grads.append((dw, db))
    return da, grads[::-1]
