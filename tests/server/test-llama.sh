#!/bin/sh
# test-llama.sh - smoke test of the real-inference server: start it through
# start-llama.sh (SKIP when node, npm, the packages or the model are not
# available) and check one plain and one json_schema chat completion.
here=$(cd "$(dirname "$0")" && pwd)
command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl(1) not installed"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/llama-test.XXXXXX") || exit 1
trap '[ -s "$T/pid" ] && kill "$(cat "$T/pid")" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
port=$("$here/start-llama.sh" --pid-file "$T/pid" --log "$T/log" 2>"$T/err")
rc=$?
if [ $rc -eq 77 ]; then
	echo "1..0 # SKIP $(tail -n 1 "$T/err")"
	exit 0
fi
echo "1..4"
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
[ $rc -eq 0 ] && [ -n "$port" ]
ok $? "start-llama.sh starts the server (port $port)"
url=http://127.0.0.1:$port/v1/chat/completions
curl -sS -m 60 -o "$T/a" -H 'Content-Type: application/json' \
	-d '{"model":"stories","messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":16}' "$url"
grep -q '"finish_reason":"length"' "$T/a" && grep -q '"completion_tokens":16' "$T/a"
ok $? "max_tokens 16 stops with finish_reason length and 16 completion tokens"
S='{"type":"object","properties":{"name":{"type":"string","maxLength":20},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}'
B='{"model":"stories","max_tokens":256,"messages":[{"role":"user","content":"persona"}],"response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,"schema":'"$S"'}}}'
curl -sS -m 60 -o "$T/b" -H 'Content-Type: application/json' -d "$B" "$url"
grep -q '"content":"{' "$T/b" && grep -q '\\"age\\"' "$T/b"
ok $? "json_schema request returns a grammar-constrained object"
curl -sS -m 60 -o "$T/c" -H 'Content-Type: application/json' -d "$B" "$url"
[ "$(grep -o '"content":"[^}]*}' "$T/b")" = "$(grep -o '"content":"[^}]*}' "$T/c")" ]
ok $? "the same request gives the same content"
exit $failed
