#!/bin/sh
# export.sh - CLI tests for personaforge export and stats; prints TAP.
#
# The cases live in tests/cli/export/cases.tsv (args -> exit code and a
# stderr substring). The good dataset is written by the unit test binary
# (tests/unit/test_export --make-fixture), so it has the real schema.
# After the table: the XML validates against output/personaforge.xsd
# (SKIP without xmllint) and exports are byte-identical run to run.
#
# Environment (set by make check): PERSONAFORGE, top_srcdir, top_builddir.
set -u

PF=${PERSONAFORGE:-./src/personaforge}
SRC=${top_srcdir:-.}
BLD=${top_builddir:-.}
CASES=$SRC/tests/cli/export/cases.tsv
XSD=$SRC/output/personaforge.xsd
TAB=$(printf '\t')
. "$SRC/tests/tap.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/pf-cli-export.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

# An empty SQLite database (one 512-byte page, no tables) whose
# user_version is the 4 big-endian bytes given as printf octal escapes.
mkdb() {
	{
		printf 'SQLite format 3\000'
		printf '\002\000\001\001\000\100\040\040'  # page 512, formats
		printf '\000\000\000\001\000\000\000\001'  # change no., pages
		printf '\000\000\000\000\000\000\000\000'  # no free list
		printf '\000\000\000\001\000\000\000\004'  # cookie, format 4
		printf '\000\000\000\000\000\000\000\000'  # cache, vacuum root
		printf '\000\000\000\001'                  # UTF-8
		printf "$2"                                # user_version
		dd if=/dev/zero bs=28 count=1 2>/dev/null  # reserved
		printf '\000\000\000\001\000\056\143\001'  # valid-for, 3.40.1
		printf '\015\000\000\000\000\002\000\000'  # empty leaf page
		dd if=/dev/zero bs=404 count=1 2>/dev/null
	} >"$1"
}

if ! "$BLD/tests/unit/test_export" --make-fixture "$T/good.db" \
    >/dev/null 2>&1; then
	tap_bail "cannot write the fixture dataset"
fi
printf 'this is not a database\n' >"$T/notdb.txt"
mkdb "$T/future.db" '\000\000\000\143'
mkdb "$T/old.db" '\000\000\000\001'
mkdb "$T/empty.db" '\000\000\000\000'
# damaged.db: one byte of a document's text changed behind the writer's
# back (its row_sum no longer matches)
cp "$T/good.db" "$T/damaged.db"
python3 - "$T/damaged.db" <<'PY' || tap_bail "cannot write damaged.db"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE document SET title = 'T2!' WHERE doc_id = 'p000001-d2'")
db.commit()
PY
: >"$T/blocked"

ncases=$(grep -v -e '^#' -e '^$' "$CASES" | wc -l)
tap_plan $((ncases + 7))

# Run one case: name, expected status, stderr substring, args.
run_case() {
	name=$1 want=$2 msg=$3 args=$4 out=$T/out.$((tap_n + 1))
	args=$(printf '%s\n' "$args" | sed -e "s|@DB@|$T/good.db|g" \
		-e "s|@NOTDB@|$T/notdb.txt|g" -e "s|@FUTURE@|$T/future.db|g" \
		-e "s|@OLD@|$T/old.db|g" -e "s|@DAMAGED@|$T/damaged.db|g" \
		-e "s|@EMPTY@|$T/empty.db|g" -e "s|@MISSING@|$T/missing.db|g" \
		-e "s|@OUT@|$out|g" -e "s|@BLOCKED@|$T/blocked|g")
	set -f
	# shellcheck disable=SC2086
	"$PF" $args >"$T/stdout" 2>"$T/stderr"
	got=$?
	set +f
	if [ "$got" -ne "$want" ]; then
		tap_fail "$name: exit $got, want $want"
		tap_diag <"$T/stderr"
	elif [ "$msg" != "-" ] && ! grep -F -q -e "$msg" "$T/stderr"; then
		tap_fail "$name: stderr lacks '$msg'"
		tap_diag <"$T/stderr"
	elif [ "$want" -eq 0 ] && [ -s "$T/stderr" ]; then
		tap_fail "$name: unexpected stderr"
		tap_diag <"$T/stderr"
	else
		tap_pass "$name"
	fi
}

while IFS="$TAB" read -r name want msg args; do
	case $name in '' | '#'*) continue ;; esac
	run_case "$name" "$want" "$msg" "$args"
done <"$CASES"

# The XML, with and without quarantined rows, validates against the XSD.
for q in "" --include-quarantined; do
	"$PF" export "$T/good.db" --format xml -o "$T/v.xml" $q 2>/dev/null
	if ! command -v xmllint >/dev/null 2>&1; then
		tap_skip "xml${q:+ $q} validates" "xmllint not installed"
	elif xmllint --noout --schema "$XSD" "$T/v.xml" 2>"$T/stderr"; then
		tap_pass "xml${q:+ $q} validates against personaforge.xsd"
	else
		tap_fail "xml${q:+ $q} validates against personaforge.xsd"
		tap_diag <"$T/stderr"
	fi
done

# Same dataset, same bytes.
"$PF" export "$T/good.db" --format xml -o "$T/d1.xml" 2>/dev/null
"$PF" export "$T/good.db" --format xml -o "$T/d2.xml" 2>/dev/null
cmp -s "$T/d1.xml" "$T/d2.xml"
tap_rc $? "xml export is deterministic"
"$PF" export "$T/good.db" --format jsonl -o "$T/j1" 2>/dev/null
"$PF" export "$T/good.db" --format jsonl -o "$T/j2" 2>/dev/null
differ=0
for f in personas.jsonl backstory_turns.jsonl documents.jsonl facts.jsonl \
    qa.jsonl preference_pairs.jsonl findings.jsonl metrics.jsonl \
    provenance.json; do
	cmp -s "$T/j1/$f" "$T/j2/$f" || { differ=1; tap_diag "$f differs"; }
done
tap_rc $differ "jsonl export is deterministic"

# verify names each damaged row on stdout, then a summary line.
"$PF" verify "$T/damaged.db" >"$T/vout" 2>&1
grep -q "damaged.db: damaged: table document, row doc_id=p000001-d2: checksum mismatch" "$T/vout" &&
	grep -q "damaged.db: DAMAGED: integrity_check ok; .* 1 damaged;" "$T/vout"
tap_rc $? "verify names the damaged row and counts it"
"$PF" verify "$T/good.db" >"$T/vout" 2>&1 &&
	grep -q "good.db: intact: integrity_check ok; .* 0 damaged; .* 0 damaged" "$T/vout"
tap_rc $? "verify of an intact dataset says so"

# A second export replaces the first and leaves no temporary file.
"$PF" export "$T/good.db" --format jsonl -o "$T/j1" 2>/dev/null
! ls -a "$T/j1" | grep -q '\.tmp'
tap_rc $? "no temporary files left"

tap_end
