#!/bin/sh
# disk-full.sh - a build that runs out of disk exits 1 wherever it
# happens (the dataset cannot even be created, or it fills up mid-run),
# its summary counts what the journal holds, and the same command
# resumes once there is room. Needs a small tmpfs (mount, as root);
# skipped when it cannot be mounted.
. "${top_srcdir:-.}/tests/integration/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-diskfull.XXXXXX") || exit 1
mkdir "$T/m"
if ! mount -t tmpfs -o size=1m tmpfs "$T/m" 2>/dev/null; then
	rm -rf "$T"
	tap_skip_all "cannot mount a tmpfs"
fi
trap 'umount "$T/m" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1
echo '{"name": "full", "personas": 400, "seed": 7}' >c.json

tap_plan 4

fresh() {
	dd if=/dev/zero of=m/fill bs=1k count=2048 2>/dev/null
	"$pf" build c.json -o m/out.db -q 2>fresh.err
	rc=$?
	rm -f m/fill m/out.db m/out.db-wal m/out.db-shm
	eq $rc 1
}
tap_check "disk full before the dataset exists: exit 1" fresh

midrun() {
	"$pf" build c.json -o m/out.db 2>mid.err
	eq $? 1 && grep -q 'database or disk is full' mid.err
}
tap_check "disk full in the middle of a build: exit 1" midrun

# The summary line says "D/T done" with D what the journal holds.
summary_counts() {
	done_j=$(q m/out.db "select count(*) from journal where state = 'done'")
	grep -q "personaforge build: m/out.db: $done_j/10400 done" mid.err &&
	grep -q "the counts above are what the dataset holds" mid.err
}
tap_check "the summary after a disk-full stop counts what the journal holds" \
	summary_counts

resume() {
	cp m/out.db m/out.db-wal . && umount m || return 1
	done_j=$(q out.db "select count(*) from journal where state = 'done'")
	"$pf" build c.json -o out.db 2>resume.err &&
	grep -q "$done_j reused from the journal" resume.err &&
	eq "$(q out.db "select count(*) from journal where state = 'done'")" 10400
}
tap_check "the same command resumes once there is room" resume
tap_end
