#!/bin/sh
# unreachable.sh - a build whose every endpoint fails at the start with
# a DNS or a TLS error stops like one refused a connection: exit 9 once
# the start window ($.engine.unreachable_ms) is over, each URL named with
# its error, nothing marked failed; the same command then finishes once a
# server answers. Prints TAP.
#
# DNS: a name under .invalid (RFC 6761: never resolves) inside a network
# namespace of its own (unshare -n), so the lookup never leaves this
# machine; skipped where namespaces cannot be made. TLS: https:// to a
# loopback listener that answers every connection with plain HTTP, so
# the handshake fails at once. The resumes run against the stand-in
# server (documents and QA off: its replies state no planted facts).
# Environment (set by make check): PERSONAFORGE, top_srcdir,
# top_builddir.
. "${top_srcdir:-.}/tests/integration/lib.sh"
mock=$bld/tests/server/mockllm
[ -x "$mock" ] || tap_skip_all "mockllm not built"
for t in sqlite3 python3; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t missing"
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-unreach.XXXXXX") || exit 1
mpid= tpid=
trap '[ -n "$mpid" ] && kill "$mpid"; [ -n "$tpid" ] && kill "$tpid";
	rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1
case $pf in /*) ;; *) pf=$OLDPWD/$pf ;; esac
case $mock in /*) ;; *) mock=$OLDPWD/$mock ;; esac

cat >c.json <<'JSON'
{"name": "unreachable", "personas": 2, "seed": 7,
 "stages": {"documents": {"per_persona": 0}, "qa": {"per_persona": 0}},
 "engine": {"unreachable_ms": 300}}
JSON
# wait_port FILE: the port a server wrote there
wait_port() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	cat "$1"
}
"$mock" --quiet --port 0 --port-file port --log mock.log &
mpid=$!
port=$(wait_port port)
python3 -c 'import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
for _ in range(200):
    c, _ = s.accept()
    c.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    c.close()' tport &
tpid=$!
tport=$(wait_port tport)

# stopped DB: exit 9 was given and nothing is failed or done.
stopped() {
	eq "$rc" 9 &&
	eq "$(q "$1" "select count(*) from journal where state = 'failed'")" 0 &&
	eq "$(q "$1" "select count(*) from journal where state = 'done'")" 0 &&
	grep -q "stopped: no endpoint could be reached; nothing was marked failed" err
}

# finishes DB: the same command against the stand-in server ends it.
finishes() {
	"$pf" build c.json -o "$1" -q --model m \
		--base-url "http://127.0.0.1:$port/v1" 2>err
	rc=$?
	eq "$rc" 0 &&
		eq "$(q "$1" "select count(*) from journal where state <> 'done'")" 0
}
# case NAME DB URL PATTERN [WRAPPER]: a build against URL alone stops
# with the URL's error matching PATTERN, then finishes.
case_() {
	$5 "$pf" build c.json -o "$2" -q --model m --base-url "$3" 2>err
	rc=$?
	stopped "$2" && grep -q "endpoint $3/chat/completions: unreachable: $4" err
	tap_rc $? "a $1 failure on every endpoint stops the build with exit 9" ||
		tap_diag <err
	finishes "$2"
	tap_rc $? "after a $1 failure the same dataset finishes" || tap_diag <err
}

tap_plan 5
case_ TLS tls.db "https://127.0.0.1:$tport/v1" '.*\(SSL\|TLS\)'
if ! unshare -n true 2>/dev/null; then
	tap_skip "DNS: cannot make a network namespace (unshare -n)"
	tap_skip "DNS: the resume"
	tap_skip "DNS: two endpoints"
	tap_end
	exit 0
fi
case_ DNS dns.db "http://pf-test.invalid/v1" \
	"Could not resolve host: pf-test.invalid" "unshare -n"

# Two endpoints, one name that does not resolve and one refused: each is
# named with its own error.
cat >two.json <<'JSON'
{"name": "unreachable", "personas": 2, "seed": 7,
 "engine": {"unreachable_ms": 300},
 "endpoints": [{"base_url": "http://pf-test.invalid/v1", "model": "m"},
               {"base_url": "http://127.0.0.1:9/v1", "model": "m"}]}
JSON
unshare -n "$pf" build two.json -o two.db -q 2>err
rc=$?
stopped two.db &&
	grep -q "pf-test.invalid/v1/chat/completions: unreachable: Could not resolve host" err &&
	grep -q "127.0.0.1:9/v1/chat/completions: unreachable: Failed to connect" err
tap_rc $? "with two endpoints, each is named with its own error" ||
	tap_diag <err
tap_end
