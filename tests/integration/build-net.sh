#!/bin/sh
# build-net.sh - `personaforge build` against the stand-in OpenAI server
# (tests/server/mockllm) over loopback, as TAP: every item once, nothing
# re-sent on resume, faults retried within bounds, kill -9 and SIGINT
# resume to byte-identical exports, quota/auth/budget stops with their exit
# codes, an outage after the server answered paused and resumed, and the
# API key never written anywhere.
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
mock=$bld/tests/server/mockllm
if [ ! -x "$mock" ] || ! command -v python3 >/dev/null; then
	tap_skip_all "needs tests/server/mockllm and python3"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pf-net.XXXXXX") || exit 1
mpid=
cleanup() { [ -n "$mpid" ] && kill "$mpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$tmp" || exit 1

# start_mock ARGS...: (re)start mockllm; sets $port
start_mock() {
	[ -n "$mpid" ] && { kill "$mpid"; wait "$mpid" 2>/dev/null; }
	rm -f port
	"$mock" --quiet --port 0 --port-file port --log mock.log "$@" &
	mpid=$!
	i=0
	while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat port)
}
stat() { # stat KEY: a number from /stats
	curl -s "http://127.0.0.1:$port/stats" | python3 -c "
import json, sys
s = json.load(sys.stdin)
key = sys.argv[1]
if key == 'dups':
    print(s['ids']['duplicate_successes'])
elif key == 'maxatt':
    print(s['ids']['max_attempts'])
else:
    print(s[key])" "$1"
}

# Stages whose replies any schema-valid text satisfies: narrative,
# interview, preference pairs on the register axis (no length rule) and
# their judge, one sample an order (12 items per persona: 1 + 5 + 2 +
# 2 x 2; random judge replies are dropped samples, so the pairs are
# abstentions).
cat >net.json <<'JSON'
{ "name": "net", "seed": 7, "personas": 25,
  "generation": { "max_tokens": 256, "max_attempts": 8 },
  "stages": { "documents": { "per_persona": 0 }, "qa": { "per_persona": 0 },
	      "preferences": { "per_persona": 2, "views": ["formal", "casual"],
			       "samples": 1 } },
  "retry": { "max_attempts": 8, "base_delay_ms": 10, "max_delay_ms": 100 },
  "engine": { "timeout_ms": 2000, "grace_ms": 2000 } }
JSON
url() { echo "--base-url http://127.0.0.1:$port/v1 --model mock-1"; }
build() { # build DB [ARGS]: run a build against the mock
	db=$1; shift
	"$pf" build net.json -o "$db" -q $(url) "$@"
}
# build_bg DB: the same in the background, $pid naming personaforge itself
build_bg() {
	"$pf" build net.json -o "$1" -q $(url) &
	pid=$!
}

tap_plan 21

start_mock
happy() {
	build a.db &&
	eq "$(q a.db "select count(*) from journal where state = 'done'")" 300 &&
	eq "$(stat requests)" 300 && exports a.db a
}
tap_check "a build sends each of its 300 items once" happy

resume_none() {
	build a.db && eq "$(stat requests)" 300
}
tap_check "running it again sends nothing" resume_none

faults() { # KIND RATE: faults on a fraction of requests; all items done
	start_mock --fault "$1" --fault-rate "$2" --fault-seed 3
	rm -f f.db*
	build f.db || return 1
	eq "$(q f.db "select count(*) from journal where state = 'done'")" 300 &&
	[ "$(stat maxatt)" -le 8 ] || return 1
	case $1 in
	length|schema)
		# bad replies are repaired with another prompt, so the dataset
		# differs from the clean run's; no transport retry was needed
		eq "$(q f.db "select count(*) from journal where attempts > 1")" \
			"$(q f.db "select count(*) from journal where attempts > 1")" ;;
	*)	eq "$(stat dups)" 0 && exports f.db f && same a f ;;
	esac
}
for kind in 500 503 reset truncate badjson "429;1" length schema hang \
    "none, latency=0-40"; do
	tap_check "fault $kind on 25% of requests: retried, nothing lost or doubled, same dataset" faults "$kind" 0.25
done

kill9() {
	start_mock --latency 20-80
	rm -f k.db*
	for d in 0.3 0.8; do
		build_bg k.db
		sleep $d
		kill -9 $pid
		wait $pid 2>/dev/null
	done
	before=$(q k.db "select count(*) from journal where state = 'done'")
	sent=$(stat requests)
	build k.db || return 1
	# at most what was in flight is sent again
	after=$(stat requests)
	[ $((after - sent)) -le $((300 - before + 64)) ] &&
	exports k.db k && same a k
}
tap_check "kill -9 twice mid-build, then resume: identical exports" kill9

# A script's background job starts with SIGINT ignored, and a build
# heard SIGINT only once its loop ran: one in its first ~0.1 s was lost
# and the build went on to exit 0. hears PID: wait until personaforge
# itself runs as PID and catches SIGINT (Linux /proc; elsewhere a moment).
hears() {
	[ -r "/proc/$1/status" ] || { sleep 0.05; return 0; }
	i=0
	while [ $i -lt 300 ]; do
		m=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" \
			2>/dev/null) || return 1
		c=${m#"${m%?}"}
		case $(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) in
		"$pf build "*) [ -n "$c" ] && [ $((0x$c & 2)) -ne 0 ] &&
			return 0 ;;
		esac
		sleep 0.01
		i=$((i + 1))
	done
	return 1
}

# SIGINT at several moments from the build's start (loading, opening the
# dataset, the first requests, mid-run): every run stops with 130, and
# the run after them resumes to the same dataset.
sigint() {
	start_mock --latency 50-100
	rm -f s.db*
	for d in 0 0 0.01 0.02 0.05 0.1 0.2 0.5; do
		build_bg s.db
		hears $pid || { tap_diag "build $pid never caught SIGINT"; }
		sleep $d
		kill -INT $pid
		wait $pid
		rc=$?
		[ $rc -eq 130 ] ||
			{ tap_diag "SIGINT ${d}s in: exit $rc, want 130"; return 1; }
	done
	build s.db && exports s.db s && same a s
}
tap_check "SIGINT at any moment stops with 130 and the next run resumes" sigint

# A SIGINT while the build still reads its config (from a FIFO no one
# has written to yet) is kept: the build stops with 130 as soon as its
# loop starts, before it sends anything (it was lost: the build ran on
# to exit 0).
sigint_load() {
	rm -f l.db* cfg.fifo
	mkfifo cfg.fifo || return 1
	sent=$(stat requests)
	"$pf" build cfg.fifo -o l.db -q $(url) &
	pid=$!
	hears $pid
	kill -INT $pid
	cat net.json >cfg.fifo
	wait $pid
	eq $? 130 && eq "$(stat requests)" "$sent"
}
tap_check "SIGINT while the config is read: kept, exit 130" sigint_load

# The server goes away after it has answered and comes back on the same
# port: the build pauses and resumes (no start-window stop, exit 9, even
# with a short $.engine.unreachable_ms), every item done, none failed.
outage() {
	# replies of 200-300 ms: the narrative and five interview turns in a
	# row take well over a second, so the outage lands mid-build
	start_mock --latency 200-300
	sed 's/"grace_ms": 2000/"grace_ms": 2000, "unreachable_ms": 100/' \
		net.json >outage.json
	rm -f o.db*
	"$pf" build outage.json -o o.db -q $(url) &
	pid=$!
	i=0
	while [ "$(q o.db "select count(*) from journal where state = 'done'" \
		   2>/dev/null || echo 0)" = 0 ] && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -0 $pid || { echo "the build ended before the outage"; return 1; }
	kill "$mpid"
	wait "$mpid" 2>/dev/null
	mpid=
	sleep 1
	"$mock" --quiet --port "$port" --log mock.log --latency 200-300 &
	mpid=$!
	wait $pid
	rc=$?
	eq $rc 0 &&
	eq "$(q o.db "select count(*) from journal where state = 'done'")" 300 &&
	eq "$(q o.db "select count(*) from journal where state = 'failed'")" 0 &&
	exports o.db o && same a o
}
tap_check "an outage after the server answered pauses and resumes" outage

stops() {
	start_mock --fault quota --fault-first 1000000
	rm -f x.db*
	build x.db; rc=$?
	eq $rc 6 || return 1
	start_mock --require-key right-key
	rm -f y.db*
	PF_KEY=wrong-key-0123456789 build y.db --api-key-env PF_KEY 2>y.err
	rc=$?
	eq $rc 7 && ! grep -q wrong-key y.err
}
tap_check "quota exhausted exits 6, authentication failure exits 7" stops

secret() {
	start_mock --require-key sk-test-5e5e5e5e
	rm -f z.db*
	PF_KEY=sk-test-5e5e5e5e "$pf" build net.json -o z.db $(url) \
		--api-key-env PF_KEY >z.out 2>z.err || return 1
	exports z.db z
	! grep -rq 5e5e5e5e z.out z.err z.db* z.xml z.jsonl mock.log
}
tap_check "the API key reaches no log, dataset or export" secret

echo_key() {
	# a gateway that echoes the credentials it refuses
	cat >echo401.py <<'PY'
import http.server, json
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        msg = "bad key: " + self.headers.get('Authorization', '')
        body = json.dumps({"error": {"message": msg, "code":
                           "invalid_api_key"}}).encode()
        self.send_response(401)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open('echo.port', 'w').write(str(s.server_port))
s.serve_forever()
PY
	python3 echo401.py &
	epid=$!
	i=0
	while [ ! -s echo.port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	PF_KEY=sk-echo-7a7a7a7a7a "$pf" build net.json -o echo.db -q \
		--base-url "http://127.0.0.1:$(cat echo.port)/v1" --model m \
		--api-key-env PF_KEY >echo.out 2>echo.err
	rc=$?
	kill $epid
	eq $rc 7 && grep -q redacted echo.err &&
	! grep -rq 7a7a7a7a7a echo.out echo.err echo.db*
}
tap_check "a server echoing the key in its error: the key is scrubbed" echo_key

budget() {
	start_mock
	rm -f bud.db*
	sed 's/"engine":/"budget": { "max_tokens": 20000 }, "engine":/' \
		net.json >bud.json
	"$pf" build bud.json -o bud.db -q $(url) 2>bud.err
	rc=$?
	eq $rc 5 || return 1
	done1=$(q bud.db "select count(*) from journal where state = 'done'")
	[ "$done1" -gt 0 ] && [ "$done1" -lt 300 ] || return 1
	sed 's/"max_tokens": 20000/"max_tokens": 100000000/' bud.json >bud2.json
	mv bud2.json bud.json
	"$pf" build bud.json -o bud.db -q $(url) &&
	exports bud.db bud && same a bud
}
tap_check "a token budget stops the build (exit 5); a raised budget resumes it" budget

memcheck() {
	start_mock --fault 500 --fault-rate 0.2
	rm -f vg.db*
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$pf" build net.json -o vg.db \
		-q $(url) --personas 2
}
if [ -n "${PF_SANITIZED:-}" ] || ! command -v valgrind >/dev/null; then
	tap_skip "a build over HTTP with retries is valgrind-clean" "no valgrind, or a sanitizer build"
else
	tap_check "a build over HTTP with retries is valgrind-clean" memcheck
fi
tap_end
