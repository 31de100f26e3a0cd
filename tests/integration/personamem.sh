#!/bin/sh
# personamem.sh - the PersonaMem export of a 50-persona offline build
# (14 sessions a persona of all seven document types at noise 0.3, 7
# multiple-choice items a persona) goes through the authors' own loading
# and answer scoring (tests/integration/personamem_check.py follows
# inference_standalone_openai.py of bowen-upenn/PersonaMem step by step)
# with an oracle that answers the correct letter: every row loads, every
# context id resolves, every end index is in range, every answer scores
# right. Debian's python3, no network.
. "${top_srcdir:-.}/tests/integration/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-pm.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 is missing"
tap_plan 3

cat >"$T/pm.json" <<JSON
{"name": "pm50", "seed": 42,
 "stages": {"narrative": {"enabled": false},
  "documents": {"per_persona": 14, "noise_ratio": 0.3,
   "types": ["conversation", "user_ai", "purchase", "email", "calendar",
             "note", "search"]},
  "qa": {"per_persona": 0}, "preferences": {"per_persona": 0},
  "mcq": {"per_persona": 7}}}
JSON
if "$pf" build "$T/pm.json" -o "$T/pm.db" --personas 50 --backend offline \
	>"$T/build.out" 2>&1 &&
	"$pf" export "$T/pm.db" --format personamem -o "$T/pm" \
		2>"$T/export.err"; then
	tap_pass "a 50-persona build exports as PersonaMem"
	sed "s/^/# /" "$T/export.err"
else
	tap_fail "the build or export fails" \
		"$(tail -3 "$T/build.out" "$T/export.err")"
fi
tap_check "the authors' loading and answer scoring accept it" \
	python3 "$src/tests/integration/personamem_check.py" "$T/pm"
sed "s/^/# /" "$T/check.out"
# Byte-identical run to run: the same dataset, the same files.
"$pf" export "$T/pm.db" --format personamem -o "$T/pm2" -q
tap_check "the export is byte-identical run to run" diff -r "$T/pm" "$T/pm2"
tap_end
