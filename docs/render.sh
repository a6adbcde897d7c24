#!/usr/bin/env bash
# Re-make the README pictures from a real annotated copy (not needed to build, run or test perfeval).
# Needs: apt-get install -y libreoffice-calc poppler-utils fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/perfeval check sample_workbooks/02_评分错误示例.xlsx --out "$work/out" > /dev/null || true
cp "$work/out/02_评分错误示例.checked.xlsx" "$work/sample.xlsx"
# every sheet on one page, exactly as the workbook holds it
soffice --headless --convert-to \
  'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}' \
  --outdir "$work" "$work/sample.xlsx" > /dev/null
# page 1 is 汇总, page 3 the scoring sheet; crop the sheet to its first rows
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/sample.pdf" docs/annotated-summary
pdftoppm -png -r 80 -f 3 -l 3 -x 0 -y 0 -W 1400 -H 640 -singlefile "$work/sample.pdf" docs/annotated-sheet
