#!/bin/sh
# corrupt.sh - single-byte damage across a finished dataset is either
# harmless or reported, and a resume never copies it into the data;
# prints TAP.
#
# A 40-persona offline build is exported once as the reference. Then, for
# each of 64 positions spread evenly over the file plus targeted ones (a
# document's text, a journal row's request hash (an offline build keeps
# no reply text there: the hash covers it), a persona's name, the page
# header of a data page, a row's checksum, two column names in the
# schema), a copy gets one byte flipped and:
#   - export: exit 0 with output byte-identical to the reference, or a
#     non-zero exit with a message (11 for a damaged row or page);
#   - verify: exit 0 only when the export was identical;
#   - build again (resume), then export: identical, or a non-zero exit:
#     never exit 0 with other output.
# Environment (set by make check): PERSONAFORGE, top_srcdir.
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
case $pf in /*) PF=$pf ;; *) PF=$(pwd)/$pf ;; esac
case $src in /*) SRC=$src ;; *) SRC=$(pwd)/$src ;; esac
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 missing"

T=$(mktemp -d "${TMPDIR:-/tmp}/pf-corrupt.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
cd "$T" || exit 1
CFG=$SRC/examples/demo.json
N=40

"$PF" build "$CFG" --personas $N -o clean.db -q 2>err &&
	"$PF" export clean.db --format jsonl -o ref -q 2>>err ||
	{ cat err >&2; tap_bail "cannot build the reference dataset"; }

# flip FILE POS: xor the byte at POS with 0x5a.
flip() {
	python3 -c 'import sys
p = int(sys.argv[2])
with open(sys.argv[1], "r+b") as f:
    f.seek(p); b = f.read(1); f.seek(p); f.write(bytes([b[0] ^ 0x5a]))' \
		"$1" "$2"
}
# at STRING: the offset of the first occurrence of STRING in clean.db.
at() {
	python3 -c 'import sys
d = open("clean.db", "rb").read()
print(d.find(sys.argv[1].encode()) + len(sys.argv[1]) // 2)' "$1"
}

size=$(wc -c <clean.db)
pgsz=$(sqlite3 clean.db 'PRAGMA page_size')
doc=$(sqlite3 clean.db "SELECT substr(content, 20, 24) FROM document
	WHERE doc_id = 'p000007-d2'")
reply=$(sqlite3 clean.db "SELECT substr(req_hash, 20, 24) FROM journal
	WHERE item_id = 'p000011/narrative/0'")
name=$(sqlite3 clean.db "SELECT name FROM persona WHERE persona_id = 13")
# the b-tree page header of the page holding the document above
dpage=$(( $(at "$doc") / pgsz * pgsz ))
# a persona column's name and a backstory_turn column's name in the
# schema text (first occurrence: page 1), which integrity_check and the
# row checksums do not cover
positions="$(at "$doc") $(at "$reply") $(at "$name") $dpage
	$(at '"economic_status"') $(at '"critic"')"
i=0
while [ $i -lt 64 ]; do
	positions="$positions $(( (i * 2 + 1) * size / 128 + (i * 37) % 101 ))"
	i=$((i + 1))
done

count=$(echo $positions | wc -w)
tap_plan $((count * 2 + 1))
tap_diag "dataset: $size bytes, page size $pgsz, $count positions"
silent=0 reported=0 harmless=0
for pos in $positions; do
	cp clean.db d.db
	flip d.db "$pos"
	rm -rf out
	"$PF" export d.db --format jsonl -o out -q 2>err
	erc=$?
	"$PF" verify d.db -q >vout 2>&1
	vrc=$?
	if [ $erc -eq 0 ] && diff -r ref out >/dev/null 2>&1; then
		harmless=$((harmless + 1))
		tap_pass "byte $pos: export identical (verify exit $vrc)"
	elif [ $erc -ne 0 ] && [ -s err ] && [ $vrc -ne 0 ]; then
		reported=$((reported + 1))
		tap_pass "byte $pos: reported (export exit $erc, verify exit $vrc)"
	else
		silent=$((silent + 1))
		tap_fail "byte $pos: export exit $erc, verify exit $vrc"
		tap_diag <err
		tap_diag <vout
	fi
	# the resume: build again, then export
	"$PF" build "$CFG" --personas $N -o d.db -q >/dev/null 2>&1
	rm -rf out
	if "$PF" export d.db --format jsonl -o out -q 2>err; then
		diff -r ref out >/dev/null 2>&1
		tap_rc $? "byte $pos: the resumed dataset exports identically"
	else
		tap_pass "byte $pos: the resumed dataset's export reports it"
	fi
done
tap_diag "$harmless harmless, $reported reported, $silent silent"
[ $silent -eq 0 ]
tap_rc $? "no flip passes silently"
tap_end
