#!/bin/sh
# cqa10k.sh - issue 16's figures for the community answers and the
# generated questions of a 10,000-persona offline build of
# examples/demo.json, printed and held to their bars by cqa10k_check.py:
# distinct-2 of the first 1,000 community answers (>= 0.25), the
# near-duplicate share of the distinct questions' titles and bodies
# (<= 0.10 each), exact title repeats (<= 0.25), all four SE-PQA
# techniques per question.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-cqa10k.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 3
tap_check "a 10,000-persona offline build of examples/demo.json" \
	"$pf" build "$src/examples/demo.json" -o "$T/b.db" --personas 10000 \
	--backend offline -q
tap_check "its JSONL export" "$pf" export "$T/b.db" --format jsonl \
	-o "$T/j" -q
if python3 "$src/tests/integration/cqa10k_check.py" "$T/j/cqa.jsonl" \
	>"$T/out" 2>&1; then
	tap_pass "every figure meets its bar"
else
	tap_fail "a figure misses its bar" "$(grep FAIL "$T/out")"
fi
sed 's/^/# /' "$T/out"
tap_end
