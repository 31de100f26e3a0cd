#!/bin/sh
# test-wire-llama.sh - the llama.cpp profile against real inference
# (node-llama-cpp + stories260K through start-llama.sh; SKIP when node, npm
# or the model are missing):
#  - a grammar is built from every shipped schema
#    (templates/prompts/*.schema.json) as derived for the llama.cpp profile
#    (tests/server/wireschema), with the same call the server makes;
#  - examples/llama-server.json builds 3 personas against the server with
#    no item failed by an HTTP error (content failures are fine, and carry
#    their reason).
here=$(cd "$(dirname "$0")" && pwd)
top=${top_srcdir:-$here/../..}
PF=${PERSONAFORGE:-${top_builddir:-.}/src/personaforge}
WS=${top_builddir:-.}/tests/server/wireschema
PERSONAFORGE_DATADIR=${PERSONAFORGE_DATADIR:-$top}
export PERSONAFORGE_DATADIR
. "$top/tests/tap.sh"
for t in sqlite3 node; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t not installed"
done
[ -x "$PF" ] && [ -x "$WS" ] || tap_skip_all "$PF or $WS not built"
schemas=$(ls "$top"/templates/prompts/*.schema.json)
lib_dir=$here
set -- $(($(echo "$schemas" | wc -l) + 4))
. "$lib_dir/llama-lib.sh"
PERSONAFORGE_LLAMA_CACHE=${PERSONAFORGE_LLAMA_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/personaforge-llama}
export PERSONAFORGE_LLAMA_CACHE

mkdir "$T/wire"
for s in $schemas; do
	"$WS" llama.cpp "$s" >"$T/wire/$(basename "$s")" || echo "wireschema failed on $s" >&2
done
node "$here/grammar-check.mjs" "$T"/wire/*.schema.json >"$T/grammar" 2>"$T/grammar.err"
for s in $schemas; do
	b=$(basename "$s")
	grep -q "^ok $T/wire/$b\$" "$T/grammar"
	tap_rc $? "node-llama-cpp builds a grammar from $b as derived for llama.cpp ($(grep "/$b" "$T/grammar" | sed "s|$T/wire/||"))"
done

"$PF" build "$top/examples/llama-server.json" -o "$T/out.db" --personas 3 \
	--base-url "http://127.0.0.1:$port/v1" -q 2>"$T/build.err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 4 ]
tap_rc $? "examples/llama-server.json builds 3 personas, exit 0 or 4 (rc $rc: $(tail -n 2 "$T/build.err" | tr '\n' ' '))"
q() { sqlite3 "$T/out.db" "$1" 2>/dev/null; }
total=$(q "select count(*) from journal")
[ "${total:-0}" -gt 0 ]
tap_rc $? "the journal records the items ($(q "select count(*) from journal where state='done'") of $total done, $(q "select count(*) from journal where state='failed'") failed)"
http=$(q "select count(*) from journal where last_error like '%HTTP %'")
[ "${http:-1}" = 0 ]
tap_rc $? "no item failed with an HTTP error ($http: $(q "select item_id || ': ' || last_error from journal where last_error like '%HTTP %' limit 2" | tr '\n' ' '))"
tap_end
