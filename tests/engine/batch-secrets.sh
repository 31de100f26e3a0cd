#!/bin/sh
# batch-secrets.sh - no API key and no secret header value ever reaches a
# log, the output or the journal: run batch with a key from the
# environment and a secret header ({"env": ...} in --config) against a
# mockllm that requires the key, with faults (so errors are reported),
# then with a key the server rejects, and grep stderr, the output, the
# journal files and mockllm's log for both values.
. "${top_srcdir:-.}/tests/engine/lib.sh"

tap_plan 5
PF_SECRET_KEY=sk-test-SECRETKEY-4f7a9c; export PF_SECRET_KEY
PF_SECRET_HDR=hdr-SECRETHDR-88b21e; export PF_SECRET_HDR
PF_BAD_KEY=sk-test-BADKEY-0c3d55; export PF_BAD_KEY
gen_input 120 "$T/in.jsonl"
mock_start s --require-key-env PF_SECRET_KEY --log "$T/mock.log" \
	--fault 500 --fault-rate 0.3 --fault-seed 9
cat > "$T/cfg.json" <<JSON
{"endpoints":[{"base_url":"$BASE","model":"mock",
  "api_key_env":"PF_SECRET_KEY",
  "headers":{"X-Secret":{"env":"PF_SECRET_HDR"},"X-Plain":"visible"}}],
 "retry":{"max_attempts":2,"base_delay_ms":5,"max_delay_ms":20}}
JSON
"$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --config "$T/cfg.json" \
	2>"$T/err1"
rc=$?
set -- $(stats "$PORT" auth_rejected ids.succeeded)
[ $rc -eq 0 ] || [ $rc -eq 4 ]
tap_rc $? "run with the key and the secret header (rc $rc)"
[ "$1" = 0 ] && [ "$2" -gt 0 ] && grep -q 'x-secret' "$T/mock.log"
tap_rc $? "the server got the key and the header ($1 rejected, $2 ids ok)"

"$PF" batch "$T/in.jsonl" -o "$T/out2.jsonl" --config "$T/cfg.json" \
	--api-key-env PF_BAD_KEY 2>"$T/err2"
rc=$?
[ $rc -eq 7 ]
tap_rc $? "a rejected key stops with exit 7 (rc $rc)"

stats "$PORT" requests >/dev/null   # flushes the log
mock_stop s
files="$T/err1 $T/err2 $T/out.jsonl $T/mock.log"
for f in "$T"/out.jsonl.journal* "$T"/out2.jsonl*; do
	[ -e "$f" ] && files="$files $f"
done
hits=$(cat $files | grep -a -c -e "$PF_SECRET_KEY" -e "$PF_SECRET_HDR" \
	-e "$PF_BAD_KEY" -e 'SECRETKEY' -e 'SECRETHDR' -e 'BADKEY')
[ "$hits" = 0 ]
tap_rc $? "no secret in stderr, output, journal or server log ($hits hits in $(echo $files | wc -w) files)"
sqlite3 "$T/out.jsonl.journal" .dump | grep -a -c -e SECRET -e BADKEY >"$T/dump"
[ "$(cat "$T/dump")" = 0 ]
tap_rc $? "no secret in the journal's SQL dump"
tap_end
