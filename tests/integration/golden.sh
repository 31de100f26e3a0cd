#!/bin/sh
# golden.sh - the outputs of the demo config, a heavy config and a batch
# run (tests/golden/make.sh) are byte-identical to the recorded ones
# (tests/golden/SHA256SUMS). A refactoring must not change a byte of them;
# resume matches requests by req_hash, so one changed byte in a request
# body would silently pay again for every finished item. When an output
# change is intended, regenerate the sums with
#   sh tests/golden/make.sh DIR && (cd DIR && find . -type f | sort |
#   xargs sha256sum) > tests/golden/SHA256SUMS
# and say why in the commit.
. "${top_srcdir:-.}/tests/integration/lib.sh"
for t in sqlite3 python3 sha256sum; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t missing"
done
[ -x "$bld/tests/server/mockllm" ] || tap_skip_all "mockllm not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-golden.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

tap_plan 2
tap_check "golden outputs are produced" sh "$src/tests/golden/make.sh" "$T/g"
if (cd "$T/g" && sha256sum -c --quiet "$src/tests/golden/SHA256SUMS") \
	>"$T/sums" 2>&1 &&
	[ "$(cd "$T/g" && find . -type f | wc -l)" = \
	  "$(wc -l < "$src/tests/golden/SHA256SUMS")" ]; then
	tap_pass "every golden output is byte-identical to tests/golden/SHA256SUMS"
else
	tap_fail "golden outputs differ" "$(grep -v ': OK$' "$T/sums" | head -5 | tr '\n' ' ')"
fi
tap_end
