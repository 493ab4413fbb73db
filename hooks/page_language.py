"""MkDocs hooks: the page language for dlref.plots, and code outputs shared between languages.

Both languages run the very same code blocks (the parity rule), so

* figures learn their label language from here rather than from an argument in
  the page: with mkdocs-static-i18n's suffix layout, ``page.zh.md`` is the Chinese twin;
* a block whose output does not depend on the language (it never asked
  `dlref.plots` for it) need not run twice: the Chinese build reuses the English
  output of the same code in the same markdown-exec session. Sessions live for the
  whole process and the code is identical, so the session state is the same too.
  The cache is cleared at the start of every English build (each ``mkdocs serve``
  rebuild starts with English), so edits are always re-executed.
"""

from __future__ import annotations

import io
import tokenize
from typing import Any

from dlref import plots
from dlref.plots import _render

try:  # markdown-exec's Python runner; without it (another version) blocks simply all run
    from markdown_exec._internal.formatters import python as _mx_python
except ImportError:  # pragma: no cover - depends on the installed markdown-exec
    _mx_python = None

_outputs: dict[tuple[str | None, str], str] = {}


def _without_comments(code: str) -> str:
    """The code with comments removed: the two languages differ only in their comments."""
    kept = []
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type != tokenize.COMMENT:
            kept.append((tok.type, tok.string))
    return tokenize.untokenize(kept)


def _install() -> None:
    run = _mx_python._run_python

    def run_once(code: str, returncode: int | None = None, session: str | None = None, id: str | None = None,  # noqa: A002
                 **extra: str) -> str:
        key = (session, _without_comments(code))
        if session is not None and key in _outputs:
            return _outputs[key]
        reads = _render._reads["count"]
        output = run(code, returncode, session, id, **extra)
        if session is not None and _render._reads["count"] == reads:
            _outputs[key] = output
        return output

    _mx_python._run_python = run_once


if _mx_python is not None and hasattr(_mx_python, "_run_python"):
    _install()


def on_pre_build(config: Any, **_: Any) -> None:
    if config["theme"]["language"] == "en":
        _outputs.clear()


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    plots.set_language("zh" if page.file.src_uri.endswith(".zh.md") else "en")
    return markdown
