#!/bin/sh
# test-mockllm.sh - TAP self-test of tests/server/mockllm.
#
# Starts mock servers on ephemeral loopback ports (the --port-file
# handshake), drives them with curl(1) and checks replies, every fault kind,
# rate-limit headers, the key check and log, /stats and /reset, and a clean
# exit on SIGTERM. JSON checks use python3 when present and are reported as
# SKIP without it. Prints "1..0 # SKIP" when curl or the binary is missing.
#
# Environment: MOCKLLM (the binary; default
# $top_builddir/tests/server/mockllm), MOCKLLM_WRAP (e.g. "valgrind -q").

MOCKLLM=${MOCKLLM:-${top_builddir:-.}/tests/server/mockllm}
. "${top_srcdir:-.}/tests/tap.sh"
command -v curl >/dev/null 2>&1 || tap_skip_all "curl(1) not installed"
[ -x "$MOCKLLM" ] || tap_skip_all "$MOCKLLM not built"
PY=$(command -v python3 || true)
T=$(mktemp -d "${TMPDIR:-/tmp}/mockllm-test.XXXXXX") || exit 1
PIDS=""

cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# start NAME ARGS...: start a server, wait for its port file; sets PORT.
start() {
	name=$1
	shift
	rm -f "$T/$name.port"
	${MOCKLLM_WRAP:-} "$MOCKLLM" --quiet --port 0 \
		--port-file "$T/$name.port" "$@" 2>"$T/$name.err" &
	eval "PID_$name=$!"
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$T/$name.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	PORT=$(cat "$T/$name.port" 2>/dev/null)
	eval "PORT_$name=\$PORT"
	[ -n "$PORT" ]
}

BODY='{"model":"mock-model","messages":[{"role":"user","content":"Tell me about a persona."}]}'
SCHEMA='{"type":"object","additionalProperties":false,"required":["name","age","tags","score","kind"],"properties":{"name":{"type":"string","minLength":3,"maxLength":12},"age":{"type":"integer","minimum":18,"maximum":90},"tags":{"type":"array","minItems":2,"maxItems":4,"items":{"type":"string","enum":["red","green","blue"]}},"score":{"type":"number","minimum":0,"maximum":1},"ok":{"type":"boolean"},"kind":{"const":"persona"},"home":{"$ref":"#/$defs/place"}},"$defs":{"place":{"type":"object","required":["city"],"properties":{"city":{"type":"string","maxLength":5},"zip":{"type":["string","null"]}}}}}'
SBODY='{"model":"mock-model","messages":[{"role":"user","content":"persona"}],"response_format":{"type":"json_schema","json_schema":{"name":"p","strict":true,"schema":'"$SCHEMA"'}}}'

# post PORT OUT [curl args...]: POST to chat completions; prints curl's
# exit code; headers in OUT.h, body in OUT.
post() {
	port=$1
	out=$2
	shift 2
	curl -sS -m 5 -o "$out" -D "$out.h" \
		-H 'Content-Type: application/json' "$@" \
		"http://127.0.0.1:$port/v1/chat/completions" 2>/dev/null
	echo $?
}

status_of() {
	grep '^HTTP/' "$1.h" 2>/dev/null | tail -n 1 | cut -d' ' -f2
}

hdr() {
	grep -i "^$2:" "$1.h" | head -n 1 | cut -d: -f2- | tr -d ' \r'
}

# delayed PORT: the server's count of replies held back by a latency.
delayed() {
	curl -sS -m 5 "http://127.0.0.1:$1/stats" |
		sed -n 's/.*"delayed":\([0-9]*\).*/\1/p'
}

# pyjson FILE MODE: MODE chat = a chat.completion; schema = its content
# satisfies $SCHEMA; violate = content parses but breaks $SCHEMA; object =
# content is a JSON object; bad = the body does not parse.
pyjson() {
	SCHEMA="$SCHEMA" "$PY" - "$1" "$2" <<'EOF'
import json, os, sys
path, mode = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
if mode == "bad":
    try:
        json.loads(text)
    except ValueError:
        sys.exit(0)
    sys.exit(1)
r = json.loads(text)
assert r["object"] == "chat.completion" and r["id"].startswith("chatcmpl-")
assert isinstance(r["created"], int) and r["model"] == "mock-model"
c = r["choices"][0]
assert c["message"]["role"] == "assistant"
assert c["finish_reason"] in ("stop", "length")
u = r["usage"]
assert u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"]
assert u["completion_tokens"] == (len(c["message"]["content"]) + 3) // 4
content = c["message"]["content"]
root = json.loads(os.environ["SCHEMA"])

def ok(v, s):
    if "$ref" in s:
        s = root["$defs"][s["$ref"].split("/")[-1]]
    if "const" in s:
        return v == s["const"]
    if "enum" in s and v not in s["enum"]:
        return False
    t = s.get("type")
    ts = t if isinstance(t, list) else [t] if t else []
    if ts:
        m = {"object": dict, "array": list, "string": str, "boolean": bool,
             "null": type(None)}
        good = any((x == "integer" and isinstance(v, int) and
                    not isinstance(v, bool)) or
                   (x == "number" and isinstance(v, (int, float)) and
                    not isinstance(v, bool)) or
                   (x in m and isinstance(v, m[x])) for x in ts)
        if not good:
            return False
    if isinstance(v, dict):
        props = s.get("properties", {})
        if any(k not in v for k in s.get("required", [])):
            return False
        if s.get("additionalProperties") is False and \
           any(k not in props for k in v):
            return False
        return all(ok(v[k], props[k]) for k in v if k in props)
    if isinstance(v, list):
        if len(v) < s.get("minItems", 0) or len(v) > s.get("maxItems", 1e9):
            return False
        return all(ok(x, s.get("items", {})) for x in v)
    if isinstance(v, str):
        return s.get("minLength", 0) <= len(v) <= s.get("maxLength", 1e9)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return s.get("minimum", -1e18) <= v <= s.get("maximum", 1e18)
    return True

if mode == "schema":
    sys.exit(0 if ok(json.loads(content), root) else 1)
if mode == "violate":
    sys.exit(1 if ok(json.loads(content), root) else 0)
if mode == "object":
    sys.exit(0 if isinstance(json.loads(content), dict) else 1)
EOF
}

# pycheck FILE MODE DESC: a python3-backed check, SKIP without python3.
pycheck() {
	if [ -z "$PY" ]; then
		tap_skip "$3" "no python3"
	else
		pyjson "$1" "$2" >"$T/py.err" 2>&1
		tap_rc $? "$3"
	fi
}

tap_plan 42

# --- one server for the header-driven scenarios -----------------------
start main --log "$T/main.log" --max-body 65536
tap_rc $? "starts on port 0 and writes the port file"
P=$PORT_main

rc=$(post "$P" "$T/r1" -d "$BODY")
[ "$rc" = 0 ] && [ "$(status_of "$T/r1")" = 200 ]
tap_rc $? "plain request gets 200"
pycheck "$T/r1" chat "reply is an OpenAI chat.completion echoing the model"
post "$P" "$T/r1b" -d "$BODY" >/dev/null
grep -o '"content":"[^"]*"' "$T/r1" >"$T/c1"
grep -o '"content":"[^"]*"' "$T/r1b" >"$T/c2"
cmp -s "$T/c1" "$T/c2" && [ -s "$T/c1" ]
tap_rc $? "content is deterministic for the same body"

post "$P" "$T/r2" -d "$SBODY" >/dev/null
pycheck "$T/r2" schema "json_schema reply satisfies the schema"
post "$P" "$T/r3" -d '{"model":"mock-model","messages":[],"response_format":{"type":"json_object"}}' >/dev/null
pycheck "$T/r3" object "json_object reply content is a JSON object"

post "$P" "$T/f1" -H 'X-Mock-Fault: 500' -d "$BODY" >/dev/null
[ "$(status_of "$T/f1")" = 500 ] && grep -q '"type":"server_error"' "$T/f1"
tap_rc $? "fault 500"
post "$P" "$T/f2" -H 'X-Mock-Fault: 503;7' -d "$BODY" >/dev/null
[ "$(status_of "$T/f2")" = 503 ] && [ "$(hdr "$T/f2" retry-after)" = 7 ]
tap_rc $? "fault 503 with Retry-After: 7"
post "$P" "$T/f3" -H 'X-Mock-Fault: 429;2;ms' -d "$BODY" >/dev/null
[ "$(status_of "$T/f3")" = 429 ] && [ "$(hdr "$T/f3" retry-after)" = 2 ] &&
	[ "$(hdr "$T/f3" retry-after-ms)" = 2000 ] &&
	grep -q '"code":"rate_limit_exceeded"' "$T/f3"
tap_rc $? "fault 429 with Retry-After seconds and retry-after-ms"
post "$P" "$T/f4" -H 'X-Mock-Fault: 429;3;date' -d "$BODY" >/dev/null
grep -qi '^retry-after: [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] 20[0-9][0-9] [0-9:]* GMT' "$T/f4.h"
tap_rc $? "fault 429 with an HTTP-date Retry-After"
rc=$(post "$P" "$T/f5" -H 'X-Mock-Fault: reset' -d "$BODY")
[ "$rc" = 56 ] || [ "$rc" = 52 ]
tap_rc $? "fault reset drops the connection (curl exit $rc)"
rc=$(post "$P" "$T/f6" -H 'X-Mock-Fault: truncate' -d "$BODY")
[ "$rc" = 18 ]
tap_rc $? "fault truncate sends less than Content-Length (curl exit $rc)"
post "$P" "$T/f7" -H 'X-Mock-Fault: badjson' -d "$BODY" >/dev/null
[ "$(status_of "$T/f7")" = 200 ]
tap_rc $? "fault badjson is a 200"
pycheck "$T/f7" bad "fault badjson body does not parse"
rc=$(curl -sS -m 1 -o /dev/null -H 'X-Mock-Fault: hang' -d "$BODY" \
	"http://127.0.0.1:$P/v1/chat/completions" 2>/dev/null; echo $?)
[ "$rc" = 28 ]
tap_rc $? "fault hang never answers (curl timed out)"
post "$P" "$T/f8" -H 'X-Mock-Fault: length' -d "$BODY" >/dev/null
grep -q '"finish_reason":"length"' "$T/f8"
tap_rc $? "fault length sets finish_reason length"
pycheck "$T/f8" chat "fault length is still a chat.completion"
post "$P" "$T/f9" -H 'X-Mock-Fault: quota' -d "$BODY" >/dev/null
[ "$(status_of "$T/f9")" = 429 ] &&
	grep -q '"type":"insufficient_quota","param":null,"code":"insufficient_quota"' "$T/f9"
tap_rc $? "fault quota is 429 insufficient_quota"
post "$P" "$T/f10" -H 'X-Mock-Fault: auth' -d "$BODY" >/dev/null
[ "$(status_of "$T/f10")" = 401 ] && grep -q '"code":"invalid_api_key"' "$T/f10"
tap_rc $? "fault auth is 401 invalid_api_key"
post "$P" "$T/f11" -H 'X-Mock-Fault: schema' -d "$SBODY" >/dev/null
pycheck "$T/f11" violate "fault schema: valid JSON that violates the schema"
# the server's own count of replies it held back, not the client's clock
d0=$(delayed "$P")
post "$P" "$T/lat" -H 'X-Mock-Fault: latency=300' -d "$BODY" >/dev/null
d1=$(delayed "$P")
[ "$(status_of "$T/lat")" = 200 ] && [ "$d1" -eq $((d0 + 1)) ]
tap_rc $? "latency=300 delays the reply (delayed $d0 -> $d1)"
codes=""
for i in 1 2 3 4; do
	post "$P" "$T/ft" -H 'X-Mock-Fault: 500;times=2' -H 'X-Request-Id: item-42' \
		-d "$BODY" >/dev/null
	codes="$codes$(status_of "$T/ft") "
done
[ "$codes" = "500 500 200 200 " ]
tap_rc $? "500;times=2 fails an id twice then succeeds ($codes)"
post "$P" "$T/f12" -H 'X-Mock-Fault: nonsense' -d "$BODY" >/dev/null
[ "$(status_of "$T/f12")" = 400 ]
tap_rc $? "unknown X-Mock-Fault is a 400"
head -c 70000 /dev/zero | tr '\0' 'x' >"$T/big"
post "$P" "$T/f13" --data-binary @"$T/big" >/dev/null
[ "$(status_of "$T/f13")" = 413 ]
tap_rc $? "body over --max-body gets 413"
{ printf '{"model":"mock-model","messages":[{"role":"user","content":"'
  head -c 30000 /dev/zero | tr '\0' 'y'; printf '"}]}'; } >"$T/mid"
post "$P" "$T/f14" -H 'Expect: 100-continue' --data-binary @"$T/mid" >/dev/null
[ "$(status_of "$T/f14")" = 200 ]
tap_rc $? "Expect: 100-continue with a 30 kB body"
curl -sS -m 5 -o "$T/nf" -w '%{http_code}' "http://127.0.0.1:$P/nope" >"$T/nfc"
[ "$(cat "$T/nfc")" = 404 ]
tap_rc $? "unknown path is 404"
curl -sS -m 5 -o "$T/ka" -o "$T/ka2" -w '%{num_connects}\n' -H 'Content-Type: application/json' \
	-d "$BODY" "http://127.0.0.1:$P/v1/chat/completions" \
	"http://127.0.0.1:$P/v1/chat/completions" >"$T/kac"
[ "$(tr -d '\n' <"$T/kac")" = 10 ]
tap_rc $? "keep-alive: two requests over one connection"

curl -sS -m 5 -o "$T/st" "http://127.0.0.1:$P/stats"
grep -q '"chat_requests":25,"by_status":{"200":14,' "$T/st" &&
	grep -q '"500":3,"503":1}' "$T/st" && grep -q '"hang":1' "$T/st" &&
	grep -q '"reset":1,"truncate":1' "$T/st" && grep -q '"delayed":1' "$T/st"
tap_rc $? "/stats counts requests, statuses and faults"
grep -q '"connections":{"current":[0-9]*,"max":[0-9]*,"total":[0-9]*}' "$T/st" &&
	grep -q '"in_flight":{"current":[0-9]*,"max":[0-9]*}' "$T/st"
tap_rc $? "/stats has connection and in-flight gauges"
curl -sS -m 5 -o /dev/null -X POST "http://127.0.0.1:$P/reset"
curl -sS -m 5 -o "$T/st2" "http://127.0.0.1:$P/stats"
grep -q '"requests":0,"chat_requests":0,"by_status":{}' "$T/st2"
tap_rc $? "/reset zeroes the counters"

# --- rate limits, key check and log -------------------------------------
start rl --rpm-limit 60 --burst 2 --require-key sk-mock-SECRET-123 \
	--log "$T/rl.log"
tap_rc $? "rate-limited server starts"
P=$PORT_rl
post "$P" "$T/k0" -d "$BODY" >/dev/null
[ "$(status_of "$T/k0")" = 401 ] && grep -q invalid_api_key "$T/k0"
tap_rc $? "--require-key: no key gets 401 invalid_api_key"
A='Authorization: Bearer sk-mock-SECRET-123'
post "$P" "$T/k1" -H "$A" -d "$BODY" >/dev/null
[ "$(status_of "$T/k1")" = 200 ] &&
	[ "$(hdr "$T/k1" x-ratelimit-limit-requests)" = 60 ] &&
	[ "$(hdr "$T/k1" x-ratelimit-remaining-requests)" = 1 ] &&
	hdr "$T/k1" x-ratelimit-reset-requests | grep -Eq '^[0-9.]+(ms|s)$'
tap_rc $? "with the key: 200 with x-ratelimit-* headers"
post "$P" "$T/k2" -H "$A" -d "$BODY" >/dev/null
post "$P" "$T/k3" -H "$A" -H 'X-Request-Id: over' -d "$BODY" >/dev/null
ra=$(hdr "$T/k3" retry-after)
[ "$(status_of "$T/k3")" = 429 ] && [ "${ra:-0}" -ge 1 ] &&
	[ -n "$(hdr "$T/k3" retry-after-ms)" ] &&
	grep -q '"type":"requests","param":null,"code":"rate_limit_exceeded"' "$T/k3"
tap_rc $? "beyond the burst: 429 rate_limit_exceeded, Retry-After $ra"
curl -sS -m 5 -o /dev/null "http://127.0.0.1:$P/stats"
grep -q 'authorization' "$T/rl.log" && ! grep -q 'SECRET' "$T/rl.log" &&
	grep -q '^POST /v1/chat/completions 429 fault=none id=over ' "$T/rl.log"
tap_rc $? "log has header names and ids, never the key"

# --- server-wide faults ---------------------------------------------------
start first --fault 429 --fault-first 2
P=$PORT_first
codes=""
for i in 1 2 3; do
	post "$P" "$T/x" -d "$BODY" >/dev/null
	codes="$codes$(status_of "$T/x") "
done
[ "$codes" = "429 429 200 " ]
tap_rc $? "--fault 429 --fault-first 2 ($codes)"
post "$P" "$T/x" -H 'X-Mock-Fault: 503' -d "$BODY" >/dev/null
[ "$(status_of "$T/x")" = 503 ]
tap_rc $? "header overrides the server's fault"

start rate --fault 500 --fault-rate 0.5 --fault-seed 7
P=$PORT_rate
bad=0
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	post "$P" "$T/x" -d "$BODY" >/dev/null
	[ "$(status_of "$T/x")" = 500 ] && bad=$((bad + 1))
done
[ "$bad" -gt 2 ] && [ "$bad" -lt 18 ]
tap_rc $? "--fault-rate 0.5 faults some ($bad of 20)"

start times --fail-times 2 --fault 503
P=$PORT_times
codes=""
for id in a a b a b b; do
	post "$P" "$T/x" -H "X-Request-Id: $id" -d "$BODY" >/dev/null
	codes="$codes$(status_of "$T/x") "
done
[ "$codes" = "503 503 503 200 503 200 " ]
tap_rc $? "--fail-times 2: each id fails twice then succeeds ($codes)"
curl -sS -m 5 -o "$T/st3" "http://127.0.0.1:$P/stats"
grep -q '"ids":{"tracked":2,"succeeded":2,"duplicate_successes":0,"max_attempts":3' "$T/st3"
tap_rc $? "/stats ids: nothing lost, nothing duplicated"

# Replies held for a minute: no reply can come back while the test waits
# (up to 30 s) for the sixth request, however loaded the machine is.
start slow --latency 60000-60000
P=$PORT_slow
for i in 1 2 3 4 5; do
	curl -s -m 90 -o /dev/null -d "$BODY" \
		"http://127.0.0.1:$P/v1/chat/completions" 2>/dev/null &
	PIDS="$PIDS $!"
done
i=0
while [ $i -lt 300 ]; do
	sleep 0.1
	curl -sS -m 5 -o "$T/st4" "http://127.0.0.1:$P/stats"
	grep -q '"in_flight":{"current":6,' "$T/st4" && break
	i=$((i + 1))
done
grep -q '"in_flight":{"current":6,"max":6}' "$T/st4"
tap_rc $? "--latency holds replies in flight (in_flight 6 incl. /stats)"

# --- shutdown ---------------------------------------------------------------
for name in main rl first rate times slow; do
	eval "pid=\$PID_$name"
	kill -TERM "$pid"
done
rcs=""
for name in main rl first rate times slow; do
	eval "pid=\$PID_$name"
	wait "$pid"
	rcs="$rcs$? "
done
PIDS=""
[ "$rcs" = "0 0 0 0 0 0 " ]
tap_rc $? "SIGTERM: every server exits 0 with its loop closed ($rcs)"

tap_end
