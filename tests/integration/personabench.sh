#!/bin/sh
# personabench.sh - the PersonaBench export of a 50-persona offline build
# (five communities, 10 sessions a persona at noise 0.3, 6 QA a persona)
# goes through the authors' own data loading and ground-truth retrieval
# (tests/integration/personabench_check.py, which follows
# scripts/evaluation/retrieval_and_generation.py of
# SalesforceAIResearch/personabench step by step): every file opens, every
# cited segment id exists and the gt-context retriever returns every
# evidence segment. Debian's python3 and numpy, no network.
. "${top_srcdir:-.}/tests/integration/lib.sh"
scratch pb
numpy_python
tap_plan 3

cat >"$T/pb.json" <<JSON
{"name": "pb50", "seed": 42,
 "stages": {"narrative": {"enabled": false},
  "documents": {"per_persona": 10, "noise_ratio": 0.3,
   "types": ["conversation", "user_ai", "purchase"]},
  "world": {"community_size": 10},
  "qa": {"per_persona": 6}, "preferences": {"per_persona": 0}}}
JSON
tap_build_export "a 50-persona build exports as PersonaBench" \
	pb "$T/pb.json" 50 personabench
tap_check "the authors' loading and gt-context retrieval accept it" \
	"$py" "$src/tests/integration/personabench_check.py" "$T/pb"
sed "s/^/# /" "$T/check.out"
# Byte-identical run to run: the same dataset, the same files.
"$pf" export "$T/pb.db" --format personabench -o "$T/pb2" -q
tap_check "the export is byte-identical run to run" diff -r "$T/pb" "$T/pb2"
tap_end
