# llama-lib.sh - shared start of the real-inference tests (sourced, with
# `here` set to the caller's directory and `lib_dir` to tests/server):
# makes the scratch dir T, starts the server through start-llama.sh, and
# prints "1..0 # SKIP" and exits when it cannot run (exit 77); else prints
# the plan "1..$1", defines ok STATUS NAME, and records the first TAP line
# (the server started). Sets port, rc, n and failed.
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-llama.XXXXXX") || exit 1
trap '[ -s "$T/pid" ] && kill "$(cat "$T/pid")" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
port=$("$lib_dir/start-llama.sh" --pid-file "$T/pid" --log "$T/log" 2>"$T/err")
rc=$?
if [ $rc -eq 77 ]; then
	echo "1..0 # SKIP $(tail -n 1 "$T/err")"
	exit 0
fi
echo "1..$1"
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
[ $rc -eq 0 ] && [ -n "$port" ]
ok $? "the real-inference server starts (port $port)"
