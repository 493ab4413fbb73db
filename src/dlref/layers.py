r"""The neuron and the fully connected layer: `linear`, the `Perceptron`, forward propagation, parameter counts.

Scope: a neuron computes a weighted sum of its inputs plus a bias and passes it
through an activation $g$; a fully connected (dense) layer is $d_{out}$ such
neurons reading the same $d_{in}$ inputs:

$$
z_j = \sum_{i=1}^{d_{in}} w_{ji}\, x_i + b_j, \qquad a_j = g(z_j), \qquad j = 1, \dots, d_{out}.
$$

For a batch of $N$ samples, the rows of $X \in \mathbb{R}^{N \times d_{in}}$, the
same equations read $Z = X W^\top + b$, $A = g(Z)$ with $W \in \mathbb{R}^{d_{out} \times d_{in}}$
(torch's layout: one row per neuron). [linear][dlref.layers.linear] is that
product; [forward_loop][dlref.layers.forward_loop] and [forward][dlref.layers.forward]
push an input through a stack of layers, one neuron at a time and vectorized, with
one result. [Perceptron][dlref.layers.Perceptron] is the single neuron with a step
activation, trained by Rosenblatt's rule. [linear_params][dlref.layers.linear_params]
counts a layer's parameters; for a whole `torch.nn.Module` use
[dlref.summary.summary][dlref.summary.summary] (``summary(model, input_size).total_params``),
which counts every parameter once and is not repeated here.

Sources: `torch.nn.functional.linear` and `torch.nn.Linear` (names, layout, shapes);
Rosenblatt (1958) for the perceptron and Novikoff (1962) for its convergence on
linearly separable data.

Deliberate differences from torch (each one is tested):

- **No silent broadcasting of the bias.** `linear` accepts a bias of shape
  $(d_{out})$ or $()$, the two shapes torch documents; torch also broadcasts
  other shapes (for example $(N, d_{out})$ or $(1,)$), dlref raises `ValueError`.
- **A single neuron may have a bias.** A 1-D weight $(d_{in})$ (one neuron, output
  $(*)$) works in both without bias; with a bias of shape $()$ torch raises
  (``mat2 must be a matrix``), dlref returns $x \cdot w + b$.
- **Types.** Input, weight and bias must be floating-point tensors of one dtype
  (torch: `RuntimeError` on mixed dtypes); errors are `TypeError`/`ValueError` in
  the one message style.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor

from dlref._checks import (
    check_bool,
    check_int,
    check_ndim,
    check_real,
    check_tensor,
    check_values,
    fail,
    fail_type,
    message,
)
from dlref.activations import step

__all__ = ["Perceptron", "forward", "forward_loop", "linear", "linear_params"]

Activation = Callable[[Tensor], Tensor]
Layer = tuple[Tensor, Tensor | None]


# --------------------------------------------------------------------------- checks


def _check_same_dtype(fn: str, name: str, value: Tensor, reference: Tensor, reference_name: str) -> None:
    """TypeError unless `value` has the dtype of `reference`."""
    if value.dtype != reference.dtype:
        raise TypeError(message(fn, name, "has the wrong dtype", value.dtype,
                                f"expected {reference.dtype}, the dtype of {reference_name}"))


def _check_linear(fn: str, input: object, weight: object, bias: object, names: tuple[str, str] = ("weight", "bias")
                  ) -> tuple[Tensor, Tensor, Tensor | None]:
    """Input (*, in), weight (out, in) or (in,), bias (out,) or () or None; one floating dtype."""
    w_name, b_name = names
    x = check_tensor(fn, "input", input)
    w = check_tensor(fn, w_name, weight)
    _check_same_dtype(fn, w_name, w, x, "input")
    if x.dim() == 0:
        fail(fn, "input", "has the wrong number of dimensions", "0-D of shape ()",
             "expected at least 1-D (*, in_features)")
    check_ndim(fn, w_name, w, (1, 2), "(out_features, in_features) or (in_features,)")
    if w.shape[-1] != x.shape[-1]:
        fail(fn, w_name, "does not match the input's features", tuple(w.shape),
             f"expected in_features = {x.shape[-1]}, the last dim of input of shape {tuple(x.shape)}")
    if bias is None:
        return x, w, None
    b = check_tensor(fn, b_name, bias)
    _check_same_dtype(fn, b_name, b, x, "input")
    allowed = [()] if w.dim() == 1 else [(w.shape[0],), ()]
    if tuple(b.shape) not in allowed:
        shapes = " or ".join(str(s) for s in allowed)
        fail(fn, b_name, "has the wrong shape", tuple(b.shape),
             f"expected {shapes} for a weight of shape {tuple(w.shape)}")
    return x, w, b


def _check_forward(
    fn: str, x: object, layers: object, activation: object
) -> tuple[Tensor, list[Layer], list[Activation]]:
    """x (N, in) or (in,); a non-empty sequence of (weight, bias) pairs that chain; one activation or one per layer."""
    a = check_tensor(fn, "x", x)
    check_ndim(fn, "x", a, (1, 2), "(N, in_features) or (in_features,)")
    if not isinstance(layers, (list, tuple)):
        fail_type(fn, "layers", layers, "expected a list of (weight, bias) pairs")
    if len(layers) == 0:
        fail(fn, "layers", "is empty", repr(layers), "expected at least one (weight, bias) pair")
    checked: list[Layer] = []
    width = a.shape[-1]
    for k, pair in enumerate(layers):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail_type(fn, f"layers[{k}]", pair, "expected a (weight, bias) pair")
        w = check_tensor(fn, f"layers[{k}][0]", pair[0])
        check_ndim(fn, f"layers[{k}][0]", w, (2,), "(out_features, in_features)")
        if w.shape[1] != width:
            source = "the features of x" if k == 0 else f"the output width of layers[{k - 1}]"
            fail(fn, f"layers[{k}][0]", "does not match the width of its input", tuple(w.shape),
                 f"expected (out_features, {width}): in_features = {width}, {source}")
        _, w, b = _check_linear(fn, a.new_empty(width), w, pair[1], (f"layers[{k}][0]", f"layers[{k}][1]"))
        if b is not None and b.dim() == 0:
            fail(fn, f"layers[{k}][1]", "has the wrong shape", "()", f"expected ({w.shape[0]},), one bias per neuron")
        checked.append((w, b))
        width = w.shape[0]
    if callable(activation):
        return a, checked, [activation] * len(checked)
    if not isinstance(activation, (list, tuple)) or not all(callable(g) for g in activation):
        fail_type(fn, "activation", activation, "expected a callable or a list of callables, one per layer")
    if len(activation) != len(checked):
        fail(fn, "activation", "has the wrong length", len(activation), f"expected {len(checked)}, one per layer")
    return a, checked, list(activation)


# --------------------------------------------------------------------------- linear


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    r"""Fully connected layer: the weighted sums of all neurons, $y = x W^\top + b$.

    $$
    y_{\dots j} = \sum_{i} x_{\dots i}\, W_{ji} + b_j
    $$

    Row $j$ of $W$ holds the weights of neuron $j$. A 1-D weight $w$ is one neuron:
    $y = x \cdot w + b$ with a scalar bias.

    Args:
        input: Floating-point tensor $x$ whose last dimension holds the features.
        weight: $W$, one row per output feature, or a 1-D weight $w$ for a single neuron; the dtype of `input`.
        bias: $b$, of shape $(d_{out})$ or $()$ (or $()$ for a 1-D weight). Defaults to None, no bias.

    Shape:
        - Input: $(*, H_{in})$, where $*$ means any number of dimensions and $H_{in}$ = in_features.
        - Weight: $(H_{out}, H_{in})$ or $(H_{in})$.
        - Bias: $(H_{out})$ or $()$.
        - Output: $(*, H_{out})$, or $(*)$ for a 1-D weight.

    Returns:
        $x W^\top + b$.

    Raises:
        TypeError: If an argument is not a floating-point tensor, or the dtypes differ.
        ValueError: If `input` is 0-D, `weight` is not 1-D or 2-D, in_features differ, or
            `bias` has another shape than $(H_{out})$ or $()$ (no broadcasting).

    Torch counterpart: `torch.nn.functional.linear` (and `torch.nn.Linear`, which holds
    `weight` and `bias`); see the module notes for the bias shapes torch also broadcasts.

    References:
        - [torch.nn.functional.linear](https://docs.pytorch.org/docs/stable/generated/torch.nn.functional.linear.html)

    Examples:
        >>> import torch
        >>> from dlref.layers import linear
        >>> x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> W = torch.tensor([[1.0, 0.0], [1.0, -1.0], [0.5, 0.5]])
        >>> linear(x, W, torch.tensor([0.0, 1.0, -1.0]))
        tensor([[1.0000, 0.0000, 0.5000],
                [3.0000, 0.0000, 2.5000]])
        >>> linear(x, torch.tensor([1.0, 1.0]), torch.tensor(-3.0))  # one neuron
        tensor([0., 4.])
    """
    x, w, b = _check_linear("linear", input, weight, bias)
    # y = x Wᵀ: contract the last dim of x with the in_features dim of W (a 1-D w gives x·w)
    output = torch.matmul(x, w.t())
    if b is None:
        return output
    # y = x Wᵀ + b, one bias per output feature
    return output + b


def linear_params(in_features: int, out_features: int, bias: bool = True) -> int:
    r"""Number of parameters of a fully connected layer.

    $$
    P = d_{in}\, d_{out} + d_{out} \quad (\text{without bias: } d_{in}\, d_{out})
    $$

    one weight per (input, output) pair and one bias per output. For any
    `torch.nn.Module`, use ``dlref.summary.summary(model, input_size).total_params``.

    Args:
        in_features: $d_{in} \ge 0$.
        out_features: $d_{out} \ge 0$.
        bias: Whether the layer has a bias. Defaults to True.

    Returns:
        The count, equal to ``sum(p.numel() for p in torch.nn.Linear(in_features, out_features, bias).parameters())``.

    Raises:
        TypeError: If a size is not an int or `bias` not a bool.
        ValueError: If a size is negative.

    Torch counterpart: counting the parameters of `torch.nn.Linear`.

    Examples:
        >>> from dlref.layers import linear_params
        >>> linear_params(784, 128)
        100480
        >>> linear_params(784, 128, bias=False)
        100352
    """
    fn = "linear_params"
    d_in = check_int(fn, "in_features", in_features, low=0)
    d_out = check_int(fn, "out_features", out_features, low=0)
    has_bias = check_bool(fn, "bias", bias)
    # P = d_in·d_out + d_out
    return d_in * d_out + (d_out if has_bias else 0)


# --------------------------------------------------------------------------- forward propagation


def forward_loop(x: Tensor, layers: Sequence[Layer], activation: Activation | Sequence[Activation]) -> Tensor:
    r"""Forward propagation one sample, one neuron, one input at a time, with explicit loops.

    For each layer $l$, each sample and each neuron $j$:

    $$
    z_j^{[l]} = \sum_i w_{ji}^{[l]}\, a_i^{[l-1]} + b_j^{[l]}, \qquad a_j^{[l]} = g^{[l]}(z_j^{[l]}),
    \qquad a^{[0]} = x .
    $$

    The same result as the vectorized [forward][dlref.layers.forward] (up to
    rounding), slowly: it exists to be read next to the equations.

    Args:
        x: Floating-point input, one sample or a batch.
        layers: `(weight, bias)` pairs, weight of shape $(d_l, d_{l-1})$ (torch's layout),
            bias of shape $(d_l)$ or None.
        activation: $g$, an elementwise function applied to every layer's output, or a
            list with one function per layer (for example `identity` last).

    Shape:
        - X: $(N, d_0)$ or $(d_0)$.
        - Output: $(N, d_L)$ or $(d_L)$.

    Returns:
        The activations of the last layer, $a^{[L]}$.

    Raises:
        TypeError: If a tensor is not floating point, the dtypes differ, or `activation`
            is neither a callable nor a list of callables.
        ValueError: If `x` is not 1-D or 2-D, `layers` is empty, a weight is not 2-D,
            consecutive widths do not chain, a bias has the wrong shape, or the list of
            activations does not have one per layer.

    Torch counterpart: a `torch.nn.Sequential` of `torch.nn.Linear` and activation modules.

    Examples:
        >>> import torch
        >>> from dlref.activations import relu
        >>> from dlref.layers import forward_loop
        >>> W1, b1 = torch.tensor([[1.0, -1.0], [0.5, 0.5]]), torch.tensor([0.0, -1.0])
        >>> forward_loop(torch.tensor([[2.0, 1.0], [1.0, 3.0]]), [(W1, b1)], relu)
        tensor([[1.0000, 0.5000],
                [0.0000, 1.0000]])
    """
    a, checked, gs = _check_forward("forward_loop", x, layers, activation)
    samples = a.unsqueeze(0) if a.dim() == 1 else a
    rows = []
    for sample in samples:
        values = list(sample.unbind())  # a^[0] = x, one scalar per input
        for (w, b), g in zip(checked, gs, strict=True):
            outputs = []
            for j in range(w.shape[0]):
                # z_j = Σ_i w_ji a_i + b_j
                z = b[j] if b is not None else w.new_zeros(())
                for i, a_i in enumerate(values):
                    z = z + w[j, i] * a_i
                # a_j = g(z_j)
                outputs.append(g(z))
            values = outputs
        rows.append(torch.stack(values))
    out = torch.stack(rows)
    return out[0] if a.dim() == 1 else out


def forward(x: Tensor, layers: Sequence[Layer], activation: Activation | Sequence[Activation]) -> Tensor:
    r"""Forward propagation, vectorized over the batch and the neurons: one matrix product per layer.

    $$
    Z^{[l]} = A^{[l-1]} W^{[l]\top} + b^{[l]}, \qquad A^{[l]} = g^{[l]}(Z^{[l]}), \qquad A^{[0]} = X .
    $$

    Row $n$ of $A^{[l]}$ is sample $n$'s activations; the result equals
    [forward_loop][dlref.layers.forward_loop]'s (up to rounding) and a `torch.nn.Sequential`
    of `Linear` and activation modules with the same weights.

    Args:
        x: Floating-point input $X$, one sample or a batch.
        layers: `(weight, bias)` pairs, weight of shape $(d_l, d_{l-1})$ (torch's layout),
            bias of shape $(d_l)$ or None.
        activation: $g$, applied to every layer's output, or a list with one function
            per layer (for example `identity` last).

    Shape:
        - X: $(N, d_0)$ or $(d_0)$.
        - Output: $(N, d_L)$ or $(d_L)$.

    Returns:
        The activations of the last layer, $A^{[L]}$.

    Raises:
        TypeError: As [forward_loop][dlref.layers.forward_loop].
        ValueError: As [forward_loop][dlref.layers.forward_loop].

    Torch counterpart: a `torch.nn.Sequential` of `torch.nn.Linear` and activation modules.

    Examples:
        >>> import torch
        >>> from dlref.activations import relu
        >>> from dlref.layers import forward
        >>> W1, b1 = torch.tensor([[1.0, -1.0], [0.5, 0.5]]), torch.tensor([0.0, -1.0])
        >>> forward(torch.tensor([[2.0, 1.0], [1.0, 3.0]]), [(W1, b1)], relu)
        tensor([[1.0000, 0.5000],
                [0.0000, 1.0000]])
    """
    a, checked, gs = _check_forward("forward", x, layers, activation)
    for (w, b), g in zip(checked, gs, strict=True):
        # Z = A Wᵀ + b
        z = linear(a, w, b)
        # A = g(Z)
        a = g(z)
    return a


# --------------------------------------------------------------------------- perceptron


class Perceptron:
    r"""Rosenblatt's perceptron: one neuron with a step activation, trained by the perceptron rule.

    $$
    \hat{y} = H(w \cdot x + b) = \begin{cases} 1 & w \cdot x + b \ge 0 \\ 0 & \text{otherwise} \end{cases}
    $$

    [fit][dlref.layers.Perceptron.fit] visits the samples in order and, after each one, applies

    $$
    w \leftarrow w + \eta\,(y - \hat{y})\,x, \qquad b \leftarrow b + \eta\,(y - \hat{y}),
    $$

    which changes nothing when the prediction is right. On linearly separable data
    it stops making mistakes after finitely many updates (Novikoff, 1962); on data
    that no line separates, such as XOR, it never does, and `fit` reports
    ``converged = False`` after `max_epochs` epochs (no exception: it is a result).

    The weights start at zero, so training is deterministic; with zero initial
    weights the learning rate only rescales $w$ and $b$ and never changes a prediction,
    in exact arithmetic and in floating point for a power of 2. Another learning rate
    (0.1, say) can round a sum that should be exactly 0, a point on the boundary, to
    either side: on AND, lr=0.1 stops after 4 epochs where lr=1 takes 6.

    Args:
        in_features: Number of inputs $d \ge 1$.
        dtype: Floating dtype of the weights and of the inputs it accepts.
            Defaults to None, `torch.get_default_dtype()`.

    Attributes:
        weight: $w$, shape $(d)$.
        bias: $b$, shape $()$.
        converged: Whether the last `fit` ended with an epoch without mistakes (False before any fit).
        history: The mistakes of each epoch of the last `fit`.
        weight_history: $(w, b)$ after each epoch of the last `fit` (copies), to draw the decision boundary.

    Torch counterpart: none (torch has no perceptron); its output is `torch.heaviside(x @ w + b, 1)`.

    References:
        - Rosenblatt, 1958: [The Perceptron: A Probabilistic Model for Information Storage and
          Organization in the Brain](https://doi.org/10.1037/h0042519)
        - Novikoff, 1962: On convergence proofs on perceptrons. Symposium on the Mathematical Theory of Automata.

    Examples:
        >>> import torch
        >>> from dlref.layers import Perceptron
        >>> X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        >>> p = Perceptron(2)
        >>> p.fit(X, torch.tensor([0, 0, 0, 1]))  # AND
        [2, 3, 3, 2, 1, 0]
        >>> p.converged, p.predict(X)
        (True, tensor([0., 0., 0., 1.]))
        >>> p.fit(X, torch.tensor([0, 1, 1, 0]), max_epochs=20)[-3:]  # XOR: never 0
        [4, 4, 4]
        >>> p.converged
        False
    """

    def __init__(self, in_features: int, dtype: torch.dtype | None = None) -> None:
        fn = "Perceptron"
        d = check_int(fn, "in_features", in_features, low=1)
        if dtype is None:
            dtype = torch.get_default_dtype()
        if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
            raise TypeError(message(fn, "dtype", "is not a floating dtype", dtype, "expected a floating torch.dtype"))
        self.weight = torch.zeros(d, dtype=dtype)
        self.bias = torch.zeros((), dtype=dtype)
        self.converged = False
        self.history: list[int] = []
        self.weight_history: list[tuple[Tensor, Tensor]] = []

    def _check_input(self, fn: str, X: object) -> Tensor:
        x = check_tensor(fn, "X", X)
        _check_same_dtype(fn, "X", x, self.weight, "the weights")
        check_ndim(fn, "X", x, (2,), "(N, in_features)")
        if x.shape[1] != self.weight.shape[0]:
            fail(fn, "X", "has the wrong number of features", tuple(x.shape),
                 f"expected (N, {self.weight.shape[0]}), in_features = {self.weight.shape[0]}")
        return x

    def predict(self, X: Tensor) -> Tensor:
        r"""Class predictions $\hat{y} = H(X w + b) \in \{0, 1\}$, as floats.

        Args:
            X: Samples, one per row, of the perceptron's dtype.

        Shape:
            - X: $(N, d)$. Output: $(N)$.

        Returns:
            1.0 where $w \cdot x + b \ge 0$, else 0.0.

        Raises:
            TypeError: If `X` is not a floating-point tensor of the perceptron's dtype.
            ValueError: If `X` is not 2-D with `in_features` columns.
        """
        x = self._check_input("Perceptron.predict", X)
        # ŷ = H(X w + b), with H(0) = 1
        return step(linear(x, self.weight, self.bias))

    def fit(self, X: Tensor, y: Tensor, lr: float = 1.0, max_epochs: int = 100) -> list[int]:
        r"""Train from zero weights with the perceptron rule until an epoch has no mistakes.

        Args:
            X: Samples, one per row, of the perceptron's dtype.
            y: Labels 0 or 1 (any real or bool dtype).
            lr: Learning rate $\eta > 0$. Defaults to 1.0.
            max_epochs: Most passes over the data, $\ge 1$. Defaults to 100.

        Shape:
            - X: $(N, d)$. y: $(N)$.

        Returns:
            The number of mistakes in each epoch (also in `history`). It ends with 0
            exactly when training converged (then `converged` is True); otherwise it has
            `max_epochs` entries, all positive, and `converged` is False.

        Raises:
            TypeError: If `X` is not a floating-point tensor of the perceptron's dtype, `y`
                not a tensor, `lr` not a real number or `max_epochs` not an int.
            ValueError: If a shape is wrong, a label is not 0 or 1, `lr` <= 0 or `max_epochs` < 1.
        """
        fn = "Perceptron.fit"
        x = self._check_input(fn, X)
        t = check_tensor(fn, "y", y, floating=False)
        if t.shape != (x.shape[0],):
            fail(fn, "y", "has the wrong shape", tuple(t.shape), f"expected ({x.shape[0]},), one label per row of X")
        check_values(fn, "y", t, (t == 0) | (t == 1), "expected labels 0 or 1")
        eta = check_real(fn, "lr", lr, low=0, low_open=True)
        epochs = check_int(fn, "max_epochs", max_epochs, low=1)
        targets = t.to(x.dtype)
        self.weight = torch.zeros_like(self.weight)
        self.bias = torch.zeros_like(self.bias)
        self.history, self.weight_history, self.converged = [], [], False
        for _ in range(epochs):
            mistakes = 0
            for x_n, y_n in zip(x, targets, strict=True):
                # ŷ = H(w·x + b)
                y_hat = step(linear(x_n, self.weight, self.bias))
                # w ← w + η(y − ŷ)x,  b ← b + η(y − ŷ)
                self.weight = self.weight + eta * (y_n - y_hat) * x_n
                self.bias = self.bias + eta * (y_n - y_hat)
                mistakes += int(y_hat != y_n)
            self.history.append(mistakes)
            self.weight_history.append((self.weight.clone(), self.bias.clone()))
            if mistakes == 0:
                self.converged = True
                break
        return list(self.history)
