#!/bin/sh
# engine-bench.sh - figures for the network engine (`personaforge batch`
# against tests/server/mockllm on loopback), next to a bare libcurl multi
# loop (bench/bare-curl) at the same load where that makes sense.
#
#  1. client CPU (user+sys of the child) per request, 20,000 requests,
#     64 in flight, replies at once; bar <= 60 us, shown with the bare loop's
#  2. 50,000 requests, latency uniform 100-300 ms, 1,000 in flight: wall
#     time vs 1.03 x (requests x mean latency / concurrency + max latency)
#  3. 20,000 requests, 3 s latency, 10,000 in flight: peak RSS; bar
#     <= 200 MB and <= 1.3 x the bare loop's
#  4. mockllm --rpm-limit 1800 --burst 60, no limit in the config, 900
#     requests: throughput >= 97% of the limit, 429s < 5% of requests sent
#
# usage: bench/engine-bench.sh [BUILDDIR] [1 2 3 4]
# Prints figures; it is not a test (make check does not run it).
B=${1:-${top_builddir:-.}}
[ $# -gt 0 ] && shift
WHICH=${*:-1 2 3 4}
PF=$B/src/personaforge
MOCK=$B/tests/server/mockllm
BARE=$B/bench/bare-curl
for f in "$PF" "$MOCK" "$BARE"; do
	[ -x "$f" ] || { echo "engine-bench: $f not built" >&2; exit 1; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench.XXXXXX") || exit 1
MPID=
trap '[ -n "$MPID" ] && kill $MPID 2>/dev/null; rm -rf "$T"' EXIT INT TERM
BODY='{"model":"mock","messages":[{"role":"user","content":"hello"}],"max_tokens":16}'

mock() {
	[ -n "$MPID" ] && { kill $MPID; wait $MPID 2>/dev/null; }
	rm -f "$T/port"
	"$MOCK" --quiet --port 0 --port-file "$T/port" "$@" &
	MPID=$!
	while [ ! -s "$T/port" ]; do sleep 0.05; done
	PORT=$(cat "$T/port")
	URL=http://127.0.0.1:$PORT/v1
}

gen() {
	python3 -c '
import sys
body = sys.argv[2]
with open(sys.argv[3], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write("{\"custom_id\":\"r%06d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":%s}\n" % (i, body))
' "$1" "$BODY" "$2"
}

# measure CMD...: run it; prints "cpu_s maxrss_kb wall_s rc"
measure() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %d %.3f %d" % (r.ru_utime + r.ru_stime, r.ru_maxrss, wall, rc))
PY
}

stat() {
	curl -s "http://127.0.0.1:$PORT/stats" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["chat_requests"], d["by_status"].get("429", 0))'
}

batch() { # batch N CONC [ARGS]
	n=$1 c=$2
	shift 2
	gen "$n" "$T/in.jsonl"
	rm -f "$T/out.jsonl" "$T/out.jsonl.journal"*
	measure "$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --base-url "$URL" \
		--concurrency "$c" -q "$@"
}

for w in $WHICH; do
case $w in
1)
	mock
	set -- $(batch 20000 64)
	pf_cpu=$1 pf_wall=$3 pf_rc=$4
	set -- $(measure "$BARE" "$URL/chat/completions" 20000 64 "$BODY")
	python3 -c 'import sys
pf, bare, pw, bw = map(float, sys.argv[1:5])
print("1. CPU per request, 20000 req, 64 in flight, no latency: batch %.1f us (wall %.2f s, rc %s), bare curl loop %.1f us (wall %.2f s); bar <= 60 us: %s"
      % (pf / 20000 * 1e6, pw, sys.argv[5], bare / 20000 * 1e6, bw, "MET" if pf / 20000 * 1e6 <= 60 else "MISSED"))' \
		"$pf_cpu" "$1" "$pf_wall" "$3" "$pf_rc"
	;;
2)
	mock --latency 100-300
	set -- $(batch 50000 1000)
	python3 -c 'import sys
w = float(sys.argv[1]); bar = 1.03 * (50000 * 0.2 / 1000 + 0.3)
print("2. 50000 req, latency 100-300 ms, 1000 in flight: wall %.2f s (rc %s), bar %.2f s: %s"
      % (w, sys.argv[2], bar, "MET" if w <= bar else "MISSED"))' "$3" "$4"
	;;
3)
	mock --latency 3000
	set -- $(batch 20000 10000)
	pf_rss=$2 pf_wall=$3 pf_rc=$4
	set -- $(measure "$BARE" "$URL/chat/completions" 20000 10000 "$BODY")
	python3 -c 'import sys
p, b = int(sys.argv[1]) / 1024, int(sys.argv[2]) / 1024
ok = p <= 200 and p <= 1.3 * b
print("3. peak RSS, 20000 req, 3 s latency, 10000 in flight: batch %.1f MB (wall %s s, rc %s), bare loop %.1f MB (wall %s s); bar <= 200 MB and <= 1.3 x bare (%.1f MB): %s"
      % (p, sys.argv[3], sys.argv[4], b, sys.argv[5], 1.3 * b, "MET" if ok else "MISSED"))' \
		"$pf_rss" "$2" "$pf_wall" "$pf_rc" "$3"
	;;
4)
	mock --rpm-limit 1800 --burst 60
	set -- $(batch 900 64)
	wall=$3 rc=$4
	set -- $(stat)
	python3 -c 'import sys
w, sent, r429 = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
tput = 900 / w * 60
ok = tput >= 0.97 * 1800 and r429 < 0.05 * sent
print("4. rpm-limit 1800 burst 60, 900 req, no limit configured: %.0f req/min (%.1f%% of the limit; wall %.2f s, rc %s), %d 429s of %d sent (%.1f%%); bar >= 97%% and < 5%%: %s"
      % (tput, tput / 18, w, sys.argv[4], r429, sent, 100.0 * r429 / sent, "MET" if ok else "MISSED"))' \
		"$wall" "$1" "$2" "$rc"
	;;
esac
done
