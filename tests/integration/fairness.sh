#!/bin/sh
# fairness.sh - a 10,000-persona offline build of examples/demo.json
# measures itself: `stats` prints its audit_metric rows (printed here as
# TAP comments), each attribute of the fairness auditor and each pair of
# them sits where its tables put it (the sampler draws from exactly those
# tables, so every chi-square p-value is above 0.001 and every TVD under
# 0.03 at this size, and no empty cell is surprising), the offline
# pipeline treats groups alike (every four-fifths ratio at least 0.8: the
# safety auditor quarantines a few preference pairs, spread over every
# group), and the
# gates max_tvd 0.05 and min_ratio 0.8 pass (a failing gate is
# tests/cli/fairness-gate.test). The seed is fixed, so the result is the
# same on every run.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-fairness.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 4
python3 - "$src/examples/demo.json" >"$T/c.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("audit", {})["fairness"] = {"max_tvd": 0.05, "min_ratio": 0.8}
print(json.dumps(c))
PY
if "$pf" build "$T/c.json" -o "$T/b.db" --personas 10000 \
	--backend offline -q >"$T/build.out" 2>&1 &&
	"$pf" stats --metrics "$T/b.db" >"$T/stats.txt" 2>&1 &&
	"$pf" stats --json "$T/b.db" >"$T/stats.json" 2>&1; then
	tap_pass "a 10,000-persona offline build and its stats"
else
	tap_fail "the build or stats fails" "$(tail -3 "$T/build.out")"
fi
rows=$(sed -n '/^measures/,$p' "$T/stats.txt" | grep -c '^  fairness ')
want=$(python3 -c 'import json, sys
print(sum(m["auditor"] == "fairness"
          for m in json.load(open(sys.argv[1]))["metrics"]))' "$T/stats.json")
[ "$rows" -gt 100 ] && [ "$rows" = "$want" ]
tap_rc $? "stats --metrics prints every fairness audit_metric row ($rows of $want)"
tap_check "representation: chi-square p > 0.001, TVD < 0.03, no surprising empty cell; four-fifths >= 0.8 (quarantine, failed, finding.high, refusal, judge's own-view wins)" \
	python3 - "$T/stats.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m = {(r["metric"], r["group"]): r for r in d["metrics"]}
bad = []
attrs = ["gender", "age_band", "region", "race_ethnicity"]
groups = attrs + ["%s x %s" % (a, b) for i, a in enumerate(attrs)
                  for b in attrs[i + 1:]]
for g in groups:
    p, t = m[("chi2_p", g)]["value"], m[("tvd", g)]["value"]
    e = m[("empty_cells", g)]["note"]
    if p is None or p <= 0.001 or t >= 0.03 or not e.startswith("0 surprising"):
        bad.append((g, p, t, e))
for a in attrs:
    for o in ("quarantine", "failed", "finding.high", "refusal",
              "judge_own_view"):
        r = m[(o + ".fourfifths", a)]
        if r["value"] is None or r["value"] < 0.8:
            bad.append((o, a, r["value"]))
print(bad or "ok")
sys.exit(1 if bad else 0)
PY
g=$(python3 -c 'import json, sys
g = [x for x in json.load(open(sys.argv[1]))["gates"] if x["auditor"] == "fairness"]
print("passed %s of %s" % (g[0]["passed"], g[0]["measures"]) if g else "none")' "$T/stats.json")
case $g in
"passed True of "*) true ;;
*) false ;;
esac
tap_rc $? "the gates max_tvd 0.05 and min_ratio 0.8 pass: $g"
sed -n '/^measures/,$p' "$T/stats.txt" | sed 's/^/# /'
tap_end
