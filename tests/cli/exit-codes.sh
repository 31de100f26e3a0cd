#!/bin/sh
# exit-codes.sh - one exit-code table: the codes `personaforge --help`
# lists (base/status.c) are exactly those of the README's "Exit status"
# table and of the man page's EXIT STATUS section; prints TAP.
# Environment (set by make check): PERSONAFORGE, top_srcdir.
set -u
PF=${PERSONAFORGE:-./src/personaforge}
SRC=${top_srcdir:-.}
. "$SRC/tests/tap.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"

tap_plan 3
help=$("$PF" --help) || tap_bail "personaforge --help failed"
codes=$(printf '%s\n' "$help" | sed -n '/^Exit status/,$p' |
	sed -n 's/^ *\([0-9][0-9]*\)  .*/\1/p' | tr '\n' ' ')
[ -n "$codes" ]
tap_rc $? "--help lists the exit codes: $codes"

# doc_codes FILE KIND: the codes FILE documents, in order
doc_codes() {
	python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2] == "readme":
    part = text.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    codes = re.findall(r"^\| (\d+) \|", part, re.M)
else:
    part = text.split(".SH EXIT STATUS", 1)[1].split("\n.SH ", 1)[0]
    codes = re.findall(r"^\.TP\n\.B (\d+)$", part, re.M)
print(" ".join(codes) + " ")
PY
}
got=$(doc_codes "$SRC/README.md" readme)
[ "$got" = "$codes" ]
tap_rc $? "README's exit-status table has the same codes ($got)"
got=$(doc_codes "$SRC/doc/personaforge.1" man)
[ "$got" = "$codes" ]
tap_rc $? "the man page's EXIT STATUS has the same codes ($got)"
tap_end
