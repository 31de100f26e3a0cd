#!/bin/sh
# cqafile.sh - cqa questions from a JSONL file ($.stages.cqa.questions_file):
# an offline build answers exactly the file's personalised questions with
# top-5 tags from the asker's earlier questions in the file; the same
# questions under SE-PQA's query field names (user_id, text, the
# community in the id, their other fields) give the same rows; a file
# with too few questions for the personas is refused (exit 2); the sepqa
# export of the build reads as the authors' code reads it.
. "${top_srcdir:-.}/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-cqafile.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 7
Q="$src/tests/data/cqa-questions.jsonl"
cp "$Q" "$T/q.jsonl"
# config NAME FILE PERSONAS: a config reading FILE (relative to it)
config() {
	cat >"$T/$1.json" <<JSON
{"name": "$1", "seed": 5, "personas": $3, "backend": "offline",
 "stages": {"cqa": {"questions": 2, "questions_file": "$2"},
	    "preferences": {"per_persona": 0}}}
JSON
}
config ours q.jsonl 4
tap_check "a 4-persona build answers the file's questions" \
	"$pf" build "$T/ours.json" -o "$T/ours.db" -q
tap_check "the JSONL export" "$pf" export "$T/ours.db" --format jsonl \
	-o "$T/j" -q
tap_check "rows hold to the file: its personalised questions, once, no leak" \
	python3 "$src/tests/integration/cqafile_check.py" "$T/q.jsonl" \
	"$T/j/cqa.jsonl" 5
python3 - "$T/q.jsonl" "$T/sepqa.jsonl" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    q = json.loads(line)
    out.write(json.dumps({"id": q["id"], "text": q["title"] + " " + q["body"],
                          "title": q["title"], "timestamp": q["timestamp"],
                          "score": 2, "views": 40, "favorite": 0,
                          "user_id": q["asker"], "user_questions": [],
                          "user_answers": [], "tags": q["tags"],
                          "rel_ids": [], "rel_scores": [],
                          "rel_timestamps": [], "best_answer": ""}) + "\n")
PY
config sepqa sepqa.jsonl 4
tap_check "SE-PQA's query field names give the same cqa rows" \
	sh -c '"$1" build "$2/sepqa.json" -o "$2/sepqa.db" -q &&
	       "$1" export "$2/sepqa.db" --format jsonl -o "$2/js" -q &&
	       cmp "$2/j/cqa.jsonl" "$2/js/cqa.jsonl"' sh "$pf" "$T"
config many q.jsonl 5
"$pf" build "$T/many.json" -o "$T/many.db" -q 2>"$T/many.err"
rc=$?
grep -q "8 of its 28 questions have an asker with 5 earlier ones; 5 personas x 2 questions need 10" "$T/many.err"
tap_rc $? "too few questions for 5 personas: named ($(head -c 160 "$T/many.err"))"
[ "$rc" = 2 ] && [ ! -e "$T/many.db" ]
tap_rc $? "exit 2 and nothing written (exit $rc)"
tap_check "the sepqa export reads as the authors' join and loader read it" \
	sh -c '"$1" export "$2/ours.db" --format sepqa -o "$2/s" -q &&
	       python3 "$3/tests/integration/sepqa_read.py" "$2/s"' \
	sh "$pf" "$T" "$src"
tap_end
