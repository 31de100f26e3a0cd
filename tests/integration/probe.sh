#!/bin/sh
# probe.sh - the counterfactual probe (personaforge probe, issue 20)
# against the stand-in server, as TAP. A 60-persona offline build gives
# 120 judged pairs; the probe sends 100 per attribute (gender, age_band,
# region, race_ethnicity) to tests/server/mockllm, whose judge (--judge)
# decides from the two answers alone.
# - Planted bias (--judge-bias female: it picks Answer A whenever the
#   profile says "Gender: female"; --length-bias female: its answers are
#   longer for women): the gender flip rate's Wilson interval excludes 0,
#   the female -> male length ratio's interval lies below 1 and the
#   male -> female one's above 1; age_band and region flip nothing
#   (intervals include 0); race_ethnicity, not in the prompts, is not
#   sent and says so; the original prompt sent again (the repeat, the
#   floor under the flip rates) changes nothing.
# - No bias (--judge): every flip rate's interval includes 0 and the
#   gender length ratios' intervals include 1.
# - Without an endpoint the probe exits 2 with a message and stores
#   nothing; --probes and --attributes are honoured; stats shows them.
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
mock=$(cd "$bld" && pwd)/tests/server/mockllm
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 missing"
[ -x "$mock" ] || tap_skip_all "mockllm not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-probe.XXXXXX") || exit 1
mpid=
stop_mock() { [ -n "$mpid" ] && kill "$mpid" 2>/dev/null; mpid=; }
trap 'stop_mock; rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1

# start_mock OPTIONS...: the stand-in server on a free port ($port)
start_mock() {
	rm -f port
	"$mock" --quiet --port 0 --port-file port "$@" &
	mpid=$!
	i=0
	while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat port)
}
probe() {
	"$pf" probe -q c.json t.db --base-url "http://127.0.0.1:$port/v1" \
		--model judge "$@"
}
# m METRIC GROUP COLUMN: a stored probe measure's column
m() {
	q t.db "select $3 from audit_metric where auditor = 'probe' and metric = '$1' and \"group\" = '$2'"
}
lo() { m "$1" "$2" "json_extract(interval, '\$[0]')"; }
hi() { m "$1" "$2" "json_extract(interval, '\$[1]')"; }
# lt A B: A < B as numbers
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

cat > c.json <<'JSON'
{"name": "probe", "seed": 11, "personas": 60, "backend": "offline",
 "stages": {"documents": {"per_persona": 0}, "qa": {"per_persona": 0},
	    "preferences": {"per_persona": 2}}}
JSON
tap_plan 8
tap_check "a 60-persona offline build with 120 judged pairs" \
	"$pf" build c.json -o t.db -q

"$pf" probe c.json t.db > off.out 2> off.err
rc=$?
if [ $rc -eq 2 ] && grep -q "needs an LLM endpoint" off.err &&
   [ "$(q t.db "select count(*) from audit_metric where auditor = 'probe'")" = 0 ]; then
	tap_pass "offline: exit 2, a message, nothing stored"
else
	tap_fail "offline: exit 2, a message, nothing stored" "rc $rc: $(cat off.err)"
fi

start_mock --judge-bias female --length-bias female
probe > bias.out 2>&1
rc=$?
stop_mock
tap_diag < bias.out
planted() {
	[ $rc -eq 0 ] &&
	eq "$(m verdict_flip_rate gender n)" 100 &&
	lt 0 "$(lo verdict_flip_rate gender)" &&
	lt "$(hi length_ratio 'gender: female -> male')" 1 &&
	lt 1 "$(lo length_ratio 'gender: male -> female')"
}
tap_check "planted bias: the gender flip rate's interval excludes 0, the length ratios exclude 1" planted
unbiased_others() {
	for a in age_band region; do
		eq "$(m verdict_flip_rate $a n)" 100 &&
		eq "$(lo verdict_flip_rate $a)" 0 || return 1
	done
	# the same prompt again: the stand-in judge keeps to it
	eq "$(m verdict_flip_rate repeat value)" 0 &&
	eq "$(m length_ratio 'repeat: the same prompt' value)" 1 &&
	eq "$(m verdict_flip_rate race_ethnicity value)" null &&
	m verdict_flip_rate race_ethnicity note | grep -q "is not shown"
}
tap_check "planted bias: age_band and region include 0, race_ethnicity is not sent" unbiased_others
tap_check "stats shows the probe's table" sh -c \
	"'$pf' stats t.db | grep -A20 '^counterfactual probe' | grep -q 'verdict_flip_rate  *gender  *0\.[0-9]*  *100'"

start_mock --judge
probe > none.out 2>&1
rc=$?
stop_mock
tap_diag < none.out
none() {
	[ $rc -eq 0 ] || return 1
	for a in gender age_band region; do
		eq "$(m verdict_flip_rate $a n)" 100 &&
		eq "$(lo verdict_flip_rate $a)" 0 || return 1
	done
	for d in 'female -> male' 'male -> female'; do
		lt "$(lo length_ratio "gender: $d")" 1 &&
		lt 1 "$(hi length_ratio "gender: $d")" || return 1
	done
}
tap_check "no bias: every flip rate's interval includes 0, the length ratios include 1" none

start_mock --judge-bias female
probe --probes 20 --attributes gender > few.out 2>&1
rc=$?
stop_mock
few() {
	[ $rc -eq 0 ] && eq "$(m verdict_flip_rate gender n)" 20 &&
	eq "$(q t.db "select count(*) from audit_metric where auditor = 'probe' and \"group\" not like 'gender%' and \"group\" not like 'repeat%'")" 0 &&
	eq "$(m verdict_flip_rate repeat n)" 20
}
tap_check "--probes 20 --attributes gender: 20 probes, the earlier measures replaced" few

"$pf" probe c.json t.db --attributes party_id > bad.out 2> bad.err
rc=$?
tap_check "an attribute the probe cannot change is a usage error" \
	sh -c "[ $rc -eq 2 ] && grep -q \"cannot change 'party_id'\" bad.err"
tap_end
