#!/bin/sh
# batch-basic.sh - personaforge batch end to end against mockllm: output
# format and order, resume from the journal without re-sending, --model,
# X-Request-Id, bad input lines (exit 2 with the line), progress lines,
# SIGINT (130) and resume, SIGINT while the input is still being read.
. "${top_srcdir:-.}/tests/engine/lib.sh"

tap_plan 15
mock_start m --log "$T/m.log" --latency 1-5
gen_input 200 "$T/in.jsonl"
"$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --base-url "$BASE" \
	--concurrency 16 2>"$T/err1"
rc=$?
tap_rc $rc "batch of 200 lines exits 0 (got $rc)"
errs=$(check_out "$T/in.jsonl" "$T/out.jsonl" 2>"$T/chk")
tap_rc $? "every custom_id once, in input order ($(cat "$T/chk"))"
[ "$errs" = 0 ]
tap_rc $? "no error lines"
set -- $(stats "$PORT" chat_requests ids.succeeded ids.duplicate_successes)
[ "$1" = 200 ] && [ "$2" = 200 ] && [ "$3" = 0 ]
tap_rc $? "200 requests, 200 ids succeeded, no duplicates ($*)"
grep -q ' id=req-00007 ' "$T/m.log"
tap_rc $? "requests carry X-Request-Id = custom_id"
[ -s "$T/out.jsonl.journal" ] && [ ! -e "$T/out.jsonl.tmp" ] &&
	[ "$(sqlite3 "$T/out.jsonl.journal" \
		"select count(*) from journal where state='done'")" = 200 ]
tap_rc $? "journal next to the output holds 200 done rows; no temp file left"
grep -q '"done":200' "$T/err1" || grep -q '200/200 done' "$T/err1"
tap_rc $? "summary on stderr"

cp "$T/out.jsonl" "$T/out1.jsonl"
"$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --base-url "$BASE" -q 2>"$T/err2"
rc=$?
set -- $(stats "$PORT" chat_requests)
[ $rc -eq 0 ] && [ "$1" = 200 ] && cmp -s "$T/out.jsonl" "$T/out1.jsonl"
tap_rc $? "second run sends nothing and writes the same output (rc $rc, $1 requests)"

"$PF" batch "$T/in.jsonl" -o "$T/outm.jsonl" --base-url "$BASE" -q \
	--model other-model 2>"$T/err3"
rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '"model":"other-model"' "$T/outm.jsonl")" = 200 ]
tap_rc $? "--model rewrites every body's model (rc $rc)"

# bad input lines
printf '%s\n' '{"custom_id":"a","body":{"model":"m","messages":[]}}' \
	'{"custom_id":"b","body":{"model":"m","messages":[]}' > "$T/bad1.jsonl"
printf '%s\n' '{"custom_id":"a","body":{"model":"m","messages":[]}}' \
	'' '{"body":{"model":"m","messages":[]}}' > "$T/bad2.jsonl"
printf '%s\n' '{"custom_id":"a","body":{"model":"m","messages":[]}}' \
	'{"custom_id":"b","body":{"model":"m","messages":[]}}' \
	'{"custom_id":"a","body":{"model":"m","messages":[]}}' > "$T/bad3.jsonl"
r=0
"$PF" batch "$T/bad1.jsonl" -o "$T/b.jsonl" --base-url "$BASE" -q 2>"$T/e1"
[ $? -eq 2 ] && grep -q 'bad1.jsonl:2: not JSON' "$T/e1" || r=1
"$PF" batch "$T/bad2.jsonl" -o "$T/b.jsonl" --base-url "$BASE" -q 2>"$T/e2"
[ $? -eq 2 ] && grep -q 'bad2.jsonl:3: missing custom_id' "$T/e2" || r=1
"$PF" batch "$T/bad3.jsonl" -o "$T/b.jsonl" --base-url "$BASE" -q 2>"$T/e3"
[ $? -eq 2 ] && grep -q 'bad3.jsonl:3: duplicate custom_id "a" (first on line 1)' "$T/e3" || r=1
set -- $(stats "$PORT" chat_requests)
[ "$1" = 400 ] && [ ! -e "$T/b.jsonl" ] || r=1
tap_rc $r "bad lines: exit 2 naming the line, nothing sent, no output ($(cat "$T/e1" "$T/e2" "$T/e3" | tr '\n' ' '))"

# progress: JSON lines on a non-terminal stderr
mock_stop m
mock_start p --latency 300-300
gen_input 100 "$T/in2.jsonl"
"$PF" batch "$T/in2.jsonl" -o "$T/out2.jsonl" --base-url "$BASE" \
	--concurrency 4 2>"$T/perr"
rc=$?
grep -q '^{"progress":{"done":[0-9]*,"total":100,' "$T/perr" &&
	grep -q '"in_flight":' "$T/perr" && grep -q '"tokens_in":' "$T/perr"
tap_rc $? "progress: a JSON line every few seconds on a non-terminal (rc $rc)"

# SIGINT: exit 130, no output, journal kept; the rerun completes
gen_input 300 "$T/in3.jsonl"
curl -s -X POST "http://127.0.0.1:$PORT/reset" >/dev/null
"$PF" batch "$T/in3.jsonl" -o "$T/out3.jsonl" --base-url "$BASE" \
	--concurrency 8 -q 2>"$T/ierr" &
bp=$!
wait_done "$T/out3.jsonl.journal" 0 $bp   # some lines done, most not
kill -INT $bp
wait $bp
rc=$?
d=$(sqlite3 "$T/out3.jsonl.journal" "select count(*) from journal where state='done'")
[ $rc -eq 130 ] && [ ! -e "$T/out3.jsonl" ] && [ "$d" -gt 0 ] && [ "$d" -lt 300 ]
tap_rc $? "SIGINT: exit 130, no output, $d done rows kept (rc $rc)"
before=$(stats "$PORT" chat_requests)
"$PF" batch "$T/in3.jsonl" -o "$T/out3.jsonl" --base-url "$BASE" \
	--concurrency 64 -q 2>>"$T/ierr"
rc=$?
after=$(stats "$PORT" chat_requests)
check_out "$T/in3.jsonl" "$T/out3.jsonl" >/dev/null &&
	[ $rc -eq 0 ] && [ $((after - before)) -le $((300 - d)) ]
tap_rc $? "resume after SIGINT completes and sends only the rest ($((after - before)) sent)"
set -- $(stats "$PORT" ids.duplicate_successes)
[ "$1" -le 8 ]
tap_rc $? "at most the calls in flight at SIGINT were answered twice ($1)"

# SIGINT while batch still reads its input (a FIFO no one has written to
# yet): a script's background job starts with SIGINT ignored, and batch
# heard signals only once its loop ran, so this one was lost and the run
# went on to exit 0. It is kept: exit 130, nothing sent.
rm -f "$T/in4.fifo"
mkfifo "$T/in4.fifo"
before=$(stats "$PORT" chat_requests)
"$PF" batch "$T/in4.fifo" -o "$T/out4.jsonl" --base-url "$BASE" -q \
	2>"$T/ferr" &
bp=$!
i=0
while [ $i -lt 300 ]; do   # until batch itself catches SIGINT (bit 2)
	m=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$bp/status" 2>/dev/null)
	c=${m#"${m%?}"}
	[ -n "$c" ] && [ $((0x$c & 2)) -ne 0 ] &&
		tr '\0' ' ' <"/proc/$bp/cmdline" | grep -q ' batch ' && break
	sleep 0.01
	i=$((i + 1))
done
kill -INT $bp
head -20 "$T/in3.jsonl" >"$T/in4.fifo"
wait $bp
rc=$?
after=$(stats "$PORT" chat_requests)
[ $rc -eq 130 ] && [ "$after" = "$before" ] && [ ! -e "$T/out4.jsonl" ]
tap_rc $? "SIGINT while reading the input: exit 130, nothing sent (rc $rc, $((after - before)) sent)"
tap_end
