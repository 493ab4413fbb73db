// Typeset the \( \) and \[ \] math that pymdownx.arithmatex (generic mode) emits, wherever a
// reader sees it: the page, the table of contents (which repeats headings as plain text)
// and the search results (whose previews are page text).
const dlrefMathOptions = {
  delimiters: [
    { left: "$$", right: "$$", display: true },
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
  throwOnError: false,
};

function dlrefRenderMath() {
  for (const el of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(el, dlrefMathOptions);
  }
  for (const el of document.querySelectorAll(".md-nav__link")) {
    if (el.textContent.includes("\\(")) {
      renderMathInElement(el, dlrefMathOptions);
    }
  }
  const results = document.querySelector(".md-search-result__list");
  if (results && !results.dataset.dlrefMath) {
    results.dataset.dlrefMath = "on";
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node instanceof Element) {
            renderMathInElement(node, dlrefMathOptions);
          }
        }
      }
    }).observe(results, { childList: true, subtree: true });
  }
}

if (typeof document$ !== "undefined") {
  document$.subscribe(dlrefRenderMath);
} else {
  document.addEventListener("DOMContentLoaded", dlrefRenderMath);
}
