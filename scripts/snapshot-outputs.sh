#!/usr/bin/env bash
# Writes the demo's and the corpus's reports (text, JSON, SARIF, Markdown) into DIR, so that two runs
# (before and after a refactor) can be compared byte for byte: `diff -r before after`.
# Usage: scripts/snapshot-outputs.sh DIR      (run from the repository root after `npm run build`)
set -uo pipefail
out="${1:?usage: scripts/snapshot-outputs.sh DIR}"
mkdir -p "$out"
corpus="${CORPUS:-../shared/corpus}"
run() { node bin/sgscan.js "$@" --fail-on none --no-color; }
run scan fixtures/demo --format text > "$out/demo.txt"
run scan fixtures/demo --format json --output "$out/demo.json" --format sarif --output "$out/demo.sarif" --format markdown --output "$out/demo.md"
if [ -d "$corpus" ]; then
  run scan "$corpus" --format json --output "$out/corpus.json" --format sarif --output "$out/corpus.sarif"
fi
node bin/sgscan.js rules --format markdown > "$out/rules.md"
node bin/sgscan.js reach fixtures/demo/terraform --from internet --to aws_instance.bastion --port 22 > "$out/reach.txt"
node bin/sgscan.js graph fixtures/demo/terraform --format mermaid > "$out/graph.mmd"
ls -l "$out"
