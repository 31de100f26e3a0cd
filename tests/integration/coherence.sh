#!/bin/sh
# coherence.sh - a 10,000-persona offline build of examples/demo.json
# holds together: tests/integration/coherence_scan runs the coherence rule
# table (personas/coherence.c) over every persona, its facts, its
# relatives and every text of its JSONL export, and prints the
# relation/sex mismatches and the violations per rule, which must all be
# zero. The seed is fixed, so the result is the same on
# every run.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-coherence.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 2
if "$pf" build "$src/examples/demo.json" -o "$T/b.db" --personas 10000 \
	--backend offline >"$T/build.out" 2>&1 &&
	"$pf" export "$T/b.db" --format jsonl -o "$T/out" >/dev/null 2>&1; then
	tap_pass "a 10,000-persona offline build exports"
else
	tap_fail "the build or export fails" "$(tail -3 "$T/build.out")"
fi
tap_check "zero coherence violations over the personas, facts and texts" \
	"$bld/tests/integration/coherence_scan" "$T/out"
sed "s/^/# /" "$T/check.out"
tap_end
