#!/usr/bin/env bash
# Rebuild docs/rollup-html.png and docs/rollup-indicators-chart.png from a real roll-up of 60 generated
# workbooks: the page as headless Chromium shows it, the 指标失分 chart as LibreOffice prints rollup.xlsx.
# Needs Debian's chromium, libreoffice-calc, poppler-utils and fonts-noto-cjk, and perfeval in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -c "
import sys; from pathlib import Path; sys.path.insert(0, 'benchmarks')
from bench_rollup import generate; generate(Path('$work/inbox'), 60)"
.venv/bin/perfeval rollup "$work/inbox" --out "$work/rollup.xlsx" --html "$work/rollup.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars \
  --window-size=1280,1600 --screenshot="$work/page.png" "file://$work/rollup.html" 2>/dev/null
cp "$work/page.png" docs/rollup-html.png
(cd "$work" && soffice --headless --convert-to pdf rollup.xlsx >/dev/null 2>&1)
pages=$(pdfinfo "$work/rollup.pdf" | awk '/^Pages:/ {print $2}')
for page in $(seq 1 "$pages"); do                # the page the chart is printed on (below its table)
  if pdftotext -f "$page" -l "$page" "$work/rollup.pdf" - | grep -q "失分合计最多的三级指标"; then
    pdftoppm -r 110 -png -f "$page" -l "$page" -x 70 -y 100 -W 690 -H 432 -singlefile \
      "$work/rollup.pdf" docs/rollup-indicators-chart
    break
  fi
done
ls -l docs/*.png
