#!/bin/sh
# fewshot.sh - `export --format fewshot` of a 50-persona offline build is
# rebuilt from its rows.jsonl, as FSPO's get_roleplay and shots_to_text
# build episodes, by tests/integration/fewshot_check.py and found
# identical to episodes.jsonl (8 shots; 8 shots with --rat; 2 shots); no
# tie or abstention is a row; the needs-human list is the top 20% by BPDE,
# and the report lists the same pairs; $.stages.preferences.human_share
# sets the share for both.
. "${top_srcdir:-.}/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-fewshot.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 8
cat >"$T/c.json" <<'JSON'
{"name": "fewshot", "seed": 23, "personas": 50, "backend": "offline",
 "stages": {"documents": {"per_persona": 0}, "qa": {"per_persona": 0},
	    "preferences": {"per_persona": 16}}}
JSON
tap_check "a 50-persona offline build with 16 pairs each" \
	"$pf" build "$T/c.json" -o "$T/c.db" -q
for v in "8" "8 --rat" "2"; do
	set -- $v
	tap_check "fewshot --shots $*: episodes rebuilt from rows.jsonl are identical" \
		sh -c '"$1" export "$2" --format fewshot -o "$3" --shots $4 $5 -q &&
		       python3 "$6/tests/integration/fewshot_check.py" "$3" $4 $5' \
		sh "$pf" "$T/c.db" "$T/f$1$2" "$1" "${2:-}" "$src"
done
rows_are_chosen() {
	eq "$(wc -l < "$T/f8/rows.jsonl" | tr -d ' ')" \
	   "$(q "$T/c.db" "select count(*) from preference_pair where label = 'chosen' and not quarantined")"
}
tap_check "rows.jsonl holds exactly the pairs labelled chosen (and not quarantined)" rows_are_chosen
human() {
	n=$(q "$T/c.db" "select count(*) from preference_pair")
	eq "$(wc -l < "$T/f8/needs_human.jsonl" | tr -d ' ')" \
	   "$(( (n * 2 + 9) / 10 ))" &&
	python3 - "$T/f8/needs_human.jsonl" "$T/c.db" <<'PY'
import json, sqlite3, sys
top = [json.loads(l) for l in open(sys.argv[1])]
db = sqlite3.connect(sys.argv[2])
rest = [float(b) for (b,) in db.execute("select bpde from preference_pair")]
rest.sort(reverse=True)
assert [t["bpde"] for t in top] == [round(b, 6) for b in rest[:len(top)]]
PY
}
tap_check "needs_human.jsonl is the top 20% by BPDE" human
# same.py HTML JSONL: the report's needs-human section lists the pairs of
# needs_human.jsonl, in its order (the first 50 of them)
cat >"$T/same.py" <<'PY'
import json, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
sec = h.split('<section id="needs-human">', 1)[1].split("</section>", 1)[0]
shown = re.findall(r"<tr><td>([^<]+)</td>", sec)
want = [json.loads(l)["pair_id"] for l in open(sys.argv[2])]
print("report lists", len(shown), "of", len(want))
sys.exit(0 if want and shown == want[:50] else 1)
PY
tap_check "the report lists the pairs of needs_human.jsonl, in its order" \
	sh -c '"$1" report "$2" -o "$3/r.html" 2>/dev/null &&
	       python3 "$4" "$3/r.html" "$3/f8/needs_human.jsonl"' \
	sh "$pf" "$T/c.db" "$T" "$T/same.py"
sed 's/"per_persona": 16}/"per_persona": 16, "human_share": 0.1}/;
     s/"personas": 50/"personas": 10/' "$T/c.json" >"$T/h.json"
share() {
	"$pf" build "$T/h.json" -o "$T/h.db" -q &&
	"$pf" export "$T/h.db" --format fewshot -o "$T/h" -q &&
	"$pf" report "$T/h.db" -o "$T/h.html" 2>/dev/null &&
	eq "$(wc -l < "$T/h/needs_human.jsonl" | tr -d ' ')" 16 &&
	python3 "$T/same.py" "$T/h.html" "$T/h/needs_human.jsonl"
}
tap_check "human_share 0.1: 16 of 160 pairs, in the export and the report" share
tap_end
