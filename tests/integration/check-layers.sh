#!/bin/sh
# check-layers.sh - scripts/check-layers passes on this tree's own rules
# and reports each kind of bad include in a made-up tree.
. "${top_srcdir:-.}/tests/integration/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-layers.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 3

mk() { mkdir -p "$T/r/$(dirname "$1")"; printf '%s\n' "$2" >"$T/r/$1"; }
mkdir -p "$T/r" && cp "$src/ARCHITECTURE.md" "$T/r/"
mk base/a.c '#include "base/a.h"'
mk base/a.h '#include "config.h"'
mk llm/backend.h '#include "base/a.h"'
mk llm/openai.h '#include "llm/backend.h"'
mk engine/ok.c '#include "llm/backend.h"
#include "templates/m.h"'
mk templates/m.h ''
mk output/w.h ''
mk tests/t.c '#include "src/x.h"'
tap_check "a tree whose includes run down passes" sh "$src/scripts/check-layers" "$T/r"

mk engine/up.c '#include "output/w.h"'
mk engine/llm.c '#include "llm/openai.h"'
mk engine/side.c '#include "auditors/x.h"'
mk engine/p.c '#include "personas/persona.h"'
mk base/dots.c '#include "../x.h"'
mk base/bare.c '#include "x.h"'
mk stray/x.c ''
mk top.c ''
bad() {
	sh "$src/scripts/check-layers" "$T/r" >"$T/out" 2>&1 && return 1
	for want in 'engine/up.c:1: engine/ (rank 2) includes output/w.h (rank 3)' \
		'engine/llm.c:1: engine/ takes only llm/backend.h from llm/: llm/openai.h' \
		'engine/side.c:1: engine/ (rank 2) includes auditors/x.h (rank 2)' \
		'engine/p.c:1: engine/ takes nothing from personas/' \
		'base/dots.c:1: include with ..' \
		'base/bare.c:1: include without a folder: x.h' \
		'stray/x.c: not in a ranked folder' 'top.c: not in a ranked folder'; do
		grep -qF "$want" "$T/out" || { echo "missing: $want"; return 1; }
	done
	[ "$(grep -c ':' "$T/out")" -eq 9 ] || { cat "$T/out"; return 1; }
}
tap_check "each bad include is reported, and the check fails" bad
tap_check "--warn reports but exits 0" sh "$src/scripts/check-layers" --warn "$T/r"
tap_end
