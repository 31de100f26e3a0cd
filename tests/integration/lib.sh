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

# scratch NAME: $T, a scratch directory (pf-NAME.XXXXXX under $TMPDIR)
# removed when the script ends or is interrupted; tap_check keeps its
# command's output in $T/check.out.
scratch() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/pf-$1.XXXXXX") || exit 1
	trap 'rm -rf "$T"' EXIT INT TERM
}

# need_python3: skip every test when python3 is missing.
need_python3() {
	command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 is missing"
}

# build_export NAME CONFIG PERSONAS FORMAT: an offline build of CONFIG
# with PERSONAS personas into $T/NAME.db (its messages in $T/NAME.out),
# exported as FORMAT into $T/NAME (the export's messages in
# $T/NAME.err). Fails when either fails.
build_export() {
	"$pf" build "$2" -o "$T/$1.db" --personas "$3" --backend offline \
		>"$T/$1.out" 2>&1 &&
		"$pf" export "$T/$1.db" --format "$4" -o "$T/$1" \
			>"$T/$1.err" 2>&1
}

# tap_build_export DESCRIPTION NAME CONFIG PERSONAS FORMAT: build_export
# as one test, passing as DESCRIPTION with the export's messages as
# diagnostics, or failing with the last lines of the build's and the
# export's messages.
tap_build_export() {
	_tbe_what=$1
	shift
	if build_export "$@"; then
		tap_pass "$_tbe_what"
		tap_diag <"$T/$1.err"
	else
		tap_fail "the build or export fails" \
			"$(tail -n 3 "$T/$1.out" "$T/$1.err" 2>/dev/null)"
	fi
}

# seven_types_config FILE NAME MCQ: 14 documents a persona of all seven
# types (noise 0.3), MCQ multiple-choice items a persona (0: none), no
# narrative, QA or preferences: mcq.sh's and personamem.sh's PersonaMem
# config (7 items), world.sh's all-types build (0).
seven_types_config() {
	cat >"$1" <<JSON
{"name": "$2", "seed": 42,
 "stages": {"narrative": {"enabled": false},
  "documents": {"per_persona": 14, "noise_ratio": 0.3,
   "types": ["conversation", "user_ai", "purchase", "email", "calendar",
             "note", "search"]},
  "qa": {"per_persona": 0}, "preferences": {"per_persona": 0},
  "mcq": {"per_persona": $3}}}
JSON
}
