#!/bin/sh
# run.sh - data-driven CLI tests of personaforge, as TAP.
#
# usage: run.sh [TEST...]
# Each TEST is a .test file, or a prefix P standing for every
# tests/cli/P-*.test; with none, every tests/cli/*.test runs. make check
# runs it once per .test file (TEST_LOG_COMPILER in tests/cli/cli.mk).
#
# A .test file is one test:
#   # comment lines
#   args: ARGUMENTS AFTER personaforge (shell words)
#   exit: EXPECTED EXIT CODE
#   env: NAME=VALUE...  exported for the command only (shell words; may
#                       repeat)
#   todo: WHY           a known bug: the result is reported as TODO
#   --- file NAME       a fixture, written to the test's scratch dir
#   --- setup           shell commands run before the command; must exit 0
#   --- stdout          the exact expected stdout (empty when absent,
#                       unless stdout-has is given)
#   --- stderr          the exact expected stderr (unchecked when absent)
#   --- stdout-has      fixed strings, one a line, stdout must contain
#   --- stderr-has      the same for stderr
#   --- check           shell commands run after the command; must exit 0
# A section runs to the next "--- " line. Everything runs in the scratch
# dir, so fixtures are named by relative paths. Setup and check scripts
# run under "set -e" and may use $PERSONAFORGE, $top_srcdir, $STDOUT and
# $STDERR (the files holding the command's output, for check) and:
#   snapshot_tree       record every file of the scratch dir and its
#                       checksum
#   unchanged_tree      fail unless the scratch dir holds the same files
#                       with the same bytes as at snapshot_tree
#   background CMD...   start CMD in the background; it is killed after
#                       the test
#   running             fail unless every background command still runs
#   wait_file FILE      wait (up to 30 s) until FILE exists and is not empty
# The helpers below are called from the sourced setup and check scripts.
# shellcheck disable=SC1090,SC2013,SC2034,SC2181,SC2317
set -u
: "${PERSONAFORGE:?PERSONAFORGE must name the binary}"
: "${top_srcdir:=.}"
export PERSONAFORGE top_srcdir
. "$top_srcdir/tests/tap.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pf-cli.XXXXXX") || exit 1
trap 'stop_background; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Every file under the current directory with its checksum.
tree() {
	find . -type f | LC_ALL=C sort | while IFS= read -r f; do
		cksum "$f"
	done
}

snapshot_tree() {
	tree >"$test_dir/tree.before"
}

unchanged_tree() {
	tree >"$test_dir/tree.after"
	diff "$test_dir/tree.before" "$test_dir/tree.after"
}

background() {
	"$@" </dev/null >>background.log 2>&1 &
	echo $! >>"$tmp/pids"
}

running() {
	for p in $(cat "$tmp/pids"); do
		kill -0 "$p" || { echo "background $p has ended" >&2; return 1; }
	done
}

wait_file() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ "$i" -le 300 ] || { echo "$1 never appeared" >&2; return 1; }
		sleep 0.1 2>/dev/null || sleep 1
	done
}

# Kill what background() started and wait until it is gone.
stop_background() {
	[ -f "$tmp/pids" ] || return 0
	for p in $(cat "$tmp/pids"); do
		kill "$p" 2>/dev/null || continue
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			i=$((i + 1))
			sleep 0.1 2>/dev/null || sleep 1
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -f "$tmp/pids"
}

# split TEST DIR: write DIR/args, exit, env, todo, the sections as
# DIR/<section> and the fixtures under DIR/files.
split() {
	mkdir -p "$2/files" && : >"$2/stdout" && : >"$2/env" &&
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
	/^--- (setup|stdout|stderr|stdout-has|stderr-has|check)$/ {
		open_out(d "/" substr($0, 5)); next
	}
	/^--- / { print "unknown section: " $0 > "/dev/stderr"; exit 1 }
	out == "" && /^(args|exit|env|todo): / {
		key = substr($0, 1, index($0, ":") - 1)
		print substr($0, length(key) + 3) >> (d "/" key)
		next
	}
	out == "" { next }
	{ print > out }
	' "$1" && [ -f "$2/args" ] && [ -f "$2/exit" ]
}

# script DIR NAME: run DIR/NAME (setup or check) in DIR/files, if any.
# Not called where its status is tested, or "set -e" would not apply.
script() {
	[ -f "$1/$2" ] || return 0
	(set -e; cd "$1/files"; test_dir=$1
	 STDOUT=$1/got.stdout STDERR=$1/got.stderr
	 . "$1/$2") >"$1/$2.log" 2>&1
}

# has WANT GOT: every line of WANT occurs in GOT.
has() {
	while IFS= read -r line; do
		grep -qF -e "$line" "$2" || { echo "# missing: $line"; return 1; }
	done <"$1"
}

# compare DIR: check the output; set why.
compare() {
	[ "$rc" = "$(cat "$1/exit")" ] || why="exit $rc, want $(cat "$1/exit")"
	for s in stdout stderr; do
		if [ -f "$1/$s-has" ]; then
			has "$1/$s-has" "$1/got.$s" ||
				why="$why${why:+; }$s lacks a line"
		elif [ -f "$1/$s" ] && ! cmp -s "$1/$s" "$1/got.$s"; then
			why="$why${why:+; }$s differs"
			diff "$1/$s" "$1/got.$s" | sed 's/^/# /'
		fi
	done
}

# check NAME DIR: run the test in DIR; print its TAP line and diagnostics.
check() {
	why=
	rc=
	script "$2" setup
	[ $? = 0 ] || why="setup failed"
	if [ -z "$why" ]; then
		(cd "$2/files" &&
		 eval "export PERSONAFORGE $(tr '\n' ' ' <"$2/env")" &&
		 eval "exec \"\$PERSONAFORGE\" $(cat "$2/args")") \
			>"$2/got.stdout" 2>"$2/got.stderr"
		rc=$?
		compare "$2"
		script "$2" check
		[ $? = 0 ] || why="$why${why:+; }check failed"
	fi
	stop_background
	todo=
	[ -f "$2/todo" ] && todo=$(cat "$2/todo")
	if [ -z "$why" ]; then
		tap_pass "$1${todo:+ # TODO $todo}"
		return
	fi
	if [ -n "$todo" ]; then
		tap_todo "$1: $why" "$todo"
	else
		tap_fail "$1" "$why"
	fi
	for f in setup.log check.log got.stderr; do
		[ "$f" = got.stderr ] && [ -f "$2/stderr" ] && continue
		[ -s "$2/$f" ] && tap_diag <"$2/$f" | sed "s/^# /# $f: /"
	done
}

# The test files named by the arguments.
list() {
	[ $# -gt 0 ] || set -- ""
	for a in "$@"; do
		case $a in
		*.test) echo "$a" ;;
		"") ls "$top_srcdir"/tests/cli/*.test ;;
		*) ls "$top_srcdir"/tests/cli/"$a"-*.test ;;
		esac
	done
}

files=$(list "$@" 2>/dev/null)
[ -n "$files" ] || tap_skip_all "no test files"
tap_plan "$(echo "$files" | wc -l | tr -d ' ')"
for t in $files; do
	dir=$tmp/$((tap_n + 1))
	name=$(basename "$t" .test)
	if ! split "$t" "$dir"; then
		tap_fail "$name" "cannot read the test file"
	else
		check "$name" "$dir"
	fi
done
tap_end
