#!/bin/sh
# qa.sh - issue 14's figures over a 10,000-persona offline build (10
# sessions a persona at noise_ratio 0.3, 6 QA a persona; narratives,
# preference pairs and community QA off, as they do not touch the QA):
# tests/integration/qa_stats.py prints QA per type and difficulty, the
# distinct Basic information templates after masking (bar 81), the
# fewest paraphrases per attribute (bar 5) and the QA whose cited
# sessions do not hold the planted fact (bar 0); then the PersonaBench
# export of the same dataset passes the authors' loading and
# ground-truth retrieval (tests/integration/personabench_check.py). The
# seed is fixed: the same figures every run.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-qa.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
numpy_python
tap_plan 3

cat >"$T/qa.json" <<JSON
{"name": "qa10k", "seed": 42,
 "stages": {"narrative": {"enabled": false},
  "documents": {"per_persona": 10, "noise_ratio": 0.3,
   "types": ["conversation", "user_ai", "purchase"]},
  "world": {"contacts_min": 5, "contacts_max": 15, "community_size": 10},
  "qa": {"per_persona": 6}, "preferences": {"per_persona": 0}}}
JSON
if "$pf" build "$T/qa.json" -o "$T/qa.db" --personas 10000 \
	--backend offline >"$T/build.out" 2>&1 &&
	"$pf" export "$T/qa.db" --format jsonl -o "$T/jsonl" -q; then
	tap_pass "a 10,000-persona offline build with 6 QA a persona exports"
else
	tap_fail "the build or export fails" "$(tail -3 "$T/build.out")"
fi
tap_check "four types, >= 81 Basic templates, >= 5 paraphrases, every cited session holds its fact" \
	"$py" "$src/tests/integration/qa_stats.py" "$T/jsonl"
sed "s/^/# /" "$T/check.out"
"$pf" export "$T/qa.db" --format personabench -o "$T/pb" 2>"$T/pb.err"
sed "s/^/# /" "$T/pb.err"
tap_check "the PersonaBench export loads and its gt-context retrieval finds every evidence segment" \
	"$py" "$src/tests/integration/personabench_check.py" "$T/pb"
sed "s/^/# /" "$T/check.out"
tap_end
