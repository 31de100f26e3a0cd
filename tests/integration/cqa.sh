#!/bin/sh
# cqa.sh - community QA (Sy-SE-PQA) end to end, offline: a 50-persona
# build with the cqa stage; its rows pass the leak check (no top-5 tag
# from a later question) and the feature checks; `export --format sepqa`
# is read back the way the authors' join and training loader read it,
# and is byte-identical when run twice.
. "${top_srcdir:-.}/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-cqa.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 5
cat >"$T/c.json" <<'JSON'
{"name": "cqa", "seed": 11, "personas": 50, "backend": "offline",
 "stages": {"cqa": {"questions": 3},
	    "preferences": {"per_persona": 2}}}
JSON
tap_check "a 50-persona offline build with cqa" \
	"$pf" build "$T/c.json" -o "$T/c.db" -q
tap_check "the JSONL export" "$pf" export "$T/c.db" --format jsonl \
	-o "$T/j" -q
tap_check "cqa rows: no leak, features hold" \
	python3 "$src/tests/integration/cqa_check.py" "$T/j/cqa.jsonl"
tap_check "the sepqa export reads as the authors' join and loader read it" \
	sh -c '"$1" export "$2" --format sepqa -o "$3/s1" -q &&
	       python3 "$4/tests/integration/sepqa_read.py" "$3/s1"' \
	sh "$pf" "$T/c.db" "$T" "$src"
tap_check "the sepqa export is the same bytes twice" \
	sh -c '"$1" export "$2" --format sepqa -o "$3/s2" -q &&
	       diff -r "$3/s1" "$3/s2"' sh "$pf" "$T/c.db" "$T"
tap_end
