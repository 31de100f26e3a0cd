#!/bin/sh
# world.sh - issue 13's figures over a 10,000-persona offline build of
# examples/demo.json (10 sessions a persona, noise_ratio 0.3), and the
# noise share of the other settings (0, 0.5, 0.7) over 2,000-persona
# builds with documents only. tests/integration/world_stats.py prints
# the contacts per persona, documents per type, noise share, facts per
# statement kind, unstated planted facts, canaries outside their own
# documents, chat turns whose reply does not answer them (a question,
# request, piece of news or plan not followed by the other speaker's
# answer, reaction or agreement sharing a content word with it) and
# distinct-2 per document type; coherence_scan the relation/sex
# mismatches. A 2,000-persona build with all seven document types
# (issue 15: emails, calendar events, notes and search history too)
# prints documents, planted facts and distinct-2 per type.
# The seed is fixed: the same figures every run.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
scratch world
need_python3
tap_plan 8

tap_build_export "a 10,000-persona offline build of examples/demo.json exports" \
	demo "$src/examples/demo.json" 10000 jsonl
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
	build_export "noise-$r" "$T/noise-$r.json" 2000 jsonl &&
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
# Issue 15's types: every type in turn over 2,000 personas with 14
# sessions each; documents, planted facts and distinct-2 per type.
seven_types_config "$T/all.json" all 0
if build_export all "$T/all.json" 2000 jsonl; then
	tap_check "all seven document types plant their facts and read varied" \
		python3 "$src/tests/integration/world_stats.py" "$T/all" 0.3
	grep "^documents\|^planted\|^distinct2\|^dialogue\|FAIL" \
		"$T/check.out" | sed "s/^/# /"
else
	tap_fail "the all-types build fails" "$(tail -3 "$T/all.out")"
fi
tap_end
