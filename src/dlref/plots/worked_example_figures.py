"""Figures of the worked example: the diagnosis of the notes' pipeline, training curves and a confusion matrix.

The diagnosis chart and the training curves draw
[phone_price_diagnosis][dlref.experiments.phone_price_diagnosis] and
[phone_price_run][dlref.experiments.phone_price_run] (the corrected pipeline); the
confusion matrix draws the counts it is given, which the chapter computes on the test
split with [confusion_matrix][dlref.metrics.confusion_matrix].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dlref._checks import fail, fail_type
from dlref.experiments.phone_prices import PHONE_MISTAKES, phone_price_diagnosis, phone_price_run
from dlref.plots._render import BLUE, GREY, ORANGE, per_language, text, to_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["phone_confusion_matrix", "phone_diagnosis_chart", "phone_diagnosis_table", "phone_training_curves"]

_CLASSES = {"en": ("low", "medium", "high", "very high"), "zh": ("低", "中", "高", "很高")}


def _clean(ax: Axes) -> None:
    ax.grid(True, color=GREY, alpha=0.35, linewidth=0.6)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def _mistake_labels(lang: str) -> dict[str, str]:
    return {
        "scaling": text("unscaled features", "特征未缩放", lang),
        "dropout": text("dropout 0.9 before ReLU", "ReLU 前 dropout 0.9", lang),
        "optimizer": text("SGD, lr 0.1", "SGD，学习率 0.1", lang),
        "eval_mode": text("tested in training mode", "以训练模式测试", lang),
        "epochs": text("fixed 20 epochs", "固定训练 20 轮", lang),
    }


def _rows(lang: str) -> list[tuple[str, float]]:
    """(label, validation accuracy) of the corrected pipeline, each mistake put back, and the notes' pipeline."""
    d = phone_price_diagnosis()
    labels = _mistake_labels(lang)
    rows = [(text("corrected pipeline", "修正后的流程", lang), d.corrected)]
    rows += [("+ " + labels[m], d.put_back[m]) for m in PHONE_MISTAKES]
    rows += [(text("notes' pipeline (all five)", "笔记的流程（五处全有）", lang), d.notes)]
    return rows


@per_language
def phone_diagnosis_table(*, lang: str = "en") -> str:
    """Tabulate the validation accuracy of the corrected pipeline, with each notes' mistake put back, and the notes'.

    The numbers of [phone_price_diagnosis][dlref.experiments.phone_price_diagnosis], with
    each configuration's difference from the corrected pipeline.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        A Markdown table.

    Examples:
        >>> from dlref.plots import worked_example_figures
        >>> print(worked_example_figures.phone_diagnosis_table(lang="en").splitlines()[2])
        | corrected pipeline | 0.8825 | — |
    """
    rows = _rows(lang)
    reference = rows[0][1]
    lines = [text("| configuration | validation accuracy | change |", "| 配置 | 验证集准确率 | 变化 |", lang),
             "|---|---|---|"]
    for k, (label, value) in enumerate(rows):
        change = "—" if k == 0 else f"{value - reference:+.4f}".replace("-", "−")
        lines.append(f"| {label} | {value:.4f} | {change} |")
    return "\n".join(lines)


@per_language
def phone_diagnosis_chart(*, lang: str = "en") -> str:
    """Plot the validation accuracy of the corrected pipeline, with each notes' mistake put back, and the notes'.

    Draws [phone_price_diagnosis][dlref.experiments.phone_price_diagnosis]: one horizontal
    bar per configuration (the corrected pipeline first, then one bar per mistake put back,
    then the notes' pipeline with all five), the accuracy written at the end of each bar,
    and chance level (0.25, four balanced classes) dashed.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import worked_example_figures
        >>> "<svg" in worked_example_figures.phone_diagnosis_chart(lang="en")
        True
    """
    from matplotlib.figure import Figure

    names, values = zip(*_rows(lang), strict=True)
    colors = [BLUE] + [ORANGE] * len(PHONE_MISTAKES) + [GREY]
    fig = Figure(figsize=(4.9, 3.3), layout="constrained")
    ax = fig.subplots()
    rows = list(range(len(values)))[::-1]  # the corrected pipeline on top
    ax.barh(rows, values, color=colors, height=0.65)
    for row, value in zip(rows, values, strict=True):
        ax.text(value + 0.015, row, f"{value:.3f}", va="center", fontsize=9)
    ax.axvline(0.25, color="black", linewidth=0.8, linestyle="--")
    ax.text(0.255, len(values) - 0.45, text("chance", "随机猜测", lang), fontsize=9, va="bottom")
    ax.set_yticks(rows, names, fontsize=9)
    ax.set_xlim(0, 1.08)
    ax.set_ylim(-0.6, len(values) - 0.1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.tick_params(axis="x", labelsize=9)
    ax.set_xlabel(text("validation accuracy", "验证集准确率", lang), fontsize=9)
    ax.grid(True, axis="x", color=GREY, alpha=0.35, linewidth=0.6)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    label = text("Validation accuracy of the corrected pipeline, of it with each of the notes' mistakes put back, "
                 "and of the notes' pipeline, which stays at chance",
                 "修正后的流程、逐一放回笔记中某个错误后的流程，以及笔记原流程的验证集准确率；"
                 "笔记原流程停在随机猜测水平", lang)
    return to_svg(fig, f"phone-diagnosis-{lang}", label)


@per_language
def phone_training_curves(*, lang: str = "en") -> str:
    """Training and validation loss, and validation accuracy, of the corrected pipeline, epoch by epoch.

    Draws the history of [phone_price_run][dlref.experiments.phone_price_run] with its
    defaults (the chapter's corrected pipeline). The best validation epoch, whose weights
    early stopping restores, is marked in both panels.

    Args:
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Examples:
        >>> from dlref.plots import worked_example_figures
        >>> "<svg" in worked_example_figures.phone_training_curves(lang="zh")
        True
    """
    from matplotlib.figure import Figure

    history = phone_price_run().history
    epochs = range(1, history.epochs + 1)
    best = history.best_epoch if history.best_epoch is not None else history.epochs
    fig = Figure(figsize=(4.9, 2.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.plot(epochs, history.train_loss, color=BLUE, linewidth=1.6, label=text("training", "训练集", lang))
    left.plot(epochs, history.val_loss, color=ORANGE, linewidth=1.6, label=text("validation", "验证集", lang))
    left.set_ylabel(text("cross-entropy loss", "交叉熵损失", lang), fontsize=9)
    left.legend(fontsize=9, frameon=False, loc="upper right")
    right.plot(epochs, history.val_accuracy, color=ORANGE, linewidth=1.6)
    right.set_ylabel(text("validation accuracy", "验证集准确率", lang), fontsize=9)
    for ax in (left, right):
        _clean(ax)
        ax.axvline(best, color="black", linewidth=0.8, linestyle="--")
        ax.set_xlabel(text("epoch", "轮次", lang), fontsize=9)
        ax.tick_params(labelsize=9)
    right.text(best + 0.4, min(history.val_accuracy), text(f"best: epoch {best}", f"最佳：第 {best} 轮", lang),
               fontsize=9, va="bottom")
    label = text(f"Training and validation loss and validation accuracy of the corrected pipeline; early stopping "
                 f"keeps epoch {best}",
                 f"修正后流程的训练损失、验证损失与验证集准确率；早停保留第 {best} 轮", lang)
    return to_svg(fig, f"phone-training-curves-{lang}", label)


def _counts(matrix: object) -> tuple[tuple[int, ...], ...]:
    """The confusion matrix as a hashable 4 × 4 tuple of non-negative ints (a tensor or nested sequences)."""
    fn = "phone_confusion_matrix"
    rows: Any = matrix.tolist() if hasattr(matrix, "tolist") else matrix
    if (not isinstance(rows, Sequence) or isinstance(rows, str)
            or not all(isinstance(r, Sequence) and not isinstance(r, str) for r in rows)):
        fail_type(fn, "matrix", matrix, "expected a 4 x 4 tensor or nested sequence of counts")
    if len(rows) != 4 or any(len(r) != 4 for r in rows):
        fail(fn, "matrix", "has the wrong shape", f"{len(rows)} rows", "expected 4 x 4, one row per true class")
    counts = []
    for r in rows:
        if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in r):
            fail(fn, "matrix", "has a count that is not a non-negative int", list(r), "expected counts of phones")
        counts.append(tuple(r))
    return tuple(counts)


def phone_confusion_matrix(matrix: object, *, lang: str | None = None) -> str:
    """Draw a 4 × 4 confusion matrix of the price classes: true class by row, predicted class by column.

    Each cell shows its count, shaded by the fraction of its row (the recall of the true
    class on the diagonal).

    Args:
        matrix: The counts, such as [confusion_matrix][dlref.metrics.confusion_matrix]'s
            output: a 4 × 4 integer tensor or nested sequence.
        lang: Label language. Defaults to the current one, [`get_language`][dlref.plots.get_language]().

    Returns:
        An inline SVG string.

    Raises:
        TypeError: If `matrix` is not a tensor or nested sequence.
        ValueError: If it is not 4 × 4 or holds something other than non-negative ints.

    Examples:
        >>> from dlref.plots import worked_example_figures
        >>> cm = [[9, 1, 0, 0], [1, 8, 1, 0], [0, 1, 8, 1], [0, 0, 1, 9]]
        >>> "<svg" in worked_example_figures.phone_confusion_matrix(cm, lang="en")
        True
    """
    return _confusion_cached(_counts(matrix), lang=lang)


@per_language
def _confusion_cached(counts: tuple[tuple[int, ...], ...], *, lang: str = "en") -> str:
    from matplotlib.figure import Figure

    classes = _CLASSES[lang]
    fig = Figure(figsize=(4.2, 3.6), layout="constrained")
    ax = fig.subplots()
    totals = [max(sum(row), 1) for row in counts]
    shares = [[c / t for c in row] for row, t in zip(counts, totals, strict=True)]
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i, row in enumerate(counts):
        for j, c in enumerate(row):
            ax.text(j, i, str(c), ha="center", va="center", fontsize=10,
                    color="white" if shares[i][j] > 0.5 else "#1f2937")
    ax.set_xticks(range(4), classes, fontsize=9)
    ax.set_yticks(range(4), classes, fontsize=9)
    ax.set_xlabel(text("predicted class", "预测类别", lang), fontsize=9)
    ax.set_ylabel(text("true class", "真实类别", lang), fontsize=9)
    for spine in ax.spines.values():
        spine.set_visible(False)
    correct = sum(counts[k][k] for k in range(4))
    total = sum(sum(row) for row in counts)
    label = text(f"Confusion matrix of the price classes: {correct} of {total} phones on the diagonal",
                 f"价格类别的混淆矩阵：{total} 部手机中 {correct} 部在对角线上", lang)
    key = "-".join(str(c) for row in counts for c in row)
    return to_svg(fig, f"phone-confusion-{key}-{lang}", label)


phone_confusion_matrix.cache_clear = _confusion_cached.cache_clear  # type: ignore[attr-defined]
