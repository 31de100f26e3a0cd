#!/bin/sh
# nightly.sh - examples/nightly/: copies of the systemd units whose
# ExecStart is the built binary pass `systemd-analyze verify` (skipped
# where systemd-analyze cannot run), and the crontab line runs under
# cron's bare environment (env -i PATH=/usr/bin:/bin): it builds, its log
# is JSON lines ending with the exit status, and a second night resumes.
. "${top_srcdir:-.}/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
ex=$src/examples/nightly
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-nightly.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
pf_abs=$(cd "$(dirname "$pf")" && pwd)/$(basename "$pf")
mkdir "$T/units" "$T/work"

tap_plan 5

# localize FILE: the example with the built binary and the scratch dir
localize() {
	sed -e "s|/usr/local/bin/personaforge|$pf_abs|g" \
	    -e "s|/srv/personaforge|$T/work|g" "$1"
}

# systemd-analyze runs here if it accepts a trivial unit.
can_analyze() {
	command -v systemd-analyze >/dev/null 2>&1 || return 1
	printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' \
		>"$T/probe.service"
	systemd-analyze verify --man=no "$T/probe.service" >/dev/null 2>&1
}

units_verify() {
	for u in service timer; do
		localize "$ex/personaforge-nightly.$u" \
			>"$T/units/personaforge-nightly.$u" || return 1
	done
	systemd-analyze verify --man=no "$T/units/personaforge-nightly.service" \
		"$T/units/personaforge-nightly.timer"
}

# The check can fail: a unit whose ExecStart is missing is refused.
units_refuse_missing_binary() {
	sed "s|^ExecStart=[^ ]*|ExecStart=$T/no-such-binary|" \
		"$T/units/personaforge-nightly.service" >"$T/bad.service"
	! systemd-analyze verify --man=no "$T/bad.service" 2>"$T/bad.err" &&
	grep -q "no-such-binary" "$T/bad.err"
}

if can_analyze; then
	tap_check "systemd-analyze verify accepts the service and timer" \
		units_verify
	tap_check "systemd-analyze verify refuses a missing ExecStart" \
		units_refuse_missing_binary
else
	tap_skip "systemd-analyze verify" "systemd-analyze cannot run here"
	tap_skip "systemd-analyze refuses" "systemd-analyze cannot run here"
fi

# The crontab's one entry: five time fields, then the command.
entry=$(localize "$ex/crontab" | grep -v '^#' | grep -v '^ *$')
fields=$(echo "$entry" | awk '{ print $1, $2, $3, $4, $5 }')
cmd=$(echo "$entry" | cut -d' ' -f6-)
cat >"$T/work/panel.json" <<'JSON'
{"name": "nightly", "personas": 3, "seed": 7}
JSON

cron_entry() {
	[ "$(echo "$entry" | wc -l)" -eq 1 ] &&
	echo "$fields" | grep -Eq '^[0-9]+ [0-9]+ \* \* \*$' &&
	! echo "$entry" | grep -q '%'   # cron turns % into newlines
}
tap_check "the crontab holds one nightly entry, with no % in it" cron_entry

night() {
	(cd / && env -i PATH=/usr/bin:/bin sh -c "$cmd")
}

# nightlog N: the log holds only JSON lines, N runs ended with exit 0
nightlog() {
	python3 - "$T/work/nightly.log" "$1" <<'PY'
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
exits = [m["exit"] for m in msgs if "exit" in m]
assert exits == [0] * int(sys.argv[2]), exits
for m in msgs:
    assert "exit" in m or ("ts" in m and "level" in m and "msg" in m), m
print(msgs[-2]["msg"])
PY
}

first_night() {
	night && nightlog 1 && test -s "$T/work/panel.db" &&
	grep -q '78/78 done (78 sent' "$T/work/nightly.log"
}
tap_check "the crontab command builds under env -i PATH=/usr/bin:/bin" \
	first_night

second_night() {
	night && nightlog 2 &&
	grep -q 'every item was reused from the journal' "$T/work/nightly.log"
}
tap_check "the next night resumes: every item reused" second_night
tap_end
