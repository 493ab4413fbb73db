"""dlref.autograd.Value against torch.autograd: random expression graphs with shared nodes, each op, repeated passes."""

from __future__ import annotations

import math
import re

import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from torch.testing import assert_close

from dlref.autograd import Value, trace

from .torch_reference import DT, SETTINGS

UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "neg", "pow2", "pow3", "sqrt", "inv", "rpow"]
BINARY = ["add", "sub", "mul", "div", "radd", "rsub", "rmul", "rdiv"]


def usable(op: str, a: float, b: float) -> bool:
    """Keep each operation inside its domain and away from overflow, for both engines."""
    if op == "exp":
        return a < 20
    if op in ("log", "sqrt"):
        return a > 1e-2
    if op in ("inv", "div", "rdiv"):
        return abs(b if op == "div" else a) > 1e-1
    if op in ("pow2", "pow3", "mul", "rmul"):
        return abs(a) < 1e3 and abs(b) < 1e3
    return op != "rpow" or abs(a) < 20


def apply(op: str, a, b, c: float):
    """The same operation on Values or on 0-dim tensors; c is a constant for the reflected forms."""
    unary = {
        "exp": lambda: a.exp(), "log": lambda: a.log(), "tanh": lambda: a.tanh(),
        "sigmoid": lambda: a.sigmoid(), "relu": lambda: a.relu(), "neg": lambda: -a,
        "pow2": lambda: a**2, "pow3": lambda: a**3, "sqrt": lambda: a**0.5, "inv": lambda: a**-1,
        "rpow": lambda: 1.5**a,
    }
    binary = {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
        "radd": lambda: c + a, "rsub": lambda: c - a, "rmul": lambda: c * a, "rdiv": lambda: c / a,
    }
    return unary[op]() if op in unary else binary[op]()


def torch_op(op: str, a: torch.Tensor, b: torch.Tensor, c: float) -> torch.Tensor:
    named = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}
    return named[op](a) if op in named else apply(op, a, b, c)


# A program: leaf values, then steps (op, index of a, index of b, constant); indices pick any earlier node, so nodes
# are reused and subexpressions shared. The root is the sum of the last few nodes, so several outputs meet.
leaf_values = st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=4)
steps = st.lists(st.tuples(st.sampled_from(UNARY + BINARY), st.integers(0, 10**6), st.integers(0, 10**6),
                           st.floats(-2, 2).filter(lambda v: abs(v) > 0.1)), min_size=1, max_size=25)


def run(leaves: list[float], program: list[tuple[str, int, int, float]]):
    values = [Value(x) for x in leaves]
    tensors = [torch.tensor(x, dtype=DT, requires_grad=True) for x in leaves]
    for op, i, j, c in program:
        k, m = i % len(values), j % len(values)
        if not usable(op, values[k].data, values[m].data):
            continue
        values.append(apply(op, values[k], values[m], c))
        tensors.append(torch_op(op, tensors[k], tensors[m], c))
    root = values[-1] + values[-2] if len(values) > 1 else values[-1] * 1.0
    troot = tensors[-1] + tensors[-2] if len(tensors) > 1 else tensors[-1] * 1.0
    return values, tensors, root, troot


def grad_or_zero(t: torch.Tensor) -> torch.Tensor:
    """A node outside the root's graph gets no .grad from torch; its gradient is 0."""
    return t.grad if t.grad is not None else torch.zeros((), dtype=DT)


def bounded(xs: list[float]) -> bool:
    return all(math.isfinite(x) and abs(x) < 1e6 for x in xs)


@SETTINGS
@given(leaf_values, steps)
def test_random_graphs_match_torch_autograd(leaves: list[float], program: list[tuple[str, int, int, float]]) -> None:
    values, tensors, root, troot = run(leaves, program)
    assume(bounded([v.data for v in values]))
    for t in tensors[len(leaves):]:
        t.retain_grad()
    troot.backward()
    expected = torch.stack([grad_or_zero(t) for t in tensors])
    assume(bounded(expected.tolist()))
    root.backward()
    assert_close(torch.tensor(root.data, dtype=DT), troot.detach())
    # every node's gradient, leaves and intermediates, as torch computes it with retain_grad()
    assert_close(torch.tensor([v.grad for v in values], dtype=DT), expected)


@SETTINGS
@given(leaf_values, steps)
def test_repeated_backward_accumulates_and_zero_grad_resets(leaves: list[float],
                                                            program: list[tuple[str, int, int, float]]) -> None:
    values, tensors, root, troot = run(leaves, program)
    assume(bounded([v.data for v in values]))
    troot.backward(retain_graph=True)
    troot.backward()  # torch adds the second pass to .grad
    twice = torch.stack([grad_or_zero(t) for t in tensors[: len(leaves)]])
    assume(bounded(twice.tolist()))
    root.backward()
    once = [v.grad for v in values]
    root.backward()
    assert_close(torch.tensor([v.grad for v in values[: len(leaves)]], dtype=DT), twice)
    assert_close([v.grad for v in values], [2 * g for g in once])
    root.zero_grad()
    assert all(v.grad == 0.0 for v in values)
    root.backward()
    assert [v.grad for v in values] == once


def test_shared_subexpression_sums_both_paths() -> None:
    # f = (x·y) + (x·y)·tanh(x·y): the node u = x·y feeds two operations and x feeds u and f
    x, y = Value(0.7), Value(-1.3)
    u = x * y
    f = u + u * u.tanh() + x
    f.backward()
    tx, ty = torch.tensor(0.7, dtype=DT, requires_grad=True), torch.tensor(-1.3, dtype=DT, requires_grad=True)
    tu = tx * ty
    (tu + tu * torch.tanh(tu) + tx).backward()
    assert_close((x.grad, y.grad), (tx.grad.item(), ty.grad.item()))  # type: ignore[union-attr]


def test_the_same_node_as_both_operands() -> None:
    for op, expected in [("add", 2.0), ("sub", 0.0), ("mul", 2 * 1.5), ("div", 0.0)]:
        a = Value(1.5)
        apply(op, a, a, 1.0).backward()
        assert a.grad == expected, op


OP_CASES = [(op, x) for op in UNARY + BINARY for x in (-1.7, 0.3, 2.5) if usable(op, x, 0.9)]


@pytest.mark.parametrize(("op", "x"), OP_CASES)
def test_each_operation_matches_torch(op: str, x: float) -> None:
    a, b = Value(x), Value(0.9)
    out = apply(op, a, b, 1.25)
    out.backward()
    ta, tb = (torch.tensor(v, dtype=DT, requires_grad=True) for v in (x, 0.9))
    tout = torch_op(op, ta, tb, 1.25)
    tout.backward()
    assert_close(out.data, tout.item())
    assert_close(a.grad, ta.grad.item())  # type: ignore[union-attr]
    assert_close(b.grad, tb.grad.item() if tb.grad is not None else 0.0)


@pytest.mark.parametrize(("x", "expected"), [(0.0, 0.0), (-0.0, 0.0), (1e-300, 1.0), (-1e-300, 0.0)])
def test_relu_derivative_at_and_near_the_kink_matches_torch(x: float, expected: float) -> None:
    a = Value(x)
    a.relu().backward()
    t = torch.tensor(x, dtype=DT, requires_grad=True)
    torch.relu(t).backward()
    assert a.grad == expected == t.grad.item()  # type: ignore[union-attr]


def test_sigmoid_and_exp_at_extremes() -> None:
    for x in (-800.0, 800.0):
        s = Value(x).sigmoid()
        assert s.data == torch.sigmoid(torch.tensor(x, dtype=DT)).item()
        assert s.local_grads == (0.0,)
    assert Value(-800.0).exp().data == 0.0


def test_pow_at_zero_matches_torch() -> None:
    for p in (0.5, 0, 2):
        a = Value(0.0)
        (a**p).backward()
        t = torch.tensor(0.0, dtype=DT, requires_grad=True)
        (t**p).backward()
        assert a.grad == t.grad.item(), p  # type: ignore[union-attr]


def test_deep_chain_has_no_recursion_limit() -> None:
    x = Value(0.5)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_trace_lists_each_node_once_in_topological_order() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + c.exp() + a
    nodes, edges = trace(d)
    assert nodes[-1] is d
    assert len({id(n) for n in nodes}) == len(nodes) == 6  # a, b, c, exp(c), c + exp(c), d
    position = {id(n): i for i, n in enumerate(nodes)}
    assert all(position[id(p)] < position[id(c_)] for p, c_ in edges)
    assert len(edges) == sum(len(n.parents) for n in nodes)


@pytest.mark.parametrize(("call", "error", "msg"), [
    (lambda: Value("1"), TypeError, "Value: data has the wrong type (got str); expected a real number (int or float)"),
    (lambda: Value(True), TypeError,
     "Value: data has the wrong type (got bool); expected a real number (int or float)"),
    (lambda: Value(1.0) + "a", TypeError,
     "Value.__add__: other has the wrong type (got str); expected a Value or a real number (int or float)"),
    (lambda: Value(1.0) * torch.tensor(2.0), TypeError,
     "Value.__mul__: other has the wrong type (got Tensor); expected a Value or a real number (int or float)"),
    (lambda: Value(1.0) ** Value(2.0), TypeError,
     "Value.__pow__: exponent has the wrong type (got Value); expected a real number (int or float); "
     "for x ** y with a Value y use (y * x.log()).exp()"),
    (lambda: Value(1.0) / 0, ValueError, "Value.__truediv__: other is zero (got 0.0); expected a nonzero divisor"),
    (lambda: 1.0 / Value(0.0), ValueError, "Value.__truediv__: other is zero (got 0.0); expected a nonzero divisor"),
    (lambda: Value(0.0).log(), ValueError, "Value.log: self is not positive (got 0.0); expected a value > 0"),
    (lambda: Value(-2.0) ** 0.5, ValueError,
     "Value.__pow__: self is negative for a non-integer exponent (got -2.0); expected a base >= 0 for exponent 0.5"),
    (lambda: Value(0.0) ** -1, ValueError,
     "Value.__pow__: self is zero for a negative exponent (got 0.0); expected a nonzero base for exponent -1"),
    (lambda: (-2.0) ** Value(1.0), ValueError,
     "Value.__rpow__: base is not positive (got -2.0); expected a base > 0 for a Value exponent"),
    (lambda: Value(1.0, (Value(2.0),), ()), ValueError,
     "Value: local_grads has the wrong length (got 0); expected 1, one per parent"),
    (lambda: trace(1.0), TypeError, "trace: root has the wrong type (got float); expected a dlref.autograd.Value"),
])
def test_errors(call, error: type[Exception], msg: str) -> None:
    with pytest.raises(error, match="^" + re.escape(msg) + "$"):
        call()
