#!/bin/sh
# test-llama.sh - smoke test of the real-inference server: start it through
# start-llama.sh (SKIP when node, npm, the packages or the model are not
# available) and check one plain and one json_schema chat completion.
here=$(cd "$(dirname "$0")" && pwd)
. "${top_srcdir:-$here/../..}/tests/tap.sh"
command -v curl >/dev/null 2>&1 || tap_skip_all "curl(1) not installed"
lib_dir=$here
set -- 4
. "$lib_dir/llama-lib.sh"
url=http://127.0.0.1:$port/v1/chat/completions
curl -sS -m 60 -o "$T/a" -H 'Content-Type: application/json' \
	-d '{"model":"stories","messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":16}' "$url"
grep -q '"finish_reason":"length"' "$T/a" && grep -q '"completion_tokens":16' "$T/a"
tap_rc $? "max_tokens 16 stops with finish_reason length and 16 completion tokens"
S='{"type":"object","properties":{"name":{"type":"string","maxLength":20},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}'
B='{"model":"stories","max_tokens":256,"messages":[{"role":"user","content":"persona"}],"response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,"schema":'"$S"'}}}'
curl -sS -m 60 -o "$T/b" -H 'Content-Type: application/json' -d "$B" "$url"
grep -q '"content":"{' "$T/b" && grep -q '\\"age\\"' "$T/b"
tap_rc $? "json_schema request returns a grammar-constrained object"
curl -sS -m 60 -o "$T/c" -H 'Content-Type: application/json' -d "$B" "$url"
[ "$(grep -o '"content":"[^}]*}' "$T/b")" = "$(grep -o '"content":"[^}]*}' "$T/c")" ]
tap_rc $? "the same request gives the same content"
tap_end
