r"""A scalar reverse-mode automatic differentiation engine: `Value`, and `trace` to list its graph.

Each arithmetic operation on a [Value][dlref.autograd.Value] returns a new `Value`
that remembers its inputs (`parents`) and the local derivative of its output with
respect to each input (`local_grads`), computed in the line next to the forward value.
[Value.backward][dlref.autograd.Value.backward] then applies the chain rule once per
node, from the output back to the leaves, in reverse topological order:

$$
\frac{\partial L}{\partial p} = \sum_{v \,:\, p \in \text{parents}(v)}
\frac{\partial L}{\partial v}\,\frac{\partial v}{\partial p} .
$$

A node used twice (a shared subexpression) receives the sum of its two paths.

Sources: reverse-mode differentiation as in Griewank & Walther, *Evaluating
Derivatives* (2008); Karpathy's micrograd (2020) for the size and scope of a
teaching engine. `torch.autograd` is the reference the tests compare with.

Semantics, compared with `torch.autograd` (each one is tested):

- `backward()` **adds** this pass's gradients to `grad`, as torch accumulates into
  `.grad`; call [zero_grad][dlref.autograd.Value.zero_grad] between passes. Unlike
  torch, every node keeps its `grad` (torch keeps only leaves' unless `retain_grad()`),
  the graph can be walked backward any number of times (torch needs
  `retain_graph=True`), and the gradient of this pass is propagated, not the
  accumulated `grad`, so a second pass adds exactly the same amounts again.
- Values are Python floats (IEEE double, the precision of `torch.float64`). An input
  outside an operation's domain (log of $x \le 0$, division by 0, a negative base to a
  non-integer power, 0 to a negative power) raises `ValueError`; torch returns NaN or
  inf. `relu` has derivative 0 at 0, as torch's.
"""

from __future__ import annotations

import math

from dlref._checks import fail, fail_type

__all__ = ["Value", "trace"]

Number = int | float


def _lift(fn: str, other: object) -> Value:
    """`other` as a Value: a Value as it is, a real number as a constant leaf."""
    if isinstance(other, Value):
        return other
    if isinstance(other, bool) or not isinstance(other, (int, float)):
        fail_type(fn, "other", other, "expected a Value or a real number (int or float)")
    return Value(other)


def _topological_order(root: Value) -> list[Value]:
    """Every node reachable from `root`, each after all of its parents (depth-first, no recursion)."""
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            # all of node's parents are already in `order`
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents)
    return order


class Value:
    r"""A scalar that records the operations applied to it, so that `backward()` can differentiate them.

    $$
    v = f(p_1, \dots, p_k), \qquad \text{local\_grads} = \Bigl(\frac{\partial f}{\partial p_1},
    \dots, \frac{\partial f}{\partial p_k}\Bigr)
    $$

    Operations: `+`, `-`, `*`, `/`, `**` (with a number as the exponent, or a positive
    number raised to a Value), unary `-`, each also with a number on the left
    (``2 * v``); and the methods `exp`, `log`, `tanh`, `sigmoid` and `relu`.

    Args:
        data: The value, a real number (stored as a float).
        parents: The Values this one was computed from. Defaults to (), a leaf.
        local_grads: $\partial v / \partial p$ for each parent, in the same order. Defaults to ().
        op: The operation's symbol, for display (``"*"``, ``"exp"``). Defaults to "" (a leaf).
        label: A name for display (``"w1"``). Defaults to "".

    Attributes:
        data: The forward value.
        grad: $\partial L / \partial v$ accumulated by `backward()` calls on any root $L$ (0.0 at first).
        parents: See Args.
        local_grads: See Args.
        op: See Args.
        label: See Args.

    Raises:
        TypeError: If `data` is not a real number, or an operand is neither a Value nor a real number.
        ValueError: If `parents` and `local_grads` differ in length, or an operation is
            applied outside its domain (see the module notes).

    Torch counterpart: a 0-dim `torch.Tensor` with ``requires_grad=True``, and `torch.autograd.backward`.

    References:
        - Griewank & Walther, [Evaluating Derivatives](https://doi.org/10.1137/1.9780898717761), SIAM, 2008.
        - Karpathy, [micrograd](https://github.com/karpathy/micrograd), 2020.

    Examples:
        >>> from dlref.autograd import Value
        >>> x, y = Value(2.0, label="x"), Value(-3.0, label="y")
        >>> z = x * y + x  # x is used twice: dz/dx = y + 1
        >>> z
        Value(data=-4.0, grad=0.0, op='+')
        >>> z.backward()
        >>> x.grad, y.grad
        (-2.0, 2.0)
        >>> z.backward()  # a second pass adds the same gradients again, as torch does
        >>> x.grad
        -4.0
        >>> z.zero_grad(); z.backward(); x.grad
        -2.0
    """

    def __init__(self, data: Number, parents: tuple[Value, ...] = (), local_grads: tuple[float, ...] = (),
                 op: str = "", label: str = "") -> None:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            fail_type("Value", "data", data, "expected a real number (int or float)")
        if len(parents) != len(local_grads):
            fail("Value", "local_grads", "has the wrong length", len(local_grads),
                 f"expected {len(parents)}, one per parent")
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads
        self.op = op
        self.label = label

    def __repr__(self) -> str:
        shown = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{f', op={self.op!r}' if self.op else ''}{shown})"

    # ------------------------------------------------------------------ binary operations

    def __add__(self, other: Value | Number) -> Value:
        b = _lift("Value.__add__", other)
        # d(a + b)/da = 1, d(a + b)/db = 1
        return Value(self.data + b.data, (self, b), (1.0, 1.0), "+")

    def __sub__(self, other: Value | Number) -> Value:
        b = _lift("Value.__sub__", other)
        # d(a - b)/da = 1, d(a - b)/db = -1
        return Value(self.data - b.data, (self, b), (1.0, -1.0), "-")

    def __mul__(self, other: Value | Number) -> Value:
        b = _lift("Value.__mul__", other)
        # d(ab)/da = b, d(ab)/db = a
        return Value(self.data * b.data, (self, b), (b.data, self.data), "*")

    def __truediv__(self, other: Value | Number) -> Value:
        b = _lift("Value.__truediv__", other)
        if b.data == 0:
            fail("Value.__truediv__", "other", "is zero", b.data, "expected a nonzero divisor")
        # d(a/b)/da = 1/b, d(a/b)/db = -a/b²
        return Value(self.data / b.data, (self, b), (1 / b.data, -self.data / b.data**2), "/")

    def __pow__(self, exponent: Number) -> Value:
        fn = "Value.__pow__"
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            fail_type(fn, "exponent", exponent, "expected a real number (int or float); for x ** y with a Value y "
                      "use (y * x.log()).exp()")
        p, x = float(exponent), self.data
        if x < 0 and not p.is_integer():
            fail(fn, "self", "is negative for a non-integer exponent", x, f"expected a base >= 0 for exponent {p:g}")
        if x == 0 and p < 0:
            fail(fn, "self", "is zero for a negative exponent", x, f"expected a nonzero base for exponent {p:g}")
        # d(xᵖ)/dx = p·xᵖ⁻¹ (0 for p = 0; +inf at x = 0 for 0 < p < 1, as torch)
        local = 0.0 if p == 0 else (math.inf if x == 0 and p < 1 else p * x ** (p - 1))
        return Value(x**p, (self,), (local,), f"**{p:g}")

    # numbers on the left: 2 + v, 2 - v, 2 * v, 2 / v, 2 ** v

    def __radd__(self, other: Number) -> Value:
        return _lift("Value.__radd__", other) + self

    def __rsub__(self, other: Number) -> Value:
        return _lift("Value.__rsub__", other) - self

    def __rmul__(self, other: Number) -> Value:
        return _lift("Value.__rmul__", other) * self

    def __rtruediv__(self, other: Number) -> Value:
        return _lift("Value.__rtruediv__", other) / self

    def __rpow__(self, base: Number) -> Value:
        fn = "Value.__rpow__"
        if isinstance(base, bool) or not isinstance(base, (int, float)):
            fail_type(fn, "base", base, "expected a real number (int or float)")
        if base <= 0:
            fail(fn, "base", "is not positive", base, "expected a base > 0 for a Value exponent")
        c = float(base)
        # d(cˣ)/dx = cˣ·ln c
        return Value(c**self.data, (self,), (c**self.data * math.log(c),), f"{c:g}**")

    # ------------------------------------------------------------------ unary operations

    def __neg__(self) -> Value:
        # d(-a)/da = -1
        return Value(-self.data, (self,), (-1.0,), "neg")

    def exp(self) -> Value:
        r"""$e^x$, with local derivative $e^x$.

        Returns:
            A Value.

        Examples:
            >>> from dlref.autograd import Value
            >>> Value(0.0).exp()
            Value(data=1.0, grad=0.0, op='exp')
        """
        e = math.exp(self.data)
        # d(eˣ)/dx = eˣ
        return Value(e, (self,), (e,), "exp")

    def log(self) -> Value:
        r"""$\ln x$ for $x > 0$, with local derivative $1/x$.

        Returns:
            A Value.

        Raises:
            ValueError: If $x \le 0$.

        Examples:
            >>> from dlref.autograd import Value
            >>> Value(1.0).log()
            Value(data=0.0, grad=0.0, op='log')
        """
        if self.data <= 0:
            fail("Value.log", "self", "is not positive", self.data, "expected a value > 0")
        # d(ln x)/dx = 1/x
        return Value(math.log(self.data), (self,), (1 / self.data,), "log")

    def tanh(self) -> Value:
        r"""$\tanh x$, with local derivative $1 - \tanh^2 x$.

        Returns:
            A Value.

        Examples:
            >>> from dlref.autograd import Value
            >>> Value(0.0).tanh()
            Value(data=0.0, grad=0.0, op='tanh')
        """
        t = math.tanh(self.data)
        # d(tanh x)/dx = 1 - tanh²x
        return Value(t, (self,), (1 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        r"""$\sigma(x) = 1/(1 + e^{-x})$, with local derivative $\sigma(x)(1 - \sigma(x))$.

        For $x < 0$ it computes the equal $e^x/(1 + e^x)$, so that $e^{-x}$ never overflows.

        Returns:
            A Value.

        Examples:
            >>> from dlref.autograd import Value
            >>> Value(0.0).sigmoid()
            Value(data=0.5, grad=0.0, op='sigmoid')
        """
        x = self.data
        # σ(x) = 1/(1 + e⁻ˣ) = eˣ/(1 + eˣ)
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        # dσ/dx = σ(1 - σ)
        return Value(s, (self,), (s * (1 - s),), "sigmoid")

    def relu(self) -> Value:
        r"""$\max(0, x)$, with local derivative 1 for $x > 0$, else 0 (0 at the kink, as torch).

        Returns:
            A Value.

        Examples:
            >>> from dlref.autograd import Value
            >>> Value(-2.0).relu(), Value(3.0).relu().local_grads
            (Value(data=0.0, grad=0.0, op='relu'), (1.0,))
        """
        # d max(0, x)/dx = 1 if x > 0 else 0
        return Value(max(0.0, self.data), (self,), (1.0 if self.data > 0 else 0.0,), "relu")

    # ------------------------------------------------------------------ backward

    def backward(self) -> None:
        r"""Add $\partial L/\partial v$ to the `grad` of every node $v$ of the graph of $L$ = this Value.

        $$
        \frac{\partial L}{\partial L} = 1, \qquad
        \frac{\partial L}{\partial p} \mathrel{+}= \frac{\partial L}{\partial v}\,\frac{\partial v}{\partial p}
        \ \text{ for each node } v \text{ (outputs first) and each parent } p .
        $$

        The nodes are visited in reverse topological order, so a node's gradient is
        complete (every path summed) before it is passed on to its parents. The gradients
        of this pass are added to `grad`; they do not replace it.

        Torch counterpart: `torch.Tensor.backward` on a 0-dim tensor (with ``retain_graph=True``).

        Examples:
            >>> from dlref.autograd import Value
            >>> a = Value(3.0)
            >>> b = a * a  # one node, two paths: d(a²)/da = 2a
            >>> b.backward()
            >>> a.grad
            6.0
        """
        order = _topological_order(self)
        # this pass's gradients, by node; a node's `grad` may already hold earlier passes
        grads = {id(node): 0.0 for node in order}
        # ∂L/∂L = 1
        grads[id(self)] = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                # chain rule: ∂L/∂p += ∂L/∂v · ∂v/∂p
                grads[id(parent)] += grads[id(node)] * local
        for node in order:
            node.grad += grads[id(node)]

    def zero_grad(self) -> None:
        """Set `grad` to 0.0 on every node of this Value's graph (this Value and all it depends on).

        Torch counterpart: setting ``.grad`` to zero, as `torch.optim.Optimizer.zero_grad` does.

        Examples:
            >>> from dlref.autograd import Value
            >>> a = Value(3.0)
            >>> b = 2 * a
            >>> b.backward(); b.zero_grad(); a.grad
            0.0
        """
        for node in _topological_order(self):
            node.grad = 0.0


def trace(root: Value) -> tuple[list[Value], list[tuple[Value, Value]]]:
    r"""The nodes and edges of the graph that computed `root`, for drawing it.

    Args:
        root: The output Value.

    Returns:
        `(nodes, edges)`: every node reachable from `root` exactly once, each after all of
        its parents (a topological order ending with `root`); and one `(parent, child)`
        pair per input of each operation, in the order of the child's `parents` (a node
        used twice by one operation, as in ``a * a``, gives two equal pairs). The edge's
        local derivative is ``child.local_grads[i]`` for its position `i` among the
        child's parents.

    Raises:
        TypeError: If `root` is not a Value.

    Torch counterpart: walking `tensor.grad_fn.next_functions` (the graph torch records).

    Examples:
        >>> from dlref.autograd import Value, trace
        >>> x = Value(2.0, label="x")
        >>> y = (x * x).tanh()
        >>> nodes, edges = trace(y)
        >>> [n.op or n.label for n in nodes]
        ['x', '*', 'tanh']
        >>> [(p.op or p.label, c.op) for p, c in edges]
        [('x', '*'), ('x', '*'), ('*', 'tanh')]
    """
    if not isinstance(root, Value):
        fail_type("trace", "root", root, "expected a dlref.autograd.Value")
    nodes = _topological_order(root)
    edges = [(parent, child) for child in nodes for parent in child.parents]
    return nodes, edges
