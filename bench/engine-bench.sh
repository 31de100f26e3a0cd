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
# Each point runs REPS times (default 3; batch and the bare loop take
# turns, at the same N, concurrency and body) and prints the median; CPU
# and peak RSS are getrusage(RUSAGE_CHILDREN) of a python parent whose
# only child is the measured process, so they are that process's alone
# (all its threads, user+sys).
#
# usage: [REPS=N] bench/engine-bench.sh [BUILDDIR] [1 2 3 4]
# Prints figures; it is not a test (make check does not run it).
B=${1:-${top_builddir:-.}}
[ $# -gt 0 ] && shift
WHICH=${*:-1 2 3 4}
REPS=${REPS:-3}
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

batch() { # batch N CONC [ARGS]: one fresh run (input made once per N)
	n=$1 c=$2
	shift 2
	[ "$(cat "$T/in.n" 2>/dev/null)" = "$n" ] ||
		{ gen "$n" "$T/in.jsonl" && echo "$n" >"$T/in.n"; }
	rm -f "$T/out.jsonl" "$T/out.jsonl.journal"*
	measure "$PF" batch "$T/in.jsonl" -o "$T/out.jsonl" --base-url "$URL" \
		--concurrency "$c" -q "$@"
}

# reps N CONC BARE: REPS runs of batch (and of the bare loop when BARE is
# 1), taking turns; each output line "pf: cpu rss wall rc" or "bare: ..."
reps() {
	i=0
	while [ $i -lt "$REPS" ]; do
		echo "pf: $(batch "$1" "$2")"
		[ "$3" = 1 ] && echo "bare: $(measure "$BARE" \
			"$URL/chat/completions" "$1" "$2" "$BODY")"
		i=$((i + 1))
	done
}

# med FILE WHO FIELD: median of field FIELD (1 cpu, 2 rss, 3 wall, 4 rc)
# of WHO's lines; the rc shown is the worst.
med() {
	python3 - "$@" <<'PY'
import statistics, sys
f, who, k = sys.argv[1], sys.argv[2] + ":", int(sys.argv[3])
v = [float(l.split()[k]) for l in open(f) if l.startswith(who)]
print(int(max(v)) if k == 4 else statistics.median(v))
PY
}

for w in $WHICH; do
case $w in
1)
	mock
	reps 20000 64 1 >"$T/r1"
	python3 -c 'import sys
pf, bare, pw, bw = map(float, sys.argv[1:5])
print("1. CPU per request, 20000 req, 64 in flight, no latency (median of %s): batch %.1f us (wall %.2f s, rc %s), bare curl loop %.1f us (wall %.2f s); bar <= 60 us: %s"
      % (sys.argv[6], pf / 20000 * 1e6, pw, sys.argv[5], bare / 20000 * 1e6, bw, "MET" if pf / 20000 * 1e6 <= 60 else "MISSED"))' \
		"$(med "$T/r1" pf 1)" "$(med "$T/r1" bare 1)" \
		"$(med "$T/r1" pf 3)" "$(med "$T/r1" bare 3)" \
		"$(med "$T/r1" pf 4)" "$REPS"
	;;
2)
	mock --latency 100-300
	reps 50000 1000 0 >"$T/r2"
	python3 -c 'import sys
w = float(sys.argv[1]); bar = 1.03 * (50000 * 0.2 / 1000 + 0.3)
print("2. 50000 req, latency 100-300 ms, 1000 in flight (median of %s): wall %.2f s (rc %s), bar %.2f s: %s"
      % (sys.argv[3], w, sys.argv[2], bar, "MET" if w <= bar else "MISSED"))' \
		"$(med "$T/r2" pf 3)" "$(med "$T/r2" pf 4)" "$REPS"
	;;
3)
	mock --latency 3000
	reps 20000 10000 1 >"$T/r3"
	python3 -c 'import sys
p, b = float(sys.argv[1]) / 1024, float(sys.argv[2]) / 1024
ok = p <= 200 and p <= 1.3 * b
print("3. peak RSS, 20000 req, 3 s latency, 10000 in flight (median of %s): batch %.1f MB (wall %.2f s, rc %s), bare loop %.1f MB (wall %.2f s); bar <= 200 MB and <= 1.3 x bare (%.1f MB): %s"
      % (sys.argv[6], p, float(sys.argv[3]), sys.argv[4], b, float(sys.argv[5]), 1.3 * b, "MET" if ok else "MISSED"))' \
		"$(med "$T/r3" pf 2)" "$(med "$T/r3" bare 2)" \
		"$(med "$T/r3" pf 3)" "$(med "$T/r3" pf 4)" \
		"$(med "$T/r3" bare 3)" "$REPS"
	;;
4)
	mock --rpm-limit 1800 --burst 60
	rm -f "$T/in.n"
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
