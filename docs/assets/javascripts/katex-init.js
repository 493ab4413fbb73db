// Render the \( \) and \[ \] spans that pymdownx.arithmatex (generic mode) emits.
// `document$` is Material's page-load observable, so this also runs after instant navigation.
function dlrefRenderMath() {
  const options = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
    throwOnError: false,
  };
  for (const el of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(el, options);
  }
}
if (typeof document$ !== "undefined") {
  document$.subscribe(dlrefRenderMath);
} else {
  document.addEventListener("DOMContentLoaded", dlrefRenderMath);
}
