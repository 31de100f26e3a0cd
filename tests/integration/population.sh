#!/bin/sh
# population.sh - a 10,000-persona offline build is faithful to its
# tables as bench/population measures it: every table's TVD within its
# multinomial 99th percentile, the headline figures within 2 points, any mental illness in the
# top neuroticism band at least twice the bottom band's,
# the name, place and age bars, no shared phone, national id or email,
# persona i the same in a 300-run. The speed is printed, not held to its
# bar (the machine is shared while tests run). The build seed and the
# null draws are fixed, so the result is the same on every run.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-population.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 1
if TMPDIR=$T python3 "$src/bench/population" --no-speed-bar "$bld" 10000 \
	>"$T/out" 2>&1; then
	tap_pass "the population meets every bar of bench/population"
else
	tap_fail "bench/population fails" "$(grep -E 'FAIL' "$T/out" | head -5 | tr '\n' ' ')"
fi
sed 's/^/# /' "$T/out"
tap_end
