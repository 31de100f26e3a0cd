# lib.sh - TAP helpers shared by the tests/integration/*.sh scripts
# (sourced). check NAME CMD... runs CMD and prints one TAP line, with the
# tail of its output as the reason when it fails; eq compares two strings;
# q runs one SQL query on a dataset; skip prints a SKIP line.
: "${PERSONAFORGE:?PERSONAFORGE must name the binary}"
src=${top_srcdir:-.}
bld=${top_builddir:-.}
pf=$PERSONAFORGE
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1${2:+: $2}"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
# The output goes to the script's temporary directory $T when it has one
# (else to the current one), never to the build tree: distcheck wants it
# clean, and two scripts running at once must not share one file.
check() {
	name=$1
	shift
	if "$@" >"${T:-.}/check.out" 2>&1; then
		ok "$name"
	else
		nok "$name" "$(tail -3 "${T:-.}/check.out" | tr '\n' ' ')"
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
