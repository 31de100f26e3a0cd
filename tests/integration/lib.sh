# lib.sh - shared helpers of the tests/integration/*.sh scripts (sourced):
# the TAP helpers of tests/tap.sh, eq to compare two strings, q to run one
# SQL query on a dataset, exports and same for the exports of a dataset.
: "${PERSONAFORGE:?PERSONAFORGE must name the binary}"
src=${top_srcdir:-.}
bld=${top_builddir:-.}
pf=$PERSONAFORGE
. "$src/tests/tap.sh"

# heavy_test: call first in a figure test over a 10,000-persona build. The
# sanitizer run (PF_SANITIZED) and make distcheck (PF_SKIP_HEAVY=1, set
# by .ci/run) skip it: the README's test command runs it, and the smaller
# tests run the same code under the sanitizers.
heavy_test() {
	if [ -n "${PF_SANITIZED:-}" ] || [ -n "${PF_SKIP_HEAVY:-}" ]; then
		tap_skip_all "a 10,000-persona figure test: run by the README's test command, not under sanitizers or distcheck"
	fi
}

eq() { [ "$1" = "$2" ] || { echo "got '$1', want '$2'"; return 1; }; }
q() { sqlite3 "$1" "$2"; }

# exports DB PREFIX: XML and JSONL exports; same P1 P2: byte-identical.
exports() {
	"$pf" export "$1" --format xml -o "$2.xml" &&
	"$pf" export "$1" --format jsonl -o "$2.jsonl"
}
same() { cmp "$1.xml" "$2.xml" && diff -r "$1.jsonl" "$2.jsonl"; }

# numpy_python: set py to a python3 that has numpy (Debian's
# python3-numpy; a python3 earlier on PATH may lack it), or skip all.
numpy_python() {
	py=
	for c in python3 /usr/bin/python3; do
		if "$c" -c "import numpy" >/dev/null 2>&1; then
			py=$c
			return 0
		fi
	done
	tap_skip_all "no python3 with numpy"
}
