# llama-lib.sh - shared start of the real-inference tests (sourced after
# tests/tap.sh, with `here` set to the caller's directory and `lib_dir` to
# tests/server): makes the scratch dir T, starts the server through
# start-llama.sh, and skips the whole script when it cannot run (exit 77);
# else prints the plan "1..$1" and records the first TAP line (the server
# started). Sets port and rc.
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-llama.XXXXXX") || exit 1
trap '[ -s "$T/pid" ] && kill "$(cat "$T/pid")" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
port=$("$lib_dir/start-llama.sh" --pid-file "$T/pid" --log "$T/log" 2>"$T/err")
rc=$?
if [ $rc -eq 77 ]; then
	tap_skip_all "$(tail -n 1 "$T/err")"
fi
tap_plan "$1"
[ $rc -eq 0 ] && [ -n "$port" ]
tap_rc $? "the real-inference server starts (port $port)"
