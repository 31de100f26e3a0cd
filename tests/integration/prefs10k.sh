#!/bin/sh
# prefs10k.sh - issue 16's figures over a 10,000-persona offline build
# (preferences and community QA; narrative, documents and QA off to keep
# it short), printed and held to their bars by prefs_check.py: distinct
# questions per persona, verbose >= 1.5x concise (100%), label text (0),
# both orders stored (100%), ties + abstentions 5-40%, rationales failing
# the quoting rule (0), top-5-tag leaks (0), distinct-2 of the first 1,000
# preference answers (>= 0.25) and community answers (printed against
# 0.25, held to > 0.05).
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-prefs10k.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 3
cat >"$T/c.json" <<'JSON'
{"name": "prefs10k", "seed": 16, "personas": 10000, "backend": "offline",
 "stages": {"narrative": {"enabled": false}, "documents": {"per_persona": 0},
	    "qa": {"per_persona": 0}, "preferences": {"per_persona": 10},
	    "cqa": {"questions": 1}}}
JSON
tap_check "a 10,000-persona offline build" "$pf" build "$T/c.json" \
	-o "$T/c.db" -q
tap_check "its JSONL export" "$pf" export "$T/c.db" --format jsonl \
	-o "$T/j" -q
if python3 "$src/tests/integration/prefs_check.py" "$T/j" >"$T/out" 2>&1
then
	tap_pass "every figure meets its bar"
else
	tap_fail "a figure misses its bar" "$(grep FAIL "$T/out")"
fi
sed 's/^/# /' "$T/out"
tap_end
