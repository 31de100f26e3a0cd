#!/bin/sh
# replay.sh - every fuzz target's seed corpus (tests/fuzz/corpus/T/) and
# every crash ever found (tests/fuzz/regress/T/) through the target's
# plain main() (tests/fuzz/main.c), built by make check with the ordinary
# compiler; prints TAP. A regression crashes its driver.
# Environment (set by make check): top_srcdir, top_builddir.
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
. "$src/tests/tap.sh"
targets="mustache config reply batch"
tap_plan 4
for t in $targets; do
	out=$("$bld/tests/fuzz/fuzz_$t" "$src/tests/fuzz/corpus/$t" \
		"$src/tests/fuzz/regress/$t" 2>/dev/null)
	rc=$?
	[ $rc -eq 0 ] && echo "$out" | grep -q ' inputs ran$'
	tap_rc $? "$t: $out"
done
tap_end
