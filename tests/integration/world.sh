#!/bin/sh
# world.sh - issue 13's figures over a 10,000-persona offline build of
# examples/demo.json (10 sessions a persona, noise_ratio 0.3), and the
# noise share of the other settings (0, 0.5, 0.7) over 2,000-persona
# builds with documents only. tests/integration/world_stats.py prints
# the contacts per persona, documents per type, noise share, facts per
# statement kind, unstated planted facts, canaries outside their own
# documents and distinct-2 per document type; coherence_scan the
# relation/sex mismatches. The seed is fixed: the same figures every run.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-world.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 is missing"
tap_plan 7

# build NAME CONFIG PERSONAS: build and export DIR $T/NAME.
build() {
	"$pf" build "$2" -o "$T/$1.db" --personas "$3" --backend offline \
		>"$T/$1.out" 2>&1 &&
		"$pf" export "$T/$1.db" --format jsonl -o "$T/$1" >/dev/null 2>&1
}

if build demo "$src/examples/demo.json" 10000; then
	tap_pass "a 10,000-persona offline build of examples/demo.json exports"
else
	tap_fail "the build or export fails" "$(tail -3 "$T/demo.out")"
fi
tap_check "contacts, sessions, facts, canaries and distinct-2 meet their bars" \
	python3 "$src/tests/integration/world_stats.py" "$T/demo" 0.3
sed "s/^/# /" "$T/check.out"
tap_check "zero relation/sex mismatches and coherence violations" \
	"$bld/tests/integration/coherence_scan" "$T/demo"
grep "mismatches" "$T/check.out" | sed "s/^/# /"
# The canary auditor, reading personas.jsonl as its canary file, finds
# every document's canary in its own persona's document only.
tap_check "scan --canaries finds no canary outside its own documents" \
	"$pf" scan "$T/demo/documents.jsonl" --text-field content \
	--id-field doc_id --persona-field persona_id --auditors canary \
	--canaries "$T/demo/personas.jsonl" --gate canary:high=0
tail -3 "$T/check.out" | sed "s/^/# /"

for r in 0 0.5 0.7; do
	cat >"$T/noise-$r.json" <<JSON
{"name": "noise", "seed": 42,
 "stages": {"narrative": {"enabled": false},
  "documents": {"per_persona": 10, "noise_ratio": $r,
   "types": ["conversation", "user_ai", "purchase"]},
  "qa": {"per_persona": 0}, "preferences": {"per_persona": 0}}}
JSON
	build "noise-$r" "$T/noise-$r.json" 2000 &&
		python3 "$src/tests/integration/world_stats.py" \
			"$T/noise-$r" "$r" >"$T/stats-$r" 2>&1
	if grep -q "^noise_share" "$T/stats-$r" &&
		! grep -q "FAIL noise" "$T/stats-$r"; then
		tap_pass "noise_ratio $r: $(grep '^noise_share' "$T/stats-$r")"
	else
		tap_fail "noise_ratio $r" "$(tail -5 "$T/stats-$r" \
			"$T/noise-$r.out" 2>/dev/null)"
	fi
done
tap_end
