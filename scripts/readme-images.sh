#!/usr/bin/env bash
# Remakes the README's and the Danish guide's pictures (docs/images/*.png) from the demo page:
#   python -m bot demo --html FILE, opened in headless chromium at 1200×800, shrunk by pngquant.
# Needs the install from the README, chromium and (for colour emoji and small files)
# fonts-noto-color-emoji and pngquant: apt-get install chromium fonts-noto-color-emoji pngquant
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

shoot() {  # shoot PAGE FRAGMENT PNG
  chromium --headless --disable-gpu --no-sandbox --hide-scrollbars \
    --user-data-dir="$work/profile-$(basename "$3")" --window-size=1200,800 \
    --screenshot="$3" "file://$(realpath "$1")#$2" 2>/dev/null
  if command -v pngquant >/dev/null; then
    pngquant --force --skip-if-larger --quality=70-90 --output "$3" -- "$3" || true
  fi
  echo "$3: $(wc -c <"$3") bytes"
}

for language in en da; do
  python -m bot demo --language "$language" --html "$work/demo-$language.html" >/dev/null
  suffix=$([ "$language" = en ] && echo "" || echo "-da")
  shoot "$work/demo-$language.html" step-meeting "$out/demo-meeting$suffix.png"
  shoot "$work/demo-$language.html" home-U0ANNE "$out/demo-home$suffix.png"
done
