r"""Weight initialization: `torch.nn.init`'s initializers, fan and gain arithmetic, and torch's layer defaults.

Every initializer fills a tensor **in place** under `torch.no_grad()` and returns it, as
torch's do, so ``dlref.init.kaiming_normal_(layer.weight)`` works on a parameter that
requires grad. The random ones take `generator=` and draw through the tensor's own
`uniform_`/`normal_` primitives, exactly as `torch.nn.init` does internally: from the
same generator state they give torch's tensor bit for bit (the tests check it), except
where a difference is listed below.

The arithmetic behind the scaled initializers. For a weight of shape
$(\text{out}, \text{in}, k_1, \dots, k_d)$ (a linear layer has no $k$; a convolution
has its kernel), with the receptive field $r = k_1 \cdots k_d$,

$$
\text{fan\_in} = \text{in} \cdot r, \qquad \text{fan\_out} = \text{out} \cdot r .
$$

A unit $z = \sum_{i=1}^{\text{fan\_in}} w_i x_i$ with independent zero-mean weights has
$\operatorname{Var}(z) = \text{fan\_in}\,\operatorname{Var}(w)\,\operatorname{E}[x^2]$, so
$\operatorname{Var}(w) = 1/\text{fan\_in}$ keeps the scale of the signal from layer to
layer; the *gain* of [calculate_gain][dlref.init.calculate_gain] corrects for what the
nonlinearity does to $\operatorname{E}[x^2]$ (ReLU halves it: gain $\sqrt 2$). Xavier
(Glorot & Bengio, 2010) averages the forward and backward conditions,
$\operatorname{Var}(w) = \text{gain}^2 \cdot 2 / (\text{fan\_in} + \text{fan\_out})$;
Kaiming (He et al., 2015) keeps one, $\operatorname{Var}(w) = \text{gain}^2 / \text{fan\_mode}$.
A uniform $\mathcal{U}(-\text{bound}, \text{bound})$ has variance $\text{bound}^2 / 3$,
so the uniform forms use $\text{bound} = \sqrt 3 \cdot \text{std}$.

Deliberate differences from torch (each one is tested):

- **trunc_normal_** draws by the inverse CDF: $u \sim \mathcal{U}(\Phi(\alpha), \Phi(\beta))$,
  $x = \mu + \sigma\,\Phi^{-1}(u)$ — one draw per element, no loop. Torch 2.13 redraws
  rejected samples, so the values differ; the distribution is the same (tested on
  mean, variance and bounds).
- **sparse_** draws the zero positions from `generator` too; torch's `randperm` ignores
  it and uses the global generator. With ``generator=None`` both use the global
  generator and agree exactly.
- **Validation.** A non-floating tensor is a `TypeError` for every initializer (torch
  fills integer tensors with `constant_`, `ones_`, `zeros_`, `eye_`, `dirac_`);
  $a > b$, `std` $< 0$ and `sparsity` outside $[0, 1]$ are `ValueError`s (torch accepts
  the last two silently); `mode` must be spelled in lower case. Messages follow
  dlref's one style.
- **Layer defaults.** [default_init_][dlref.init.default_init_] and
  [reset_parameters_][dlref.init.reset_parameters_] have no torch counterpart by
  these names: they are what `nn.Linear.reset_parameters` and
  `nn.Conv*d.reset_parameters` do, written out.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from dlref._checks import check_choice, check_int, check_real, check_tensor, fail, fail_type

__all__ = [
    "calculate_gain",
    "constant_",
    "default_init_",
    "dirac_",
    "eye_",
    "fan_in_and_fan_out",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "orthogonal_",
    "reset_parameters_",
    "sparse_",
    "trunc_normal_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")
_NONLINEARITIES = (*_LINEAR, "sigmoid", "tanh", "relu", "leaky_relu", "selu")
_MODES = ("fan_in", "fan_out")


def _check_at_least_2d(fn: str, tensor: Tensor) -> None:
    if tensor.dim() < 2:
        fail(fn, "tensor", "has too few dimensions", f"{tensor.dim()}-D of shape {tuple(tensor.shape)}",
             "expected at least 2-D (out_features, in_features, *kernel_size)")


def _fan(fn: str, tensor: Tensor, mode: str) -> int:
    """fan_in or fan_out of `tensor`, as `mode` says."""
    mode = check_choice(fn, "mode", mode, _MODES)
    _check_at_least_2d(fn, tensor)
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


# --------------------------------------------------------------------------- fan and gain


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    r"""The number of inputs and outputs each weight connects, for a linear or convolution weight.

    $$
    r = \prod_{j \ge 2} \text{shape}_j, \qquad
    \text{fan\_in} = \text{shape}_1 \cdot r, \qquad \text{fan\_out} = \text{shape}_0 \cdot r
    $$

    For `nn.Linear` (weight $(\text{out}, \text{in})$) $r = 1$; for `nn.Conv2d` (weight
    $(\text{out}, \text{in}/\text{groups}, k_h, k_w)$) $r = k_h k_w$, the receptive field.

    Args:
        tensor: A weight with at least 2 dimensions (its values are not read).

    Shape:
        - Tensor: $(\text{out}, \text{in}, *)$, where $*$ is the kernel size (empty for a linear layer).

    Returns:
        `(fan_in, fan_out)` as ints.

    Raises:
        TypeError: If `tensor` is not a tensor.
        ValueError: If it has fewer than 2 dimensions.

    Torch counterpart: `torch.nn.init._calculate_fan_in_and_fan_out` (private there).

    References:
        - Glorot & Bengio, [Understanding the difficulty of training deep feedforward
          neural networks](https://proceedings.mlr.press/v9/glorot10a.html), AISTATS 2010.

    Examples:
        >>> import torch
        >>> from dlref.init import fan_in_and_fan_out
        >>> fan_in_and_fan_out(torch.empty(20, 10))  # nn.Linear(10, 20)
        (10, 20)
        >>> fan_in_and_fan_out(torch.empty(16, 3, 5, 5))  # nn.Conv2d(3, 16, 5)
        (75, 400)
    """
    fn = "fan_in_and_fan_out"
    tensor = check_tensor(fn, "tensor", tensor, floating=False)
    _check_at_least_2d(fn, tensor)
    # r = k_1 · ... · k_d, the receptive field (1 for a linear layer)
    receptive_field = math.prod(tensor.shape[2:])
    # fan_in = in · r,  fan_out = out · r
    fan_in = tensor.shape[1] * receptive_field
    fan_out = tensor.shape[0] * receptive_field
    return fan_in, fan_out


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for a nonlinearity: the factor that restores the signal's scale after it.

    $$
    \text{gain} = \begin{cases}
    1 & \text{linear, conv*, sigmoid} \\
    5/3 & \tanh \\
    \sqrt{2} & \text{ReLU} \\
    \sqrt{2 / (1 + \text{negative\_slope}^2)} & \text{leaky ReLU} \\
    3/4 & \text{SELU}
    \end{cases}
    $$

    ReLU zeroes half of a symmetric input, halving its second moment, hence $\sqrt 2$;
    leaky ReLU keeps $\text{negative\_slope}^2$ of the negative half. The tanh and SELU
    values are empirical (torch's choice). For self-normalizing SELU networks use
    ``"linear"`` (variance $1/\text{fan\_in}$, LeCun normal), not ``"selu"``.

    Args:
        nonlinearity: One of ``"linear"``, ``"conv1d"``, ``"conv2d"``, ``"conv3d"``,
            ``"conv_transpose1d"``, ``"conv_transpose2d"``, ``"conv_transpose3d"``,
            ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"``, ``"selu"``.
        param: The negative slope of ``"leaky_relu"`` (ignored otherwise). Defaults to None (0.01).

    Returns:
        The gain, a float.

    Raises:
        TypeError: If `param` is given for ``"leaky_relu"`` and is not a real number.
        ValueError: If `nonlinearity` is unknown or `param` is not finite.

    Torch counterpart: `torch.nn.init.calculate_gain` (which returns the int 1 for the linear group).

    References:
        - He et al., [Delving Deep into Rectifiers](https://arxiv.org/abs/1502.01852), ICCV 2015.

    Examples:
        >>> from dlref.init import calculate_gain
        >>> calculate_gain("relu"), calculate_gain("tanh")
        (1.4142135623730951, 1.6666666666666667)
        >>> calculate_gain("leaky_relu", 0.2)
        1.3867504905630728
    """
    fn = "calculate_gain"
    nonlinearity = check_choice(fn, "nonlinearity", nonlinearity, _NONLINEARITIES)
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        # √2: ReLU keeps half of the second moment
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        negative_slope = 0.01 if param is None else check_real(fn, "param", param)
        # √(2 / (1 + slope²))
        return math.sqrt(2.0 / (1 + negative_slope**2))
    return 3.0 / 4  # selu


# --------------------------------------------------------------------------- plain distributions and constants


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: torch.Generator | None = None) -> Tensor:
    r"""Fill `tensor` with values drawn from the uniform distribution $\mathcal{U}(a, b)$.

    $$
    w \sim \mathcal{U}(a, b), \qquad \operatorname{E}[w] = \frac{a + b}{2}, \quad
    \operatorname{Var}(w) = \frac{(b - a)^2}{12}
    $$

    Args:
        tensor: Floating-point tensor to fill in place.
        a: Lower bound. Defaults to 0.0.
        b: Upper bound, $b \ge a$. Defaults to 1.0.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(*)$, any shape; filled in place.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or a bound is not a real number.
        ValueError: If a bound is not finite or $a > b$.

    Torch counterpart: `torch.nn.init.uniform_` (same values from the same generator).

    References:
        - PyTorch, [torch.nn.init](https://docs.pytorch.org/docs/stable/nn.init.html).

    Examples:
        >>> import torch
        >>> from dlref.init import uniform_
        >>> uniform_(torch.empty(2, 3), -1, 1, generator=torch.Generator().manual_seed(0))
        tensor([[-0.0075,  0.5364, -0.8230],
                [-0.7359, -0.3852,  0.2682]])
    """
    fn = "uniform_"
    tensor = check_tensor(fn, "tensor", tensor)
    a = check_real(fn, "a", a)
    b = check_real(fn, "b", b)
    if a > b:
        fail(fn, "b", "is below a", b, f"expected b >= a = {a:g}")
    with torch.no_grad():
        # w ~ U(a, b)
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: torch.Generator | None = None) -> Tensor:
    r"""Fill `tensor` with values drawn from the normal distribution $\mathcal{N}(\text{mean}, \text{std}^2)$.

    $$
    w \sim \mathcal{N}(\mu, \sigma^2)
    $$

    Args:
        tensor: Floating-point tensor to fill in place.
        mean: Mean $\mu$. Defaults to 0.0.
        std: Standard deviation $\sigma \ge 0$. Defaults to 1.0.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(*)$, any shape; filled in place.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `mean`/`std` is not a real number.
        ValueError: If `mean` or `std` is not finite or `std` $< 0$.

    Torch counterpart: `torch.nn.init.normal_` (same values from the same generator).

    References:
        - PyTorch, [torch.nn.init](https://docs.pytorch.org/docs/stable/nn.init.html).

    Examples:
        >>> import torch
        >>> from dlref.init import normal_
        >>> normal_(torch.empty(2, 3), 0.0, 0.1, generator=torch.Generator().manual_seed(0))
        tensor([[ 0.1541, -0.0293, -0.2179],
                [ 0.0568, -0.1085, -0.1399]])
    """
    fn = "normal_"
    tensor = check_tensor(fn, "tensor", tensor)
    mean = check_real(fn, "mean", mean)
    std = check_real(fn, "std", std, low=0)
    with torch.no_grad():
        # w ~ N(mean, std²)
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Fill `tensor` from $\mathcal{N}(\text{mean}, \text{std}^2)$ truncated to $[a, b]$, by the inverse CDF.

    With $\Phi(t) = \tfrac12\big(1 + \operatorname{erf}(t / \sqrt 2)\big)$ the standard normal
    CDF, $\alpha = (a - \mu)/\sigma$ and $\beta = (b - \mu)/\sigma$:

    $$
    u \sim \mathcal{U}\big(\Phi(\alpha), \Phi(\beta)\big), \qquad
    w = \mu + \sigma \sqrt{2}\, \operatorname{erf}^{-1}(2u - 1) \in [a, b]
    $$

    (clamped to $[a, b]$ against rounding). Note that $a$ and $b$ are absolute bounds,
    not multiples of `std`: ``trunc_normal_(w, std=0.02)`` truncates at $\pm 2$, i.e. not at all.

    Args:
        tensor: Floating-point tensor to fill in place.
        mean: Mean $\mu$ of the untruncated normal. Defaults to 0.0.
        std: Standard deviation $\sigma > 0$ of the untruncated normal. Defaults to 1.0.
        a: Lower cut-off. Defaults to -2.0.
        b: Upper cut-off, $b > a$. Defaults to 2.0.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(*)$, any shape; filled in place.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or an argument is not a real number.
        ValueError: If an argument is not finite, `std` $\le 0$ or $a \ge b$.

    Torch counterpart: `torch.nn.init.trunc_normal_` (same distribution; torch samples by
    rejection, so the values differ — see the module notes).

    References:
        - Burkardt, [The Truncated Normal
          Distribution](https://people.sc.fsu.edu/~jburkardt/presentations/truncated_normal.pdf), 2014.

    Examples:
        >>> import torch
        >>> from dlref.init import trunc_normal_
        >>> w = trunc_normal_(torch.empty(1000), std=1.0, a=-0.5, b=0.5, generator=torch.Generator().manual_seed(0))
        >>> bool(w.min() >= -0.5), bool(w.max() <= 0.5)
        (True, True)
    """
    fn = "trunc_normal_"
    tensor = check_tensor(fn, "tensor", tensor)
    mean = check_real(fn, "mean", mean)
    std = check_real(fn, "std", std, low=0, low_open=True)
    a = check_real(fn, "a", a)
    b = check_real(fn, "b", b)
    if a >= b:
        fail(fn, "b", "is not above a", b, f"expected b > a = {a:g}")

    def phi(t: float) -> float:
        # Φ(t) = (1 + erf(t / √2)) / 2
        return (1.0 + math.erf(t / math.sqrt(2.0))) / 2.0

    with torch.no_grad():
        # u ~ U(Φ(α), Φ(β)), α = (a - μ)/σ, β = (b - μ)/σ
        tensor.uniform_(phi((a - mean) / std), phi((b - mean) / std), generator=generator)
        # w = μ + σ √2 erf⁻¹(2u - 1), clamped to [a, b] against rounding
        tensor.copy_((mean + std * math.sqrt(2.0) * torch.erfinv(2 * tensor - 1)).clamp(a, b))
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    r"""Fill `tensor` with the value `val`: $w = \text{val}$ everywhere.

    A constant (or zero) weight matrix makes every unit of a layer compute the same
    thing and receive the same gradient, so they never become different: use it for
    biases and normalization parameters, not for weights.

    Args:
        tensor: Floating-point tensor to fill in place.
        val: The value.

    Shape:
        - Tensor: $(*)$, any shape; filled in place.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `val` is not a real number.
        ValueError: If `val` is not finite.

    Torch counterpart: `torch.nn.init.constant_`.

    References:
        - PyTorch, [torch.nn.init](https://docs.pytorch.org/docs/stable/nn.init.html).

    Examples:
        >>> import torch
        >>> from dlref.init import constant_
        >>> constant_(torch.empty(2, 3), 0.3)
        tensor([[0.3000, 0.3000, 0.3000],
                [0.3000, 0.3000, 0.3000]])
    """
    fn = "constant_"
    tensor = check_tensor(fn, "tensor", tensor)
    val = check_real(fn, "val", val)
    with torch.no_grad():
        # w = val
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    r"""Fill `tensor` with ones: $w = 1$ (for example a normalization layer's scale $\gamma$).

    Args:
        tensor: Floating-point tensor to fill in place.

    Shape:
        - Tensor: $(*)$, any shape; filled in place.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor.

    Torch counterpart: `torch.nn.init.ones_`.

    References:
        - PyTorch, [torch.nn.init](https://docs.pytorch.org/docs/stable/nn.init.html).

    Examples:
        >>> import torch
        >>> from dlref.init import ones_
        >>> ones_(torch.empty(3))
        tensor([1., 1., 1.])
    """
    tensor = check_tensor("ones_", "tensor", tensor)
    with torch.no_grad():
        # w = 1
        return tensor.fill_(1.0)


def zeros_(tensor: Tensor) -> Tensor:
    r"""Fill `tensor` with zeros: $w = 0$ (for example a bias, or a normalization layer's shift $\beta$).

    Args:
        tensor: Floating-point tensor to fill in place.

    Shape:
        - Tensor: $(*)$, any shape; filled in place.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor.

    Torch counterpart: `torch.nn.init.zeros_`.

    References:
        - PyTorch, [torch.nn.init](https://docs.pytorch.org/docs/stable/nn.init.html).

    Examples:
        >>> import torch
        >>> from dlref.init import zeros_
        >>> zeros_(torch.empty(3))
        tensor([0., 0., 0.])
    """
    tensor = check_tensor("zeros_", "tensor", tensor)
    with torch.no_grad():
        # w = 0
        return tensor.fill_(0.0)


def eye_(tensor: Tensor) -> Tensor:
    r"""Fill a 2-D `tensor` with the identity matrix: $w_{ij} = [i = j]$.

    A linear layer $y = W x$ so initialized passes its first $\min(\text{out}, \text{in})$
    inputs through unchanged.

    Args:
        tensor: Floating-point 2-D tensor to fill in place.

    Shape:
        - Tensor: $(\text{out}, \text{in})$.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor.
        ValueError: If it is not 2-D.

    Torch counterpart: `torch.nn.init.eye_`.

    References:
        - PyTorch, [torch.nn.init](https://docs.pytorch.org/docs/stable/nn.init.html).

    Examples:
        >>> import torch
        >>> from dlref.init import eye_
        >>> eye_(torch.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    fn = "eye_"
    tensor = check_tensor(fn, "tensor", tensor)
    if tensor.dim() != 2:
        fail(fn, "tensor", "has the wrong number of dimensions", f"{tensor.dim()}-D of shape {tuple(tensor.shape)}",
             "expected 2-D (out_features, in_features)")
    with torch.no_grad():
        tensor.zero_()
        # w_ii = 1 for i < min(out, in)
        for i in range(min(tensor.shape)):
            tensor[i, i] = 1
    return tensor


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    r"""Fill a 3-, 4- or 5-D convolution weight with a Dirac delta: the convolution copies its input.

    With $C = \text{out} / \text{groups}$ output channels per group and $c$ the kernel's centre,

    $$
    w_{g C + d,\ d,\ c} = 1 \quad \text{for each group } g \text{ and } d < \min(C, \text{in}/\text{groups}),
    \qquad 0 \text{ elsewhere,}
    $$

    so (with "same" padding) output channel $gC + d$ equals input channel $d$ of group $g$.

    Args:
        tensor: Floating-point weight $(\text{out}, \text{in}/\text{groups}, *\text{kernel})$ to fill in place.
        groups: Number of groups of the convolution; it must divide $\text{out}$. Defaults to 1.

    Shape:
        - Tensor: $(\text{out}, \text{in}/\text{groups}, k_1[, k_2[, k_3]])$.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `groups` not an int.
        ValueError: If it is not 3-, 4- or 5-D, or `groups` $< 1$ or does not divide $\text{out}$.

    Torch counterpart: `torch.nn.init.dirac_`.

    References:
        - Zagoruyko & Komodakis, [DiracNets](https://arxiv.org/abs/1706.00388), 2017.

    Examples:
        >>> import torch
        >>> from dlref.init import dirac_
        >>> dirac_(torch.empty(2, 2, 3))[:, :, 1]  # the kernel centre
        tensor([[1., 0.],
                [0., 1.]])
    """
    fn = "dirac_"
    tensor = check_tensor(fn, "tensor", tensor)
    if tensor.dim() not in (3, 4, 5):
        fail(fn, "tensor", "has the wrong number of dimensions", f"{tensor.dim()}-D of shape {tuple(tensor.shape)}",
             "expected 3-, 4- or 5-D (out_channels, in_channels/groups, *kernel_size)")
    groups = check_int(fn, "groups", groups, low=1)
    if tensor.shape[0] % groups != 0:
        fail(fn, "groups", "does not divide the output channels", groups,
             f"expected a divisor of tensor.shape[0] = {tensor.shape[0]}")
    per_group = tensor.shape[0] // groups
    centre = tuple(k // 2 for k in tensor.shape[2:])
    with torch.no_grad():
        tensor.zero_()
        # w[g·C + d, d, centre] = 1
        for g in range(groups):
            for d in range(min(per_group, tensor.shape[1])):
                tensor[(g * per_group + d, d, *centre)] = 1
    return tensor


# --------------------------------------------------------------------------- scaled by fan: Xavier and Kaiming


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None) -> Tensor:
    r"""Fill `tensor` with Xavier/Glorot uniform values: $\mathcal{U}(-\text{bound}, \text{bound})$.

    $$
    \text{std} = \text{gain} \sqrt{\frac{2}{\text{fan\_in} + \text{fan\_out}}}, \qquad
    \text{bound} = \sqrt 3\, \text{std} = \text{gain} \sqrt{\frac{6}{\text{fan\_in} + \text{fan\_out}}}, \qquad
    w \sim \mathcal{U}(-\text{bound}, \text{bound})
    $$

    Args:
        tensor: Floating-point weight with at least 2 dimensions, filled in place.
        gain: Scaling factor (see [calculate_gain][dlref.init.calculate_gain]). Defaults to 1.0.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(\text{out}, \text{in}, *)$; fans as in [fan_in_and_fan_out][dlref.init.fan_in_and_fan_out].

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `gain` not a real number.
        ValueError: If `tensor` has fewer than 2 dimensions or `gain` is not finite.

    Torch counterpart: `torch.nn.init.xavier_uniform_` (same values from the same generator).

    References:
        - Glorot & Bengio, [Understanding the difficulty of training deep feedforward
          neural networks](https://proceedings.mlr.press/v9/glorot10a.html), AISTATS 2010.

    Examples:
        >>> import torch
        >>> from dlref.init import xavier_uniform_
        >>> xavier_uniform_(torch.empty(2, 3), generator=torch.Generator().manual_seed(0))
        tensor([[-0.0082,  0.5876, -0.9016],
                [-0.8062, -0.4219,  0.2938]])
    """
    fn = "xavier_uniform_"
    tensor = check_tensor(fn, "tensor", tensor)
    gain = check_real(fn, "gain", gain)
    _check_at_least_2d(fn, tensor)
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    # std = gain · √(2 / (fan_in + fan_out))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    # bound = √3 · std = gain · √(6 / (fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None) -> Tensor:
    r"""Fill `tensor` with Xavier/Glorot normal values: $\mathcal{N}(0, \text{std}^2)$.

    $$
    \text{std} = \text{gain} \sqrt{\frac{2}{\text{fan\_in} + \text{fan\_out}}}, \qquad
    w \sim \mathcal{N}(0, \text{std}^2)
    $$

    Args:
        tensor: Floating-point weight with at least 2 dimensions, filled in place.
        gain: Scaling factor (see [calculate_gain][dlref.init.calculate_gain]). Defaults to 1.0.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(\text{out}, \text{in}, *)$; fans as in [fan_in_and_fan_out][dlref.init.fan_in_and_fan_out].

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `gain` not a real number.
        ValueError: If `tensor` has fewer than 2 dimensions or `gain` is not finite.

    Torch counterpart: `torch.nn.init.xavier_normal_` (same values from the same generator).

    References:
        - Glorot & Bengio, [Understanding the difficulty of training deep feedforward
          neural networks](https://proceedings.mlr.press/v9/glorot10a.html), AISTATS 2010.

    Examples:
        >>> import torch
        >>> from dlref.init import xavier_normal_
        >>> xavier_normal_(torch.empty(2, 3), generator=torch.Generator().manual_seed(0))
        tensor([[ 0.9746, -0.1856, -1.3780],
                [ 0.3595, -0.6859, -0.8845]])
    """
    fn = "xavier_normal_"
    tensor = check_tensor(fn, "tensor", tensor)
    gain = check_real(fn, "gain", gain)
    _check_at_least_2d(fn, tensor)
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    # std = gain · √(2 / (fan_in + fan_out))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Fill `tensor` with Kaiming/He uniform values: variance $\text{gain}^2 / \text{fan\_mode}$.

    $$
    \text{std} = \frac{\text{gain}}{\sqrt{\text{fan\_mode}}}, \qquad
    \text{bound} = \sqrt 3\, \text{std} = \text{gain} \sqrt{\frac{3}{\text{fan\_mode}}}, \qquad
    w \sim \mathcal{U}(-\text{bound}, \text{bound})
    $$

    where the gain is ``calculate_gain(nonlinearity, a)``. ``mode="fan_in"`` keeps the
    variance of the activations in the forward pass, ``"fan_out"`` that of the gradients
    in the backward pass. The default ``a=0, nonlinearity="leaky_relu"`` gives the ReLU
    gain $\sqrt 2$.

    Args:
        tensor: Floating-point weight with at least 2 dimensions, filled in place.
        a: Negative slope of the leaky ReLU after this layer (used with ``"leaky_relu"`` only). Defaults to 0.
        mode: ``"fan_in"`` or ``"fan_out"``. Defaults to ``"fan_in"``.
        nonlinearity: Name for [calculate_gain][dlref.init.calculate_gain]. Defaults to ``"leaky_relu"``.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(\text{out}, \text{in}, *)$; fans as in [fan_in_and_fan_out][dlref.init.fan_in_and_fan_out].

    Returns:
        `tensor` (unchanged if it has no elements, as torch).

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `a` not a real number.
        ValueError: If `tensor` has fewer than 2 dimensions, or `mode` or `nonlinearity` is unknown.

    Torch counterpart: `torch.nn.init.kaiming_uniform_` (same values from the same generator).

    References:
        - He et al., [Delving Deep into Rectifiers: Surpassing Human-Level Performance on
          ImageNet Classification](https://arxiv.org/abs/1502.01852), ICCV 2015.

    Examples:
        >>> import torch
        >>> from dlref.init import kaiming_uniform_
        >>> kaiming_uniform_(torch.empty(2, 3), nonlinearity="relu", generator=torch.Generator().manual_seed(0))
        tensor([[-0.0106,  0.7586, -1.1640],
                [-1.0408, -0.5447,  0.3792]])
    """
    fn = "kaiming_uniform_"
    tensor = check_tensor(fn, "tensor", tensor)
    fan = _fan(fn, tensor, mode)
    gain = calculate_gain(nonlinearity, check_real(fn, "a", a))
    if tensor.numel() == 0:
        return tensor
    # std = gain / √fan_mode
    std = gain / math.sqrt(fan)
    # bound = √3 · std = gain · √(3 / fan_mode)
    bound = math.sqrt(3.0) * std
    with torch.no_grad():
        return tensor.uniform_(-bound, bound, generator=generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> Tensor:
    r"""Fill `tensor` with Kaiming/He normal values: $\mathcal{N}(0, \text{gain}^2 / \text{fan\_mode})$.

    $$
    \text{std} = \frac{\text{gain}}{\sqrt{\text{fan\_mode}}}, \qquad w \sim \mathcal{N}(0, \text{std}^2)
    $$

    where the gain is ``calculate_gain(nonlinearity, a)``. With ``nonlinearity="linear"``
    this is LeCun normal, $\operatorname{Var}(w) = 1/\text{fan\_in}$, the initialization
    for SELU networks.

    Args:
        tensor: Floating-point weight with at least 2 dimensions, filled in place.
        a: Negative slope of the leaky ReLU after this layer (used with ``"leaky_relu"`` only). Defaults to 0.
        mode: ``"fan_in"`` or ``"fan_out"``. Defaults to ``"fan_in"``.
        nonlinearity: Name for [calculate_gain][dlref.init.calculate_gain]. Defaults to ``"leaky_relu"``.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(\text{out}, \text{in}, *)$; fans as in [fan_in_and_fan_out][dlref.init.fan_in_and_fan_out].

    Returns:
        `tensor` (unchanged if it has no elements, as torch).

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `a` not a real number.
        ValueError: If `tensor` has fewer than 2 dimensions, or `mode` or `nonlinearity` is unknown.

    Torch counterpart: `torch.nn.init.kaiming_normal_` (same values from the same generator).

    References:
        - He et al., [Delving Deep into Rectifiers: Surpassing Human-Level Performance on
          ImageNet Classification](https://arxiv.org/abs/1502.01852), ICCV 2015.

    Examples:
        >>> import torch
        >>> from dlref.init import kaiming_normal_
        >>> kaiming_normal_(torch.empty(2, 3), mode="fan_out", generator=torch.Generator().manual_seed(0))
        tensor([[ 1.5410, -0.2934, -2.1788],
                [ 0.5684, -1.0845, -1.3986]])
    """
    fn = "kaiming_normal_"
    tensor = check_tensor(fn, "tensor", tensor)
    fan = _fan(fn, tensor, mode)
    gain = calculate_gain(nonlinearity, check_real(fn, "a", a))
    if tensor.numel() == 0:
        return tensor
    # std = gain / √fan_mode
    std = gain / math.sqrt(fan)
    with torch.no_grad():
        return tensor.normal_(0.0, std, generator=generator)


# --------------------------------------------------------------------------- orthogonal and sparse


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: torch.Generator | None = None) -> Tensor:
    r"""Fill `tensor` with a (semi-)orthogonal matrix times `gain`, from the QR decomposition of a Gaussian matrix.

    The tensor is seen as a matrix $(\text{rows}, \text{cols}) = (\text{shape}_0, \prod_{j \ge 1} \text{shape}_j)$.
    With $A \sim \mathcal{N}(0, 1)^{\text{rows} \times \text{cols}}$ (transposed if it is wide),

    $$
    A = QR, \qquad W = \text{gain} \cdot Q \operatorname{diag}\big(\operatorname{sign}(R_{ii})\big),
    $$

    so $W W^\top = \text{gain}^2 I$ (wide) or $W^\top W = \text{gain}^2 I$ (tall). The sign
    correction makes $Q$ uniformly (Haar) distributed (Mezzadri, 2007). Orthogonal weights
    preserve the norm of every vector in a deep linear network (Saxe et al., 2014).

    Args:
        tensor: Floating-point tensor with at least 2 dimensions, filled in place.
        gain: Scaling factor. Defaults to 1.0.
        generator: Random number generator. Defaults to None (torch's global generator).

    Shape:
        - Tensor: $(\text{rows}, *)$, at least 2-D; trailing dimensions are flattened.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `gain` not a real number.
        ValueError: If `tensor` has fewer than 2 dimensions or `gain` is not finite.

    Torch counterpart: `torch.nn.init.orthogonal_` (same values from the same generator).

    References:
        - Saxe et al., [Exact solutions to the nonlinear dynamics of learning in deep linear
          neural networks](https://arxiv.org/abs/1312.6120), ICLR 2014.
        - Mezzadri, [How to generate random matrices from the classical compact
          groups](https://arxiv.org/abs/math-ph/0609050), 2007.

    Examples:
        >>> import torch
        >>> from dlref.init import orthogonal_
        >>> w = orthogonal_(torch.empty(2, 3, dtype=torch.float64), generator=torch.Generator().manual_seed(0))
        >>> (w @ w.T).round(decimals=12)
        tensor([[1., 0.],
                [0., 1.]], dtype=torch.float64)
    """
    fn = "orthogonal_"
    tensor = check_tensor(fn, "tensor", tensor)
    gain = check_real(fn, "gain", gain)
    _check_at_least_2d(fn, tensor)
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    # A ~ N(0, 1), (rows, cols); QR needs it tall, so transpose a wide one
    a = tensor.new_empty((rows, cols)).normal_(0, 1, generator=generator)
    if rows < cols:
        a = a.T
    # A = QR
    q, r = torch.linalg.qr(a)
    # Q · diag(sign(R_ii)): the sign fix that makes Q Haar-distributed
    q = q * torch.diagonal(r).sign()
    if rows < cols:
        q = q.T
    with torch.no_grad():
        # W = gain · Q
        tensor.copy_((gain * q).reshape(tensor.shape))
    return tensor


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: torch.Generator | None = None) -> Tensor:
    r"""Fill a 2-D `tensor` with $\mathcal{N}(0, \text{std}^2)$ values, a fraction `sparsity` of each column zeroed.

    $$
    w_{ij} \sim \mathcal{N}(0, \text{std}^2), \qquad
    w_{ij} = 0 \ \text{for } i \in Z_j, \qquad
    |Z_j| = \lceil \text{sparsity} \cdot \text{rows} \rceil
    $$

    with $Z_j$ a random subset of the rows, drawn for each column $j$ (one input's outgoing
    weights) on its own (Martens, 2010).

    Args:
        tensor: Floating-point 2-D tensor to fill in place.
        sparsity: Fraction of each column set to zero, in $[0, 1]$.
        std: Standard deviation of the non-zero values, $\ge 0$. Defaults to 0.01.
        generator: Random number generator for the values and the zero positions. Defaults to None
            (torch's global generator).

    Shape:
        - Tensor: $(\text{rows}, \text{cols})$.

    Returns:
        `tensor`.

    Raises:
        TypeError: If `tensor` is not a floating-point tensor or `sparsity`/`std` not a real number.
        ValueError: If `tensor` is not 2-D, `sparsity` is outside $[0, 1]$ or `std` $< 0$.

    Torch counterpart: `torch.nn.init.sparse_` (same values with ``generator=None``; torch draws
    the zero positions from the global generator even when given one — see the module notes).

    References:
        - Martens, [Deep learning via Hessian-free optimization](https://www.cs.toronto.edu/~jmartens/docs/Deep_HessianFree.pdf),
          ICML 2010.

    Examples:
        >>> import torch
        >>> from dlref.init import sparse_
        >>> w = sparse_(torch.empty(4, 3), sparsity=0.5, generator=torch.Generator().manual_seed(0))
        >>> (w == 0).sum(dim=0)  # ⌈0.5 · 4⌉ = 2 zeros per column
        tensor([2, 2, 2])
    """
    fn = "sparse_"
    tensor = check_tensor(fn, "tensor", tensor)
    if tensor.dim() != 2:
        fail(fn, "tensor", "has the wrong number of dimensions", f"{tensor.dim()}-D of shape {tuple(tensor.shape)}",
             "expected 2-D (rows, cols)")
    sparsity = check_real(fn, "sparsity", sparsity, low=0, high=1)
    std = check_real(fn, "std", std, low=0)
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    with torch.no_grad():
        # w_ij ~ N(0, std²)
        tensor.normal_(0, std, generator=generator)
        # w_ij = 0 for the first ⌈sparsity · rows⌉ rows of a random permutation, column by column
        for j in range(cols):
            zero_rows = torch.randperm(rows, generator=generator)[:num_zeros]
            tensor[zero_rows, j] = 0
    return tensor


# --------------------------------------------------------------------------- torch's layer defaults


def default_init_(weight: Tensor, bias: Tensor | None = None, generator: torch.Generator | None = None) -> Tensor:
    r"""What `nn.Linear` and `nn.Conv1d/2d/3d` do to their parameters by default, written out.

    Torch's ``reset_parameters`` calls ``kaiming_uniform_(weight, a=math.sqrt(5))``: the
    leaky-ReLU gain with slope $\sqrt 5$ is $\sqrt{2/(1 + 5)} = 1/\sqrt 3$, so

    $$
    w \sim \mathcal{U}\Big(-\frac{1}{\sqrt{\text{fan\_in}}}, \frac{1}{\sqrt{\text{fan\_in}}}\Big), \qquad
    \operatorname{Var}(w) = \frac{1}{3\,\text{fan\_in}}, \qquad
    b \sim \mathcal{U}\Big(-\frac{1}{\sqrt{\text{fan\_in}}}, \frac{1}{\sqrt{\text{fan\_in}}}\Big).
    $$

    That is the old Lua-Torch default (bound $1/\sqrt{\text{fan\_in}}$) kept for
    compatibility; its variance is a third of LeCun's $1/\text{fan\_in}$ and a sixth of
    He's $2/\text{fan\_in}$ for ReLU, so deep plain stacks with the default shrink their
    signal. The weight is drawn first, then the bias, as torch does.

    Args:
        weight: Floating-point weight, $(\text{out}, \text{in})$ or
            $(\text{out}, \text{in}/\text{groups}, *\text{kernel})$.
        bias: Floating-point bias to fill too. Defaults to None (no bias).
        generator: Random number generator. Defaults to None (torch's global generator, as
            torch's layers use).

    Shape:
        - Weight: $(\text{out}, \text{in}, *)$.
        - Bias: $(\text{out})$.

    Returns:
        `weight` (the bias is filled in place too).

    Raises:
        TypeError: If `weight` or `bias` is not a floating-point tensor.
        ValueError: If `weight` has fewer than 2 dimensions.

    Torch counterpart: `nn.Linear.reset_parameters` and `nn.Conv2d.reset_parameters` (same values
    from the same generator state; see also [reset_parameters_][dlref.init.reset_parameters_]).

    References:
        - PyTorch issue [#57109](https://github.com/pytorch/pytorch/issues/57109), on the origin of `a=sqrt(5)`.

    Examples:
        >>> import torch
        >>> from dlref.init import default_init_
        >>> w, b = torch.empty(2, 4), torch.empty(2)
        >>> _ = default_init_(w, b, generator=torch.Generator().manual_seed(0))
        >>> w.abs().max() <= 1 / 4**0.5, b
        (tensor(True), tensor([-0.0444,  0.1323]))
    """
    fn = "default_init_"
    weight = check_tensor(fn, "weight", weight)
    _check_at_least_2d(fn, weight)
    # weight: kaiming_uniform_ with a = √5, i.e. U(-1/√fan_in, 1/√fan_in)
    kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
    if bias is not None:
        bias = check_tensor(fn, "bias", bias)
        fan_in, _ = fan_in_and_fan_out(weight)
        # bias: U(-1/√fan_in, 1/√fan_in) (0 for an empty weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        with torch.no_grad():
            bias.uniform_(-bound, bound, generator=generator)
    return weight


def reset_parameters_(module: nn.Module, generator: torch.Generator | None = None) -> nn.Module:
    r"""Re-initialize a `nn.Linear` or `nn.Conv1d/2d/3d` layer as its constructor does.

    It calls [default_init_][dlref.init.default_init_] on the layer's weight and bias:

    $$
    w, b \sim \mathcal{U}\Big(-\frac{1}{\sqrt{\text{fan\_in}}}, \frac{1}{\sqrt{\text{fan\_in}}}\Big)
    $$

    Use it with `model.apply`, for example ``model.apply(reset_parameters_)``, to restore
    torch's defaults after experimenting with other initializers.

    Args:
        module: A `nn.Linear`, `nn.Conv1d`, `nn.Conv2d` or `nn.Conv3d`. Other modules are returned unchanged,
            so that `model.apply` can visit every submodule.
        generator: Random number generator. Defaults to None (torch's global generator).

    Returns:
        `module`.

    Raises:
        TypeError: If `module` is not an `nn.Module`.

    Torch counterpart: `module.reset_parameters()` (same values from the same generator state).

    References:
        - PyTorch, [torch.nn.Linear](https://docs.pytorch.org/docs/stable/generated/torch.nn.Linear.html).

    Examples:
        >>> import torch
        >>> from dlref.init import reset_parameters_
        >>> layer = torch.nn.Linear(4, 2)
        >>> _ = reset_parameters_(layer, generator=torch.Generator().manual_seed(0))
        >>> layer.bias.detach()
        tensor([-0.0444,  0.1323])
    """
    if not isinstance(module, nn.Module):
        fail_type("reset_parameters_", "module", module, "expected a torch.nn.Module")
    if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        default_init_(module.weight, module.bias, generator=generator)
    return module
