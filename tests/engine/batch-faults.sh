#!/bin/sh
# batch-faults.sh - personaforge batch under every failure kind mockllm
# can inject, on 300 lines each: no line lost or duplicated (every
# custom_id once, in order, in the output; mockllm's duplicate_successes
# 0), retries bounded (mockllm's max_attempts per id <= the configured
# max_attempts), and the right exit code: 0, 4 partial, 6 quota, 7 auth.
. "${top_srcdir:-.}/tests/engine/lib.sh"

N=300
MAXA=4
tap_plan 19
gen_input $N "$T/in.jsonl" ',"max_tokens":64'
cat > "$T/cfg.json" <<JSON
{"retry":{"max_attempts":$MAXA,"base_delay_ms":10,"max_delay_ms":200},
 "engine":{"timeout_ms":1000,"connect_timeout_ms":1000}}
JSON

# run NAME EXPECT_RC MOCK_ARGS...: one batch against a fresh mockllm;
# sets RC, ERRS (error lines), and S (chat_requests succeeded dup maxatt).
run() {
	name=$1
	want=$2
	shift 2
	mock_start "$name" "$@"
	"$PF" batch "$T/in.jsonl" -o "$T/$name.jsonl" --base-url "$BASE" \
		--config "$T/cfg.json" --concurrency 32 -q 2>"$T/$name.err"
	RC=$?
	S=$(stats "$PORT" chat_requests ids.succeeded \
		ids.duplicate_successes ids.max_attempts)
	mock_stop "$name"
	ERRS=$(check_out "$T/in.jsonl" "$T/$name.jsonl" 2>>"$T/$name.err")
	CHK=$?
	[ $CHK -eq 0 ] || return 1
	# want "any": exit 0 without error lines, 4 with some
	[ "$want" = any ] && { [ "$ERRS" = 0 ] && want=0 || want=4; }
	[ $RC -eq "$want" ]
}

# bounded DUP_MAX MAXATT: the stats S have no duplicate success and at
# most MAXATT attempts for any id.
bounded() {
	set -- $S "$@"
	[ "$3" -eq 0 ] && [ "$4" -le "$6" ]
}

run latency 0 --latency 1-40 && [ "$ERRS" = 0 ] && bounded 0 1
tap_rc $? "latency 1-40 ms: all $N answered once, in order (rc $RC; $S)"

run r429 0 --fault '429;0' --fail-times 2 && [ "$ERRS" = 0 ] && bounded 0 3
tap_rc $? "429 (Retry-After: 0) twice per id: all answered, 3 attempts each (rc $RC; $S)"

# Retry-After pauses the whole endpoint: a few, not one per line
run r429b 0 --fault '429;1' --fault-rate 0.03 --fault-seed 2 &&
	[ "$ERRS" = 0 ] && bounded 0 $MAXA
tap_rc $? "429 + Retry-After: 1 on 3% of requests: all answered (rc $RC; $S)"

for k in 500 503 reset truncate badjson; do
	run "f$k" 0 --fault "$k" --fail-times 2 && [ "$ERRS" = 0 ] &&
		bounded 0 3
	tap_rc $? "$k on the first 2 attempts of every id: all answered (rc $RC; $S)"
done

run f500all 4 --fault 500 --fail-times 100 && [ "$ERRS" = $N ] &&
	bounded 0 $MAXA
tap_rc $? "500 forever: $N error lines, exit 4, at most $MAXA attempts per id (rc $RC; $S)"
grep -q '"error":{"code":"request_failed","message":"HTTP 500' "$T/f500all.jsonl"
tap_rc $? "error lines carry the reason"

run frate any --fault 503 --fault-rate 0.3 --fault-seed 7 && bounded 0 $MAXA
tap_rc $? "503 on 30% of requests: every line once, exit 0, or 4 with the failed lines (rc $RC; errors $ERRS; $S)"

run hang any --fault hang --fault-rate 0.03 --fault-seed 4 && bounded 0 $MAXA
tap_rc $? "hang on 3% of requests, 1 s timeout: every line once (rc $RC; errors $ERRS; $S)"

run length 0 --fault length --fault-rate 0.5 && [ "$ERRS" = 0 ] &&
	set -- $S && [ "$1" = $N ] && [ "$4" = 1 ]
tap_rc $? "length: a 200 with finish_reason length is a result, sent once (rc $RC; $S)"
grep -q '"finish_reason":"length"' "$T/length.jsonl"
tap_rc $? "length: the output says finish_reason length"

run schema 0 --fault schema && [ "$ERRS" = 0 ] && set -- $S &&
	[ "$1" = $N ] && [ "$4" = 1 ]
tap_rc $? "schema: just a 200 for batch, sent once (rc $RC; $S)"

# quota and auth stop the run; the journal keeps what was done
mock_start q --fault quota --fault-rate 0.05 --fault-seed 3 --latency 1-10
"$PF" batch "$T/in.jsonl" -o "$T/q.jsonl" --base-url "$BASE" \
	--config "$T/cfg.json" --concurrency 8 -q 2>"$T/q.err"
RC=$?
mock_stop q
d=$(sqlite3 "$T/q.jsonl.journal" "select count(*) from journal where state='done'")
[ $RC -eq 6 ] && [ ! -e "$T/q.jsonl" ] && grep -q 'quota' "$T/q.err"
tap_rc $? "quota: exit 6, no output, $d done rows kept (rc $RC)"
mock_start q2
"$PF" batch "$T/in.jsonl" -o "$T/q.jsonl" --base-url "$BASE" \
	--config "$T/cfg.json" --concurrency 8 -q 2>>"$T/q.err"
RC=$?
set -- $(stats "$PORT" chat_requests)
mock_stop q2
check_out "$T/in.jsonl" "$T/q.jsonl" >/dev/null && [ $RC -eq 0 ] &&
	[ "$1" -eq $((N - d)) ]
tap_rc $? "quota: the rerun sends only the $((N - d)) lines not done (rc $RC, sent $1)"

mock_start a --fault auth --fault-rate 0.05 --fault-seed 5
"$PF" batch "$T/in.jsonl" -o "$T/a.jsonl" --base-url "$BASE" \
	--config "$T/cfg.json" --concurrency 8 -q 2>"$T/a.err"
RC=$?
mock_stop a
[ $RC -eq 7 ] && [ ! -e "$T/a.jsonl" ] && grep -q 'authentication' "$T/a.err"
tap_rc $? "auth: exit 7, no output (rc $RC)"

PF_WRONG_KEY=wrong; export PF_WRONG_KEY
PF_RIGHT_KEY=right; export PF_RIGHT_KEY
mock_start k --require-key-env PF_RIGHT_KEY
"$PF" batch "$T/in.jsonl" -o "$T/k.jsonl" --base-url "$BASE" \
	--api-key-env PF_WRONG_KEY -q 2>"$T/k.err"
RC=$?
mock_stop k
[ $RC -eq 7 ]
tap_rc $? "a rejected key: exit 7 (rc $RC)"
tap_end
