# lib.sh - shared helpers of the tests/integration/*.sh scripts (sourced):
# the TAP helpers of tests/tap.sh, eq to compare two strings, q to run one
# SQL query on a dataset, exports and same for the exports of a dataset.
: "${PERSONAFORGE:?PERSONAFORGE must name the binary}"
src=${top_srcdir:-.}
bld=${top_builddir:-.}
pf=$PERSONAFORGE
. "$src/tests/tap.sh"

eq() { [ "$1" = "$2" ] || { echo "got '$1', want '$2'"; return 1; }; }
q() { sqlite3 "$1" "$2"; }

# exports DB PREFIX: XML and JSONL exports; same P1 P2: byte-identical.
exports() {
	"$pf" export "$1" --format xml -o "$2.xml" &&
	"$pf" export "$1" --format jsonl -o "$2.jsonl"
}
same() { cmp "$1.xml" "$2.xml" && diff -r "$1.jsonl" "$2.jsonl"; }
