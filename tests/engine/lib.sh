# lib.sh - shared helpers of the tests/engine/*.sh TAP scripts (sourced).
#
# Sets PF (the personaforge binary), MOCK (mockllm), T (a scratch dir
# removed at exit); needs() prints "1..0 # SKIP" and exits when a tool is
# missing; mock_start starts a mockllm on an ephemeral port (PORT, BASE);
# gen_input writes a batch input file; check_out compares an output with
# its input (every custom_id once, in order). TAP lines: tests/tap.sh.

PF=${PERSONAFORGE:-${top_builddir:-.}/src/personaforge}
MOCK=${MOCKLLM:-${top_builddir:-.}/tests/server/mockllm}
PIDS=""
. "${top_srcdir:-.}/tests/tap.sh"

needs() {
	for t in "$@"; do
		case $t in
		*/*) [ -x "$t" ] || tap_skip_all "$t not built" ;;
		*) command -v "$t" >/dev/null 2>&1 ||
			tap_skip_all "$t not installed" ;;
		esac
	done
}

needs "$PF" "$MOCK" curl python3 sqlite3
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-engine.XXXXXX") || exit 1

cleanup() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# ndone JOURNAL: the number of done rows in a batch journal (0 before it
# exists); wait_done JOURNAL N PID: wait (60 s at most) until the journal
# holds more than N done rows or PID has ended.
ndone() {
	_d=
	[ -s "$1" ] && _d=$(sqlite3 "$1" \
		"select count(*) from journal where state='done'" 2>/dev/null)
	echo "${_d:-0}"
}
wait_done() {
	_i=0
	while [ $_i -lt 600 ] && kill -0 "$3" 2>/dev/null &&
	    [ "$(ndone "$1")" -le "$2" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# mock_start NAME ARGS...: start mockllm; sets PORT and BASE (.../v1).
mock_start() {
	_name=$1
	shift
	rm -f "$T/$_name.port"
	"$MOCK" --quiet --port 0 --port-file "$T/$_name.port" "$@" \
		2>"$T/$_name.err" &
	eval "MPID_$_name=$!"
	PIDS="$PIDS $!"
	_i=0
	while [ ! -s "$T/$_name.port" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	PORT=$(cat "$T/$_name.port" 2>/dev/null)
	BASE=http://127.0.0.1:$PORT/v1
}

# mock_stop NAME
mock_stop() {
	eval "_p=\$MPID_$1"
	kill -TERM "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

# stats PORT FIELD...: print mockllm /stats fields (dotted paths).
stats() {
	_port=$1
	shift
	curl -s "http://127.0.0.1:$_port/stats" | python3 -c '
import json, sys
d = json.load(sys.stdin)
out = []
for path in sys.argv[1:]:
    v = d
    for k in path.split("."):
        v = v.get(k, 0) if isinstance(v, dict) else 0
    out.append(str(v))
print(" ".join(out))' "$@"
}

# gen_input N FILE [BODY_EXTRA]: N lines, custom_id req-00001..., a model
# in each body; BODY_EXTRA is appended inside the body object.
gen_input() {
	python3 - "$1" "$2" "${3:-}" <<'PY'
import sys
n, path, extra = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path, "w") as f:
    for i in range(1, n + 1):
        f.write('{"custom_id":"req-%05d","method":"POST","url":'
                '"/v1/chat/completions","body":{"model":"mock",'
                '"messages":[{"role":"user","content":"line %d"}]%s}}\n'
                % (i, i, extra))
PY
}

# check_out IN OUT: every input custom_id exactly once, in input order,
# each line with either a 200 response or an error. Prints the number of
# error lines on stdout; exit status 1 (and a reason on stderr) if not.
check_out() {
	python3 - "$1" "$2" <<'PY'
import json, sys
ids = [json.loads(l)["custom_id"] for l in open(sys.argv[1]) if l.strip()]
try:
    out = [json.loads(l) for l in open(sys.argv[2])]
except Exception as e:
    sys.stderr.write("output unreadable: %s\n" % e); sys.exit(1)
got = [o.get("custom_id") for o in out]
if got != ids:
    sys.stderr.write("custom_ids differ: %d in, %d out\n" % (len(ids), len(got)))
    sys.exit(1)
errs = 0
for o in out:
    r, e = o.get("response"), o.get("error")
    if e is not None:
        errs += 1
        if r is not None or not e.get("message"):
            sys.stderr.write("bad error line %r\n" % o); sys.exit(1)
    elif r is None or r.get("status_code") != 200 or \
            "choices" not in r.get("body", {}):
        sys.stderr.write("bad response line %r\n" % o); sys.exit(1)
print(errs)
PY
}
