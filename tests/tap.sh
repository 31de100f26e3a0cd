# tap.sh - the TAP helpers of every shell test (sourced; POSIX sh).
#
# Scripts source it as "${top_srcdir:-.}/tests/tap.sh" (directly or through
# their folder's lib.sh) and print their results only through it:
#
#   tap_plan N            print the plan "1..N" (before the first result)
#   tap_skip_all WHY      print "1..0 # SKIP WHY" and exit 0: nothing can run
#   tap_bail WHY          print "Bail out! WHY" and exit 1
#   tap_pass NAME         "ok N - NAME"
#   tap_fail NAME [WHY]   "not ok N - NAME[: WHY]"; the script will fail
#   tap_skip NAME WHY     "ok N - NAME # SKIP WHY"
#   tap_todo NAME WHY     "not ok N - NAME # TODO WHY": a known bug, does not
#                         fail the script
#   tap_rc RC NAME        tap_pass NAME when RC is 0, else tap_fail NAME
#                         (for "CMD; tap_rc $? NAME")
#   tap_check NAME CMD... run CMD; tap_pass NAME when it exits 0, else
#                         tap_fail with the last lines of its output
#   tap_diag [TEXT...]    TEXT, or stdin without TEXT, as "# " comment lines
#   tap_end               exit 0 when nothing failed, else 1; says so when
#                         the count of results differs from the plan
#
# tap_check keeps CMD's output in ${T:-.}/check.out: in the script's own
# temporary directory $T when it has one, never shared by two scripts.
tap_n=0
tap_failed=0
tap_planned=

tap_plan() {
	tap_planned=$1
	echo "1..$1"
}

tap_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

tap_bail() {
	echo "Bail out! $1"
	exit 1
}

tap_pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

tap_fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1${2:+: $2}"
}

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

tap_todo() {
	tap_n=$((tap_n + 1))
	echo "not ok $tap_n - $1 # TODO $2"
}

tap_rc() {
	if [ "$1" -eq 0 ]; then tap_pass "$2"; else tap_fail "$2"; fi
}

tap_check() {
	_tap_name=$1
	shift
	if "$@" >"${T:-.}/check.out" 2>&1; then
		tap_pass "$_tap_name"
	else
		tap_fail "$_tap_name" \
			"$(tail -n 3 "${T:-.}/check.out" | tr '\n' ' ')"
	fi
}

tap_diag() {
	if [ $# -gt 0 ]; then
		echo "# $*"
	else
		sed 's/^/# /'
	fi
}

tap_end() {
	if [ -n "$tap_planned" ] && [ "$tap_n" -ne "$tap_planned" ]; then
		echo "# ran $tap_n tests, planned $tap_planned"
		exit 1
	fi
	[ "$tap_failed" -eq 0 ] && exit 0
	exit 1
}
