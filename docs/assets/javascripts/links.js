// Two link fixes, applied when a link is clicked (so they also hold for links Material
// renders later, such as search results).
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!link) {
    return;
  }
  // Switching language keeps the reader's place: headings carry the same ids in both
  // languages, so the current fragment is carried over to the other page.
  if (link.matches("a.md-select__link[hreflang]") && location.hash) {
    link.hash = location.hash;
  }
  // A search hit on a whole page carries an empty `?h=` (no term to highlight): drop it.
  const url = new URL(link.href, location.href);
  if (url.searchParams.has("h") && !url.searchParams.get("h")) {
    url.searchParams.delete("h");
    link.href = url.href;
  }
});
