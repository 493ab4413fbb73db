"""dlref.plots: deterministic, memoized, theme-aware figures and generated tables."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from dlref import plots
from dlref.activations import ACTIVATIONS


def test_figures_are_deterministic_across_cache_clears() -> None:
    first = plots.activation("gelu")
    plots.activation.cache_clear()
    assert plots.activation("gelu") == first
    for figure in (plots.xor, plots.gradient_bound):
        figure_first = figure(lang="zh")
        figure.cache_clear()  # type: ignore[attr-defined]
        assert figure(lang="zh") == figure_first


def test_figures_are_memoized() -> None:
    assert plots.activation("relu") is plots.activation("relu")
    assert plots.xor(lang="en") is plots.xor(lang="en")


def test_svg_is_inline_theme_aware_and_has_unique_ids() -> None:
    svgs = [plots.activation("tanh"), plots.activation("sigmoid"), plots.xor(lang="en")]
    ids: list[str] = []
    for svg in svgs:
        assert svg.startswith('<div class="dlref-figure"><svg') and svg.endswith("</svg></div>")
        assert "<?xml" not in svg and "DOCTYPE" not in svg
        assert "#000000" not in svg and "currentColor" in svg
        assert "<dc:date>" not in svg  # metadata={"Date": None}
        ids += re.findall(r'id="([^"]+)"', svg)
        # every internal reference points at an id of the same figure
        for ref in re.findall(r'(?:href="|url\()#([^")]+)', svg):
            assert ref in re.findall(r'id="([^"]+)"', svg)
    assert len(ids) == len(set(ids)), "two figures on one page would share an id"


def test_word_labels_follow_the_language() -> None:
    en, zh = plots.gradient_bound(lang="en"), plots.gradient_bound(lang="zh")
    assert 'aria-label="Gradient bound against depth"' in en
    assert 'aria-label="梯度上界随层数的变化"' in zh
    with plots.use_language("zh"):
        assert plots.xor() == plots.xor(lang="zh")
    assert plots.get_language() == "en"


def test_math_only_figures_are_shared_between_languages() -> None:
    with plots.use_language("zh"):
        zh = plots.activation("softplus")
    assert zh is plots.activation("softplus")


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: plots.set_language("fr"), ValueError,
     r"set_language: lang is not a valid choice \(got 'fr'\); expected one of 'en', 'zh'"),
    (lambda: plots.activation("mish"), ValueError,
     r"activation: name is not a valid choice \(got 'mish'\); expected one of 'sigmoid', 'tanh', 'relu'"),
    (lambda: plots.activation("relu", 1.0, -1.0), ValueError,
     r"activation: hi is not above lo \(got -1.0\); expected hi > lo = 1.0"),
    (lambda: plots.activation("relu", "a", 1.0), TypeError,
     r"activation: lo has the wrong type \(got str\); expected a real number"),
    (lambda: plots.gradient_bound(1), ValueError,
     r"gradient_bound: depth is out of range \(got 1\); expected an int >= 2"),
    (lambda: plots.gradient_bound(2.0), TypeError,
     r"gradient_bound: depth has the wrong type \(got float\); expected an int"),
    (lambda: plots.activation_card("mish"), ValueError,
     r"activation_card: name is not a valid choice \(got 'mish'\); expected one of 'sigmoid'"),
    (lambda: plots.focal_loss_curves((1.0, -1.0)), ValueError,
     r"focal_loss_curves: gammas\[1\] is out of range \(got -1.0\); expected a finite number >= 0"),
])
def test_bad_arguments_raise(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_table_has_one_row_per_activation_in_both_languages() -> None:
    for lang, head in (("en", "| function | range |"), ("zh", "| 函数 | 值域 |")):
        table = plots.activation_table(lang=lang).splitlines()
        assert table[0].startswith(head)
        assert len(table) == 2 + len(ACTIVATIONS)
        assert [row.split(" | ")[0].lstrip("| ") for row in table[2:]] == [a.title for a in ACTIVATIONS.values()]


def test_table_ranges_use_open_and_closed_ends_correctly() -> None:
    table = plots.activation_table(lang="en").splitlines()[2:]
    rows = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[1] for row in table}
    assert rows["Sigmoid"] == "$(0, 1)$"
    assert rows["Tanh"] == "$(-1, 1)$"
    assert rows["ReLU"] == "$[0, \\infty)$"
    assert rows["ReLU6"] == "$[0, 6]$"
    assert rows["GELU"] == "$[-0.17, \\infty)$"
    assert rows["LogSoftmax"] == "$(-\\infty, 0)$"
    assert rows["Step (Heaviside)"] == "$\\{0, 1\\}$"


def test_card_labels_follow_the_language() -> None:
    assert "*Range*" in plots.activation_card("elu", lang="en")
    assert "*值域*" in plots.activation_card("elu", lang="zh")
    assert "`alpha=1.0`" in plots.activation_card("elu", lang="en")


def test_card_names_the_pytorch_counterpart_in_words() -> None:
    assert plots.activation_card("sigmoid", lang="en").endswith(" · PyTorch: `torch.sigmoid`")
    assert plots.activation_card("sigmoid", lang="zh").endswith(" · PyTorch 对应函数：`torch.sigmoid`")
    # swish has no torch function: its counterpart is an expression
    assert plots.activation_card("swish", lang="zh").endswith(" · PyTorch 对应写法：`x * torch.sigmoid(beta * x)`")


def test_card_shows_definition_then_derivative_as_two_display_blocks() -> None:
    for name, act in ACTIVATIONS.items():
        card = plots.activation_card(name, lang="en").split("\n\n")
        assert card[:2] == [f"$$ {act.formula} $$", f"$$ {act.derivative_formula} $$"], name
    # the first $$ block of a docstring is the definition, not an implementation detail
    softplus = ACTIVATIONS["softplus"]
    assert softplus.formula == r"\mathrm{softplus}(x) = \frac{1}{\beta}\log\left(1 + e^{\beta x}\right)"
    assert softplus.derivative_formula == r"\mathrm{softplus}'(x) = \sigma(\beta x)"


def test_card_formulas_define_every_symbol_they_use() -> None:
    """Symbols that are neither x nor standard functions are defined in the card itself."""
    cards = {name: plots.activation_card(name, lang="en") for name in ACTIVATIONS}
    assert "\\texttt{values} & x = 0" in cards["step"] and "& v" not in cards["step"]  # the argument, by name
    assert "a = \\texttt{negative\\_slope}" in cards["leaky_relu"]
    assert "a_c = \\texttt{weight}[c]" in cards["prelu"]
    assert "\\lambda \\approx 1.0507" in cards["selu"] and "\\alpha \\approx 1.6733" in cards["selu"]
    for name in ("softmax", "log_softmax"):
        assert "p = \\mathrm{softmax}(x)" in ACTIVATIONS[name].derivative_formula
        assert "m = \\max_j x_j" in ACTIVATIONS[name].formula
    assert "`lower=0.125, upper=1/3, training=False`" in cards["rrelu"]  # 1/3, not 0.3333333333333333


@pytest.mark.parametrize(
    "figure", [plots.regression_losses, plots.outlier_fit, plots.focal_loss_curves, plots.giou_boxes, plots.ctc_lattice]
)
def test_loss_figures_are_deterministic_and_follow_the_language(figure) -> None:
    en = figure(lang="en")
    figure.cache_clear()
    assert figure(lang="en") == en
    zh = figure(lang="zh")
    assert zh != en and re.search(r'aria-label="[^"]*[\u4e00-\u9fff]', zh)


def test_figure_modules_hold_only_figures() -> None:
    """Each chapter's module exports figures and tables (strings), never experiments or models."""
    from dlref.plots import (
        activation_figures,
        architecture_figures,
        backprop_figures,
        basics_figures,
        conv_figures,
        init_figures,
        loss_figures,
        optimizer_figures,
        regularization_figures,
        worked_example_figures,
    )

    for module in (activation_figures, architecture_figures, backprop_figures, basics_figures, conv_figures,
                   init_figures, loss_figures, optimizer_figures,
                   regularization_figures, worked_example_figures):
        for name in module.__all__:
            doc = getattr(module, name).__doc__
            assert "Returns:" in doc and ("SVG" in doc or "Markdown" in doc), f"{module.__name__}.{name}"
    figures = [*activation_figures.__all__, *architecture_figures.__all__, *conv_figures.__all__, *loss_figures.__all__,
               *basics_figures.__all__, *init_figures.__all__, *backprop_figures.__all__,
               *regularization_figures.__all__, *optimizer_figures.__all__, *worked_example_figures.__all__]
    assert sorted(figures) == sorted(n for n in plots.__all__ if n not in {"LANGUAGES", "get_language", "set_language",
                                                                           "use_language"})


# --------------------------------------------------------------------------- what a figure's text says

# Math in a label is mathtext ($p_t$); outside it, a backslash, a caret, a brace after an underscore
# or an underscore next to a one-letter name (p_t, W_1) is TeX that the reader would see raw.
# An underscore inside a Python name (output_padding=1) is fine.
_MATH = re.compile(r"(?<!\\)\$.+?(?<!\\)\$")
_RAW_TEX = re.compile(r"\\|\^|_\{|(?<![A-Za-z0-9])[A-Za-z]?_|_(?![A-Za-z]{2})|\$")


def _raw_tex(label: str) -> list[str]:
    return _RAW_TEX.findall(_MATH.sub(" ", label))


@pytest.mark.parametrize(("label", "raw"), [
    ("probability of the true class  p_t", True),
    ("bound  max|f'|^L", True),
    ("\\sigma(x)", True),
    ("x_{12}", True),
    ("W_1", True),
    ("cost $p_t", True),
    ("probability of the true class  $p_t$", False),
    ("bound  $(\\max|f'|)^L$", False),
    ("i=3, k=3, s=2, p=1, output_padding=1  →  o=6", False),
    ("‖∂loss/∂W₁‖ at initialization", False),
])
def test_raw_tex_detector(label: str, raw: bool) -> None:
    assert bool(_raw_tex(label)) is raw


def _figure_calls() -> list[tuple[str, tuple, dict]]:
    calls: list[tuple[str, tuple, dict]] = [("activation", (name,), {}) for name in ACTIVATIONS]
    calls += [
        ("activation", ("leaky_relu",), {"negative_slope": 0.1}),
        ("gradient_bound", (), {}), ("xor", (), {}),
        ("regression_losses", (), {}), ("outlier_fit", (), {}), ("focal_loss_curves", (), {}), ("giou_boxes", (), {}),
        ("ctc_lattice", (), {}),
        ("cnn_pipeline", (), {}), ("residual_gradients", (), {}), ("quant_error", (), {}),
        ("conv_grid", (5, 3), {"s": 2, "p": 1}), ("conv_grid", (7, 3), {"d": 2}),
        ("transposed_grid", (3, 3), {"s": 2, "p": 1, "output_padding": 1}), ("receptive_field_growth", (), {}),
        ("perceptron_boundaries", ("AND",), {}), ("perceptron_boundaries", ("OR",), {}),
        ("perceptron_mistakes", (), {}), ("network_diagram", (), {}),
        ("init_histograms", (), {}), ("init_signal", (), {}), ("init_symmetry", (), {}),
        ("computational_graph", (), {}), ("vanishing_gradients", (), {}), ("gradient_remedies", (), {}),
        ("overfitting_curves", (), {}), ("penalty_paths", (), {}), ("normalization_axes", (), {}),
        ("scaling_distributions", (), {}), ("batchnorm_training", (), {}),
        ("learning_rate_tradeoff", (), {}), ("batch_noise", (), {}), ("saddle_point", (), {}),
        ("ema_bias_correction", (), {}), ("optimizer_trajectories", ("quadratic",), {}),
        ("optimizer_trajectories", ("rosenbrock",), {}), ("lr_schedule_curves", (), {}),
        ("phone_diagnosis_chart", (), {}), ("phone_training_curves", (), {}),
        ("phone_confusion_matrix", (((93, 7, 0, 0), (8, 86, 6, 0), (0, 5, 89, 6), (0, 0, 9, 91)),), {}),
    ]
    return calls


@pytest.fixture(scope="module")
def drawn_figures() -> list[tuple[str, str, str, object]]:
    """Every figure of dlref.plots, drawn afresh in both languages: (call, language, aria label, Figure)."""
    from dlref.plots import (
        _render,
        activation_figures,
        architecture_figures,
        backprop_figures,
        basics_figures,
        conv_figures,
        init_figures,
        loss_figures,
        optimizer_figures,
        regularization_figures,
        worked_example_figures,
    )

    modules = (activation_figures, architecture_figures, backprop_figures, basics_figures, conv_figures, init_figures,
               loss_figures, optimizer_figures,
               regularization_figures, worked_example_figures)
    captured: list[tuple[str, object]] = []

    def capture(fig, key: str, label: str) -> str:
        svg = _render.to_svg(fig, key, label)  # draws the figure, so tick labels exist
        captured.append((label, fig))
        return svg

    drawn = []
    with pytest.MonkeyPatch.context() as mp:
        for module in modules:
            mp.setattr(module, "to_svg", capture)
        for lang in plots.LANGUAGES:
            for name, args, kwargs in _figure_calls():
                figure = getattr(plots, name)
                figure.cache_clear()  # memoized: draw again, through the patched to_svg
                with plots.use_language(lang):
                    figure(*args, **kwargs)
                assert len(captured) == len(drawn) + 1, f"{name}{args} drew no figure through to_svg"
                label, fig = captured[-1]
                drawn.append((f"{name}{args}{kwargs}", lang, label, fig))
    for name in {name for name, _, _ in _figure_calls()}:
        getattr(plots, name).cache_clear()  # the next caller gets figures drawn without the patch
    return drawn


def test_every_figure_function_is_drawn_by_the_text_checks() -> None:
    def returns_svg(name: str) -> bool:
        return "SVG" in (getattr(plots, name).__doc__ or "").split("Returns:")[-1]

    figures = {name for name in plots.__all__ if callable(getattr(plots, name)) and returns_svg(name)}
    assert figures == {name for name, _, _ in _figure_calls()}


def test_figure_text_has_no_raw_tex(drawn_figures) -> None:
    for call, lang, label, fig in drawn_figures:
        assert not _raw_tex(label), (call, lang, label)
        assert "$" not in label, (call, lang, label)  # an aria-label is read aloud, never typeset
        for t in fig.findobj(Text):
            assert not _raw_tex(t.get_text()), (call, lang, t.get_text())


def _visible_points(line, ax):
    """Points along a drawn line, in display coordinates, 20 per segment, where the axes show them."""
    xy = line.get_transform().transform(np.column_stack([line.get_xdata(), line.get_ydata()]))
    t = np.linspace(0.0, 1.0, 20)[:, None, None]
    points = (xy[:-1] + t * (xy[1:] - xy[:-1])).reshape(-1, 2)
    inside = ((points >= [ax.bbox.x0, ax.bbox.y0]) & (points <= [ax.bbox.x1, ax.bbox.y1])).all(axis=1)
    return points[inside]


def test_legends_cover_no_curve(drawn_figures) -> None:
    """No labelled curve passes under a legend (LogSoftmax's f' used to)."""
    for call, lang, _, fig in drawn_figures:
        fig.draw_without_rendering()  # lay out at the figure's own dpi (savefig drew at the SVG's 72)
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            # the legend's ink (handles and texts), not its padding; a marker handle reports an empty box
            extents = [a.get_window_extent() for a in (*legend.legend_handles, *legend.get_texts())]
            box = Bbox.union([e for e in extents if np.isfinite(e.get_points()).all()])
            for line in ax.get_lines():
                if line.get_label().startswith("_"):
                    continue  # zero lines and other unlabelled ink
                # the line's own half width, plus a pixel: a line grazing a label hides it too
                margin = line.get_linewidth() * fig.dpi / 72 / 2 + 1.0
                near = box.padded(margin)
                assert near.count_contains(_visible_points(line, ax)) == 0, (call, lang, line.get_label())


def test_activation_legend_sits_above_the_plot(drawn_figures) -> None:
    for call, _, _, fig in drawn_figures:
        if call.startswith("activation("):
            fig.draw_without_rendering()
            (ax,) = fig.axes
            assert ax.get_legend().get_window_extent().y0 >= ax.get_window_extent().y1 - 1.0, call


def test_gradient_bound_shows_tanh_and_relu_although_they_coincide(drawn_figures) -> None:
    for call, lang, _, fig in drawn_figures:
        if call.startswith("gradient_bound"):
            lines = {line.get_label().split(":")[0]: line for line in fig.axes[0].get_lines()}
            tanh, relu = lines["Tanh"], lines["ReLU"]
            np.testing.assert_array_equal(tanh.get_ydata(), relu.get_ydata())  # the same bound, 1 ...
            # ... drawn so that both show: ReLU wide underneath, tanh dashed with other markers on top
            assert relu.get_linewidth() > 2 * tanh.get_linewidth()
            assert tanh.get_linestyle() != relu.get_linestyle() and tanh.get_marker() != relu.get_marker()
            assert fig.axes[0].get_lines().index(tanh) > fig.axes[0].get_lines().index(relu), lang


def test_activation_figure_draws_other_parameters_and_says_so() -> None:
    svg = plots.activation("leaky_relu", negative_slope=0.1)
    assert 'aria-label="Leaky ReLU (negative_slope=0.1): f(x) and f\'(x)"' in svg
    assert svg != plots.activation("leaky_relu")
    with pytest.raises(ValueError, match=r"curves: slope is not a parameter of leaky_relu"):
        plots.activation("leaky_relu", slope=0.1)


def test_ctc_lattice_counts_the_paths_that_collapse_to_the_target(drawn_figures) -> None:
    """The title's count (from dlref's ctc_loss) is the number of the 3**6 frame-level paths that collapse to 1 2 2."""
    import itertools

    def collapse(path: tuple[int, ...]) -> list[int]:  # merge repeats, then drop blanks (class 0)
        return [k for i, k in enumerate(path) if k != 0 and (i == 0 or path[i - 1] != k)]

    n_paths = sum(collapse(p) == [1, 2, 2] for p in itertools.product(range(3), repeat=6))
    titles = {lang: fig.axes[0].get_title() for call, lang, _, fig in drawn_figures if call.startswith("ctc_lattice")}
    assert n_paths == 28
    assert titles["en"].endswith(f"{n_paths} paths") and f"共 {n_paths} 条路径" in titles["zh"]
