#!/usr/bin/env bash
# Re-vendor KaTeX from the npm registry into docs/assets/katex/ (run by hand when upgrading).
# The site serves these files itself, so math renders offline and no CDN is ever contacted.
set -euo pipefail
version="${1:-0.19.1}"
dest="$(cd "$(dirname "$0")/.." && pwd)/docs/assets/katex"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "katex@${version}" >/dev/null && tar xzf "katex-${version}.tgz")
rm -rf "$dest"
mkdir -p "$dest/fonts" "$dest/contrib"
cp "$tmp/package/dist/katex.min.js" "$tmp/package/dist/katex.min.css" "$dest/"
cp "$tmp/package/dist/contrib/auto-render.min.js" "$dest/contrib/"
# Every browser that runs the site reads woff2, the first source in katex.min.css.
cp "$tmp/package/dist/fonts/"*.woff2 "$dest/fonts/"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "katex ${version} from the npm registry (npm pack katex@${version})" > "$dest/VERSION"
