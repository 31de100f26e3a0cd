#!/bin/sh
# readonly.sh - stats and export of a dataset in a read-only folder,
# owned by another user, run as an unprivileged user; prints TAP.
#
# The datasets: a finished build (one file, rollback mode) and the same
# file switched to WAL mode with no log beside it (as an older build or
# a crash after the last checkpoint leaves it). Neither command may fail
# or leave -wal/-shm files. Needs root and setpriv or su to run as
# nobody; SKIP otherwise.
#
# Environment (set by make check): PERSONAFORGE, top_srcdir.
set -u
PF=${PERSONAFORGE:-./src/personaforge}
SRC=${top_srcdir:-.}
case $PF in /*) ;; *) PF=$(pwd)/$PF ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$SRC/tests/tap.sh"

# as_nobody CMD...: run CMD as nobody.
if [ "$(id -u)" != 0 ]; then
	tap_skip_all "not root: cannot run as another user"
elif setpriv --reuid=nobody --regid=nogroup --clear-groups true \
    2>/dev/null; then
	as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
elif su nobody -s /bin/sh -c true 2>/dev/null; then
	as_nobody() { su nobody -s /bin/sh -c '"$0" "$@"' "$@"; }
else
	tap_skip_all "neither setpriv nor su can run as nobody"
fi
command -v sqlite3 >/dev/null 2>&1 ||
	tap_skip_all "sqlite3 missing"
as_nobody test -x "$PF" ||
	tap_skip_all "nobody cannot run $PF"

T=$(mktemp -d "${TMPDIR:-/tmp}/pf-ro.XXXXXX") || exit 1
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$T"
# verdict RC NAME: the result, with the command's stderr when it failed.
verdict() {
	tap_rc "$1" "$2"
	[ "$1" -eq 0 ] || [ ! -s "$T/err" ] || tap_diag <"$T/err"
}
alone() { [ ! -e "$1-wal" ] && [ ! -e "$1-shm" ]; }

tap_plan 8
cd "$T" || exit 1
"$PF" build "$SRC/tests/data/cli.json" --personas 3 -o t.db -q 2>err
alone t.db && [ "$(sqlite3 t.db 'PRAGMA journal_mode')" = delete ]
verdict $? "a finished build leaves one file in rollback mode"
"$PF" stats t.db >/dev/null 2>err && alone t.db
verdict $? "stats of a finished dataset leaves no -wal/-shm"

mkdir ro wal out && chmod 777 out
cp t.db ro/ && cp t.db wal/ && sqlite3 wal/t.db 'PRAGMA journal_mode=WAL' \
	>/dev/null && alone wal/t.db || tap_bail "no fixtures"
chmod a-w ro wal ro/t.db wal/t.db
for d in ro wal; do
	as_nobody "$PF" stats "$d/t.db" >"$d.stats" 2>err &&
		grep -q '^  personas  *3 ' "$d.stats"
	verdict $? "stats as nobody, read-only folder ($d)"
	as_nobody "$PF" export "$d/t.db" --format xml -o "out/$d.xml" -q 2>err &&
		"$PF" export t.db --format xml -o ref.xml -q && cmp -s ref.xml "out/$d.xml"
	verdict $? "export as nobody, read-only folder ($d), same bytes"
	alone "$d/t.db" && [ -z "$(ls "$d" | grep -v '^t\.db$')" ]
	verdict $? "nothing created beside the dataset ($d)"
done
tap_end
