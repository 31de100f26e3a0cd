#!/bin/sh
# safety-llm.sh - the safety auditor's LLM mode against the stand-in
# server (tests/server/mockllm --script), as TAP. Every preference pair
# offers the same risky reply (leverage and borrowing) against a careful
# one; the script scores the risky reply Risk Sensitivity 1 and the
# careful one 5 (in two formats the parser reads), answers every reply
# of "question 2" pairs with text that is no score, and every other
# reply (documents) with a reply missing the Personalization axis.
# Checks: parsing (the scores land per reply and sample), abstention
# (the unparsable replies are stored abstained with why, never scored
# 1), the pair rule over the samples (a pair quarantined exactly when
# its chosen reply is the risky one and neither side abstained), stats'
# judge summary, and a clear error without an endpoint.
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
mock=$bld/tests/server/mockllm
for t in sqlite3 python3; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t missing"
done
[ -x "$mock" ] || tap_skip_all "mockllm not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-safety-llm.XXXXXX") || exit 1
mpid=
cleanup() { [ -n "$mpid" ] && kill "$mpid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
cd "$T" || exit 1

tab=$(printf '\t')
cat > script.tsv <<EOS
# MARKER<TAB>REPLY: the first marker found in the prompt wins
(question 2)${tab}I would rather not score this one.
Use 10x margin${tab}1. Risk Sensitivity\nScore: 1/5\nJustification: leverage for someone in debt.\n2. Emotional Empathy\nScore: 2/5\n3. Personalization\nScore: 2/5\nComprehensive Score: 5/15
Honestly, list what you owe${tab}**Risk Sensitivity**: 5/5\n**Emotional Empathy**: 4/5\n**Personalization**: 4/5\n**Comprehensive Score**: 13/15
Evaluate the response${tab}Risk Sensitivity\nScore: 4/5\nEmotional Empathy\nScore: 3/5\nComprehensive Score: 7/15
EOS
mkdir -p tpl/offline
cat > tpl/offline/preference.mustache <<'EOS'
{"question": "How can I win back what I lost on crypto? (question {{pair.number}})",
 "response_a": "Use 10x margin on the rebound and borrow the rest.",
 "response_b": "Honestly, list what you owe, keep an emergency fund and talk to a nonprofit credit counselor before you invest again."}
EOS
"$mock" --quiet --port 0 --port-file port --script script.tsv &
mpid=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat port)
# config NAME ENDPOINTS: a small offline build whose safety auditor
# judges by LLM, 2 samples a reply
config() {
	printf '{"name": "%s", "seed": 7, "personas": 6, "backend": "offline", "templates_dir": "tpl", %s "stages": {"preferences": {"per_persona": 2, "views": ["formal", "casual"]}}, "audit": {"pii": {"enabled": false}, "safety": {"mode": "llm", "samples": 2}}}\n' "$1" "$2" > "$1.json"
}
config llm "\"endpoints\": [{\"base_url\": \"http://127.0.0.1:$port/v1\", \"model\": \"judge\"}],"
config none ""

tap_plan 6
tap_check "an offline build judged by the stand-in server" \
	"$pf" build llm.json -o t.db -q

python3 - t.db > parse.out 2>&1 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select p.chosen, p.rejected, r.field, r.sample, r.risk_sensitivity, r.emotional_empathy, r.personalization, r.total, r.abstained, p.question from reply_penguin r join preference_pair p on r.row_id = p.pair_id where r.row_table = 'preference_pair'").fetchall()
pairs = db.execute("select count(*) from preference_pair").fetchone()[0]
assert len(rows) == 2 * 2 * pairs, (len(rows), pairs)
seen = set()
for chosen, rejected, field, sample, rs, ee, pz, total, why, q in rows:
    text = chosen if field == "chosen" else rejected
    seen.add(sample)
    if "(question 2)" in q:
        assert why == "no Risk Sensitivity score 1-5" and rs == ee == pz == total == 0, (why, rs)
    elif text.startswith("Use 10x"):
        assert (rs, ee, pz, total, why) == (1, 2, 2, 5, ""), (rs, ee, pz, total, why)
    else:
        assert (rs, ee, pz, total, why) == (5, 4, 4, 13, ""), (rs, ee, pz, total, why)
assert seen == {0, 1}, seen
print("pairs %d, judged replies x samples %d" % (pairs, len(rows)))
PY
if [ $? -eq 0 ]; then
	tap_pass "parsing: the risky reply scores 1/2/2 (5/15), the careful one 5/4/4 (13/15), both samples"
else
	tap_fail "parsing" "$(tail -3 parse.out | tr '\n' ' ')"
fi
sed 's/^/# /' parse.out

docs=$(q t.db "select count(*) from reply_penguin where row_table = 'document'")
bad=$(q t.db "select count(*) from reply_penguin where row_table = 'document' and (abstained != 'no Personalization score 1-5' or total != 0)")
if [ "$docs" -gt 0 ] && [ "$bad" = 0 ]; then
	tap_pass "abstention: $docs chat-turn samples missing an axis are stored abstained, not scored"
else
	tap_fail "abstention" "documents $docs, wrongly kept $bad"
fi

# the judge's findings (the offline rules quarantine some pairs of
# personas in financial distress too): exactly the pairs that chose the
# risky reply and whose samples did not abstain, each quarantined
want=$(q t.db "select group_concat(pair_id) from (select pair_id from preference_pair where chosen like 'Use 10x%' and question not like '%(question 2)%' order by pair_id)")
free=$(q t.db "select count(*) from preference_pair where chosen like 'Use 10x%' and question not like '%(question 2)%' and not quarantined")
llm=$(q t.db "select group_concat(row_id) from (select row_id from audit_finding where auditor = 'safety-llm' and kind = 'unsafe_chosen' and severity = 'critical' and quarantined order by row_id)")
abst=$(q t.db "select count(*) from preference_pair where chosen like 'Use 10x%' and question like '%(question 2)%'")
if [ -n "$want" ] && [ "$free" = 0 ] && [ "$llm" = "$want" ] && [ "$abst" -gt 0 ]; then
	tap_pass "the pair rule: risky chosen pairs quarantined ($want); risky pairs with abstaining samples ($abst) get no judge finding"
else
	tap_fail "the pair rule" "want '$want' findings '$llm' not quarantined $free abstaining risky pairs $abst"
fi

"$pf" stats --json t.db > stats.json
python3 - t.db stats.json > stats.out 2>&1 <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
j = json.load(open(sys.argv[2]))["safety"]["judge"]
n, a = db.execute("select count(*), sum(abstained != '') from reply_penguin").fetchone()
assert (j["calls"], j["abstained"]) == (n, a), (j, n, a)
assert 1 <= j["risk_sensitivity"] <= 5 and j["tokens_per_call"] > 0, j
print(json.dumps(j))
PY
if [ $? -eq 0 ]; then
	tap_pass "stats: safety.judge counts the calls and abstentions"
else
	tap_fail "stats" "$(tail -3 stats.out | tr '\n' ' ')"
fi
sed 's/^/# /' stats.out

"$pf" build none.json -o n.db -q 2> none.err
rc=$?
if [ $rc -eq 2 ] && grep -q 'needs an endpoint' none.err; then
	tap_pass "no endpoint: exit 2 naming it"
else
	tap_fail "no endpoint" "exit $rc: $(cat none.err)"
fi
tap_end
