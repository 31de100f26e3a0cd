#!/bin/sh
# batch-kill.sh - crash safety of personaforge batch: kill -9 a run of
# 2000 lines (replies after 50-150 ms) three times, each as soon as the
# journal shows lines it finished, rerun it to the end, and check that the
# output equals an uninterrupted run's byte for byte and that no line
# whose journal row was done at a kill was sent again (mockllm's log: one
# request per such id).
. "${top_srcdir:-.}/tests/engine/lib.sh"

N=2000
tap_plan 6
gen_input $N "$T/in.jsonl"

mock_start ref --latency 50-150
"$PF" batch "$T/in.jsonl" -o "$T/ref.jsonl" --base-url "$BASE" \
	--concurrency 64 -q 2>"$T/ref.err"
rc=$?
mock_stop ref
[ $rc -eq 0 ] && check_out "$T/in.jsonl" "$T/ref.jsonl" >/dev/null
tap_rc $? "uninterrupted run (rc $rc)"

mock_start k --latency 50-150 --log "$T/k.log"
: >"$T/snap"
: >"$T/marks"
kills=0
# each run is killed as soon as the journal shows lines it finished
for k in 1 2 3; do
	before=$(ndone "$T/out.jsonl.journal")
	"$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --base-url "$BASE" \
		--concurrency 64 -q 2>>"$T/k.err" &
	bp=$!
	wait_done "$T/out.jsonl.journal" "$before" $bp
	kill -9 $bp 2>/dev/null && kills=$((kills + 1))
	wait $bp 2>/dev/null
	sqlite3 "$T/out.jsonl.journal" \
		"select item_id from journal where state='done'" >"$T/snap.$k"
	cat "$T/snap.$k" >>"$T/snap"
	stats "$PORT" requests >/dev/null   # flushes the log
	echo "$k $(grep -c /chat/completions "$T/k.log")" >>"$T/marks"
done
done_ids=$(sort -u "$T/snap" | wc -l)
[ $kills -eq 3 ] && [ "$done_ids" -gt 0 ] && [ "$done_ids" -lt $N ] &&
	[ ! -e "$T/out.jsonl" ]
tap_rc $? "killed 3 times; $done_ids lines done in the journal, no output yet"

"$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --base-url "$BASE" \
	--concurrency 64 -q 2>>"$T/k.err"
rc=$?
tap_rc $rc "the rerun completes (rc $rc)"
cmp -s "$T/out.jsonl" "$T/ref.jsonl"
tap_rc $? "the output equals the uninterrupted run's byte for byte"

stats "$PORT" requests >/dev/null   # flushes the log
# ids done at kill k must not appear in the log after kill k's mark
python3 - "$T" <<'PY' >"$T/resent"
import re, sys
t = sys.argv[1]
log = [l for l in open(t + "/k.log") if "/chat/completions" in l]
bad = set()
for mark in open(t + "/marks"):
    k, at = mark.split()
    done = set(l.strip() for l in open("%s/snap.%s" % (t, k)) if l.strip())
    for line in log[int(at):]:
        m = re.search(r" id=(\S+) ", line)
        if m and m.group(1) in done:
            bad.add(m.group(1))
print(len(bad), " ".join(sorted(bad)[:5]))
PY
[ "$(cut -d' ' -f1 "$T/resent")" = 0 ]
tap_rc $? "no line done in the journal at a kill was sent after it ($(cat "$T/resent"))"
set -- $(stats "$PORT" ids.succeeded)
[ "$1" = $N ]
tap_rc $? "every line answered ($1 ids)"
tap_end
