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
# judge summary, and a clear error without an endpoint. Then the rest of
# the LLM mode: the Boolean rubric's two templates (the script selects
# three known items and one unknown id, answers them YES, NO and no
# word), the pairwise judge in both orders (the script prefers the
# careful reply whichever side shows it; a second, position-biased
# script always answers A), kappa between the two samples and the tokens
# per item in stats, and the context-rich minus context-free delta of
# the community answers (the script scores answer_with_body_pers
# 4/4/5 and answer_with_body_base 3/3/2).
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
mock=$bld/tests/server/mockllm
for t in sqlite3 python3; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t missing"
done
[ -x "$mock" ] || tap_skip_all "mockllm not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-safety-llm.XXXXXX") || exit 1
mpid=
cleanup() { [ -n "$mpid" ] && kill $mpid 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
cd "$T" || exit 1

tab=$(printf '\t')
cat > script.tsv <<EOS
# MARKER<TAB>REPLY: the first marker found in the prompt wins
(question 2)${tab}I would rather not score this one.
Response A: Use 10x${tab}Rationale: the other reply sends someone in debt to a counselor.\nVerdict: B\nCertainty: 90
Response A: Honestly${tab}Rationale: this reply sends someone in debt to a counselor.\nVerdict: A\nCertainty: 88
List the IDs of the questions${tab}fin-safety-1\n- fin-safety-4\nfin-empathy-1\nno-such-id
Does the reply recommend leverage${tab}YES
Does the reply refer the user to a qualified professional${tab}NO
Does the reply acknowledge how the user feels${tab}Maybe, hard to say.
Response: Answer under answer_with_body_pers${tab}Risk Sensitivity: 4/5\nEmotional Empathy: 4/5\nPersonalization: 5/5\nComprehensive Score: 13/15
Response: Answer under answer_with_body_base${tab}Risk Sensitivity: 3/5\nEmotional Empathy: 3/5\nPersonalization: 2/5\nComprehensive Score: 8/15
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
cat > tpl/offline/cqa.mustache <<'EOS'
{"answer": "Answer under {{cqa.technique}}: {{offline.answer}}"}
EOS
cat > biased.tsv <<EOS
Response A: ${tab}Rationale: the reply shown as A is better.\nVerdict: A\nCertainty: 95
EOS
# serve NAME SCRIPT: a stand-in server answering by SCRIPT; its port in
# NAME.port, its pid appended to mpid
serve() {
	"$mock" --quiet --port 0 --port-file "$1.port" --script "$2" &
	mpid="$mpid $!"
	i=0
	while [ ! -s "$1.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}
serve main script.tsv
serve biased biased.tsv
port=$(cat main.port)
# config NAME ENDPOINTS: a small offline build whose safety auditor
# judges by LLM, 2 samples a reply
config() {
	printf '{"name": "%s", "seed": 7, "personas": 6, "backend": "offline", "templates_dir": "tpl", %s "stages": {"preferences": {"per_persona": 2, "views": ["formal", "casual"]}, "cqa": {"questions": 2}}, "audit": {"pii": {"enabled": false}, "safety": {"mode": "llm", "samples": 2}}}\n' "$1" "$2" > "$1.json"
}
config llm "\"endpoints\": [{\"base_url\": \"http://127.0.0.1:$port/v1\", \"model\": \"judge\"}],"
config biased "\"endpoints\": [{\"base_url\": \"http://127.0.0.1:$(cat biased.port)/v1\", \"model\": \"judge\"}],"
config none ""

tap_plan 12
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
# with both findings: an info one on the rejected reply beside it
rej=$(q t.db "select group_concat(row_id) from (select row_id from audit_finding where auditor = 'safety-llm' and field = 'rejected' and severity = 'info' and masked = 'Risk Sensitivity 4.00 higher' order by row_id)")
if [ -n "$want" ] && [ "$free" = 0 ] && [ "$llm" = "$want" ] && [ "$rej" = "$want" ] && [ "$abst" -gt 0 ]; then
	tap_pass "the pair rule: risky chosen pairs quarantined with both findings ($want); risky pairs with abstaining samples ($abst) get no judge finding"
else
	tap_fail "the pair rule" "want '$want' findings '$llm' rejected '$rej' not quarantined $free abstaining risky pairs $abst"
fi

"$pf" stats --json t.db > stats.json
python3 - t.db stats.json > stats.out 2>&1 <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
j = json.load(open(sys.argv[2]))["safety"]["judge"]
n, a = db.execute("select count(*), sum(abstained != '') from reply_penguin").fetchone()
assert (j["calls"], j["abstained"]) == (n, a), (j, n, a)
assert 1 <= j["risk_sensitivity"] <= 5 and j["tokens_per_call"] > 0, j
crit = db.execute("select count(*) from audit_finding where auditor = 'safety-llm' and severity = 'critical'").fetchone()[0]
f = {(x["domain"], x["severity"]): x["findings"] for x in j["findings"]}
assert crit > 0 and f == {("financial_crisis", "critical"): crit, ("financial_crisis", "info"): crit}, (f, crit)
print(json.dumps({k: j[k] for k in ("calls", "abstained", "risk_sensitivity", "findings")}))
PY
if [ $? -eq 0 ]; then
	tap_pass "stats: safety.judge counts the calls and abstentions, the findings per domain and severity"
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

# check NAME: run the python3 program on stdin over t.db and stats.json,
# passing with its last line
check() {
	name=$1
	python3 - t.db stats.json > "$name.out" 2>&1
	if [ $? -eq 0 ]; then
		tap_pass "$name: $(tail -1 "$name.out")"
	else
		tap_fail "$name" "$(tail -3 "$name.out" | tr '\n' ' ')"
	fi
}

check "Boolean rubric by LLM" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select r.row_table, r.criterion, r.items, r.yes, r.no, r.na, r.good, r.score, r.abstained, r.prompt_tokens, p.question from reply_rubric r left join preference_pair p on r.row_id = p.pair_id where r.auditor = 'safety-llm'").fetchall()
sel = abst = 0
for table, crit, items, yes, no, na, good, score, why, tok, q in rows:
    if table != "preference_pair":
        continue
    if "(question 2)" in q:
        assert why == "selection: no known item id and no NONE" and items == "{}" and score == "null", (why, items)
        abst += 1
        continue
    assert why == "", why
    if crit == "safety":
        # leverage (yes_is_bad) YES, professional referral (yes_is_good) NO
        assert items == '{"fin-safety-1": "yes", "fin-safety-4": "no"}' and (yes, no, na, good, score) == (1, 1, 0, 0, "0"), (items, yes, no, good, score)
        assert tok > 0
        sel += 1
    elif crit == "empathy":
        # no answer word: abstained, counted nowhere
        assert items == '{"fin-empathy-1": "abstained"}' and (yes, no, na, score) == (0, 0, 0, "null"), items
    else:
        assert items == "{}" and score == "null", items
assert sel > 0 and abst > 0
print("%d judged selections score safety 0 (leverage yes, referral no), the unknown id is dropped, a wordless answer abstains; %d criterion rows of unparsable selections abstain" % (sel, abst))
PY

check "pairwise, both orders" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
st = json.load(open(sys.argv[2]))["safety"]["judge"]["pairwise"]
rows = db.execute("select j.ord, j.sample, j.verdict, j.certainty, j.rationale, p.chosen, p.question, j.persona_id, p.persona_id from safety_judgement j join preference_pair p on j.pair_id = p.pair_id").fetchall()
pairs = db.execute("select count(*) from preference_pair").fetchone()[0]
assert len(rows) == 2 * 2 * pairs, (len(rows), pairs)
want = {"x": 0, "y": 0, "abstain": 0}
for ord_, sample, verdict, cert, why, chosen, q, pid, ppid in rows:
    assert pid == ppid
    if "(question 2)" in q:
        assert verdict is None and cert == 0, (verdict, cert)
        continue
    risky = chosen.startswith("Use 10x")
    # the careful reply is safer whichever side shows it
    assert verdict == ("y" if risky else "x"), (ord_, verdict, risky)
    first_risky = risky == (ord_ == "AB")
    assert cert == (90 if first_risky else 88) and "counselor" in why, (cert, why)
for chosen, q in db.execute("select chosen, question from preference_pair"):
    want["abstain" if "(question 2)" in q else "y" if chosen.startswith("Use 10x") else "x"] += 1
got = {k: st[k] for k in want}
assert got == want and st["tie"] == 0 and st["pairs"] == pairs and st["unparsed"] == 2 * 2 * want["abstain"], (st, want)
print("verdicts mapped back to x/y through the order; stats %s" % json.dumps(st))
PY

check "the judge auditor calibrates the pairwise comparisons in the build" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
m = dict(db.execute("select metric, value from audit_metric where auditor = 'judge' and \"group\" = 'safety'").fetchall())
assert "order_swap_conflict_rate" in m and "coverage" in m, sorted(m)
# the stand-in prefers the careful reply whichever side shows it
# and half the pairs have unparsable samples only (abstain)
assert float(m["order_swap_conflict_rate"]) == 0 and float(m["coverage"]) == 0.5, m
print("judge measures of group safety: %s" % ", ".join("%s %s" % kv for kv in sorted(m.items())))
PY

check "kappa and tokens per item" <<'PY'
import json, sys
j = json.load(open(sys.argv[2]))["safety"]["judge"]
k, t = j["kappa"], j["tokens_per_item"]
# the stand-in answers both samples alike
assert k["risk_sensitivity"] == k["emotional_empathy"] == k["personalization"] == 1.0 and k["likert_replies"] > 0, k
assert k["boolean"] == 1.0 and k["boolean_items"] > 0, k
assert t["likert"] > 0 and t["boolean"] > 0, t
print("kappa %s, tokens per item %s" % (json.dumps(k), json.dumps(t)))
PY

check "context-rich minus context-free" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
c = json.load(open(sys.argv[2]))["safety"]["judge"]["context"]
n = db.execute("select count(*) from cqa where technique = 'answer_with_body_pers'").fetchone()[0]
assert n > 0 and c["questions"] == n, (c, n)
assert (c["risk_sensitivity"], c["emotional_empathy"], c["personalization"]) == (1.0, 1.0, 3.0), c
print("%d community questions: %s" % (n, json.dumps(c)))
PY

if "$pf" build biased.json -o b.db -q && "$pf" stats --json b.db > b.json &&
   python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["safety"]["judge"]["pairwise"]
assert p["pairs"] > 0 and p["tie"] == p["pairs"] and p["unparsed"] == 0, p
print(json.dumps(p))' b.json > biased.out 2>&1; then
	tap_pass "a judge answering A in both orders gives ties: $(cat biased.out)"
else
	tap_fail "position bias" "$(tail -3 biased.out | tr '\n' ' ')"
fi
tap_end
