#!/bin/sh
# safety-rubric.sh - the offline Precise Boolean rubric scores of a
# 1,000-persona build (examples/demo.json), printed, and of the same
# build whose preference replies are swapped for a risky one (leverage
# and borrowing) against a careful one (as in tests/cli/build-safety-
# quarantine.test), and of one where both replies are careful ones.
# Checks: every reply of every pair, every community answer and every
# assistant turn of a chat document is scored or counted unscored; the
# counts add up (good <= yes + no, scores in [0, 1]); stats' safety
# findings match the audit_finding table; the risky build scores lower
# on safety than the careful one and quarantines only pairs that chose
# the risky reply.
. "${top_srcdir:-.}/tests/integration/lib.sh"
for t in sqlite3 python3; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t missing"
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-safety.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

careful="I'm sorry, losses like that hurt. List what you owe, keep an emergency fund and talk to a nonprofit credit counselor before you invest again."
for b in risky careful; do
	mkdir -p "$T/$b/offline"
	printf '{"name": "%s", "seed": 42, "personas": 1000, "backend": "offline", "templates_dir": "%s", "stages": {"preferences": {"per_persona": 2, "views": ["formal", "casual"]}}, "audit": {"pii": {"enabled": false}}}\n' \
		"$b" "$b" > "$T/$b.json"
done
printf '{"question": "How can I win back what I lost on crypto? (question {{pair.number}})", "response_a": "%s", "response_b": "%s"}\n' \
	"Use 10x margin on the rebound and borrow the rest." "$careful" \
	> "$T/risky/offline/preference.mustache"
printf '{"question": "How can I win back what I lost on crypto? (question {{pair.number}})", "response_a": "%s", "response_b": "%s"}\n' \
	"$careful" "$careful Take it one step at a time." \
	> "$T/careful/offline/preference.mustache"

tap_plan 5
tap_check "a 1,000-persona demo build" "$pf" build "$src/examples/demo.json" \
	--personas 1000 -o "$T/demo.db" -q
tap_check "the same with risky preference replies" "$pf" build \
	"$T/risky.json" -o "$T/risky.db" -q
tap_check "the same with careful preference replies" "$pf" build \
	"$T/careful.json" -o "$T/careful.db" -q

# Print one build's rubric; fail when its counts do not add up.
rubric() {
	"$pf" stats --json "$1.db" > "$1.json" &&
	python3 - "$1" <<'PY'
import json, sqlite3, sys
name = sys.argv[1]
d = json.load(open(name + ".json"))
db = sqlite3.connect(name + ".db")
s = d["safety"]
r = s["rubric"]
pairs = db.execute("select count(*) from preference_pair").fetchone()[0]
turns = sum(c.count("\nAssistant:") + c.startswith("Assistant:")
            for (c,) in db.execute("select content from document"))
answers = db.execute("select count(*) from cqa").fetchone()[0]
assert r["replies"] == 2 * pairs + turns + answers, (r["replies"], pairs,
                                                     turns, answers)
for c in ("safety", "personalization", "empathy"):
    x = r[c]
    assert 0 <= x["good"] <= x["yes"] + x["no"], x
    assert 0 <= x["scored"] <= r["replies"], x
    assert x["score"] is None or 0 <= x["score"] <= 1, x
    print("%s: %-15s score %s  yes %d  no %d  na %d  (%d of %d replies "
          "in a PENGUIN domain)" % (name.split("/")[-1], c, x["score"],
          x["yes"], x["no"], x["na"], x["scored"], r["replies"]))
got = sorted((f["domain"], f["severity"], f["findings"]) for f in s["findings"])
want = sorted(db.execute("select kind, severity, sum(count) from audit_finding"
                         " where auditor = 'safety' group by 1, 2").fetchall())
assert got == [tuple(w) for w in want], (got, want)
for f in got:
    print("%s: findings %-22s %-8s %d" % (name.split("/")[-1], *f))
PY
}
if rubric "$T/demo" > "$T/demo.out" 2>&1 &&
   rubric "$T/risky" > "$T/risky.out" 2>&1 &&
   rubric "$T/careful" > "$T/careful.out" 2>&1; then
	tap_pass "the rubric counts add up and match the findings"
else
	tap_fail "rubric counts" "$(cat "$T"/*.out | tail -5 | tr '\n' ' ')"
fi
sed 's/^/# /' "$T/demo.out" "$T/risky.out" "$T/careful.out"
python3 - "$T" <<'PY' > "$T/cmp" 2>&1
import json, sqlite3, sys
t = sys.argv[1]
a = json.load(open(t + "/careful.json"))["safety"]["rubric"]["safety"]["score"]
b = json.load(open(t + "/risky.json"))["safety"]["rubric"]["safety"]["score"]
db = sqlite3.connect(t + "/risky.db")
bad = db.execute("select count(*) from preference_pair where quarantined and"
                 " chosen not like 'Use 10x margin%'").fetchone()[0]
q = db.execute("select count(*) from preference_pair where quarantined").fetchone()[0]
print("safety score: careful %s, risky %s; risky pairs quarantined %d" % (a, b, q))
assert b is not None and a is not None and b < a and q > 0 and bad == 0
PY
if [ $? -eq 0 ]; then
	tap_pass "risky replies score lower on safety; only risky chosen replies are quarantined"
else
	tap_fail "risky build" "$(cat "$T/cmp" | tail -3 | tr '\n' ' ')"
fi
sed 's/^/# /' "$T/cmp"
tap_end
