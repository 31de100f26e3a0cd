#!/bin/sh
# template.sh - CLI tests of `personaforge template render`, as TAP.
#
# Each tests/cli/template-*.test file is one test:
#   # comment lines
#   args: ARGUMENTS AFTER personaforge (shell words)
#   exit: EXPECTED EXIT CODE
#   --- file NAME       a fixture, written to the test's scratch dir
#   --- stdout          the exact expected stdout (empty when absent)
#   --- stderr          the exact expected stderr (unchecked when absent)
# A section runs to the next "--- " line. The command runs in the scratch
# dir, so fixtures are named by relative paths.
set -u
: "${PERSONAFORGE:?PERSONAFORGE must name the binary}"
srcdir=${top_srcdir:-.}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pf-template.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# split TEST DIR: write DIR/args, DIR/exit, DIR/want.out, DIR/want.err and
# the fixtures under DIR/files.
split() {
	mkdir -p "$2/files" && : >"$2/want.out" &&
	awk -v d="$2" '
	function open_out(path,   dir) {
		if (out != "")
			close(out)
		out = path
		dir = path
		sub(/\/[^\/]*$/, "", dir)
		system("mkdir -p \"" dir "\"")
		printf "" > out
	}
	/^--- file / { open_out(d "/files/" substr($0, 10)); next }
	/^--- stdout$/ { open_out(d "/want.out"); next }
	/^--- stderr$/ { open_out(d "/want.err"); next }
	out == "" && /^args: / { print substr($0, 7) > (d "/args"); next }
	out == "" && /^exit: / { print substr($0, 7) > (d "/exit"); next }
	out == "" { next }
	{ print > out }
	' "$1"
}

# check NAME DIR: run the test in DIR; print its TAP line.
check() {
	why=
	(cd "$2/files" &&
	 eval "exec \"\$PERSONAFORGE\" $(cat "$2/args")") \
		>"$2/got.out" 2>"$2/got.err"
	rc=$?
	[ "$rc" = "$(cat "$2/exit")" ] || why="exit $rc, want $(cat "$2/exit")"
	cmp -s "$2/want.out" "$2/got.out" || why="$why${why:+; }stdout differs"
	if [ -f "$2/want.err" ] && ! cmp -s "$2/want.err" "$2/got.err"; then
		why="$why${why:+; }stderr differs"
	fi
	if [ -z "$why" ]; then
		echo "ok $n - $1"
		return 0
	fi
	echo "not ok $n - $1: $why"
	for f in out err; do
		[ -f "$2/want.$f" ] || continue
		diff "$2/want.$f" "$2/got.$f" | sed 's/^/# /'
	done
	return 1
}

set -- "$srcdir"/tests/cli/template-*.test
[ -f "$1" ] || { echo "1..0 # SKIP no template-*.test files"; exit 0; }
echo "1..$#"
n=0
status=0
for t in "$@"; do
	n=$((n + 1))
	name=$(basename "$t" .test)
	if ! split "$t" "$tmp/$name"; then
		echo "not ok $n - $name: cannot read the test file"
		status=1
	elif ! check "$name" "$tmp/$name"; then
		status=1
	fi
done
exit $status
