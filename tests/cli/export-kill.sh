#!/bin/sh
# export-kill.sh - kill -9 during a large export, then export again: no
# temporary file is left; prints TAP.
#
# Environment (set by make check): PERSONAFORGE, top_srcdir.
set -u
PF=${PERSONAFORGE:-./src/personaforge}
SRC=${top_srcdir:-.}
case $PF in /*) ;; *) PF=$(pwd)/$PF ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$SRC/tests/tap.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-kill.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1
tmps() { ls -a "$1" | grep -c "^\.$2\.tmp"; }

tap_plan 3
"$PF" build "$SRC/tests/data/cli.json" --personas 2000 -o big.db -q ||
	tap_bail "cannot build the dataset"
mkdir j
# kill -9 each export as soon as its temporary exists.
killed=0
for f in xml jsonl; do
	out=big.xml dir=. name=big.xml
	[ $f = jsonl ] && out=j dir=j name=personas.jsonl
	n=0
	while [ $n -lt 20 ]; do
		"$PF" export big.db --format $f -o $out -q &
		pid=$!
		k=0
		while [ "$(tmps $dir $name)" -eq 0 ] && kill -0 $pid 2>/dev/null &&
		    [ $k -lt 2000 ]; do
			k=$((k + 1))
		done
		kill -9 $pid 2>/dev/null && wait $pid 2>/dev/null
		[ "$(tmps $dir $name)" -gt 0 ] && { killed=$((killed + 1)); break; }
		wait $pid 2>/dev/null
		n=$((n + 1))
	done
done
if [ $killed -eq 2 ]; then
	tap_pass "kill -9 mid-export leaves temporaries (xml and jsonl)"
else
	tap_skip "kill -9 mid-export" "exports ended before the kill"
fi
"$PF" export big.db --format xml -o big.xml -q &&
	[ "$(tmps . big.xml)" -eq 0 ] && [ -s big.xml ]
tap_rc $? "the next xml export removes them ($(ls -a | tr '\n' ' '))"
"$PF" export big.db --format jsonl -o j -q &&
	[ "$(ls -a j | grep -c '\.tmp')" -eq 0 ]
tap_rc $? "the next jsonl export removes them ($(ls -a j | tr '\n' ' '))"
tap_end
