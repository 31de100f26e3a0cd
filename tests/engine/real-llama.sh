#!/bin/sh
# real-llama.sh - `personaforge build` against real inference: the
# node-llama-cpp server with stories260K (tests/server/start-llama.sh;
# SKIP when node, npm or the model are missing). Two personas of a small
# config with json_schema replies; passes when the build exits 0 or 4 and
# every failed item in the journal carries its reason.
here=$(cd "$(dirname "$0")" && pwd)
PF=${PERSONAFORGE:-${top_builddir:-.}/src/personaforge}
PERSONAFORGE_DATADIR=${PERSONAFORGE_DATADIR:-${top_srcdir:-$here/../..}}
export PERSONAFORGE_DATADIR
. "${top_srcdir:-$here/../..}/tests/tap.sh"
for t in sqlite3; do
	command -v $t >/dev/null 2>&1 || tap_skip_all "$t not installed"
done
[ -x "$PF" ] || tap_skip_all "$PF not built"
lib_dir=$here/../server
set -- 4
. "$lib_dir/llama-lib.sh"

cat > "$T/small.json" <<'JSON'
{ "name": "llama-small", "seed": 3, "personas": 2,
  "generation": { "max_tokens": 256, "temperature": 0,
                  "response_format": "json_schema", "max_attempts": 2 },
  "stages": { "interview": { "questions": 5 },
              "documents": { "per_persona": 1, "facts_per_document": 1 },
              "qa": { "per_persona": 1 }, "preferences": { "per_persona": 1 } },
  "retry": { "max_attempts": 3, "base_delay_ms": 50, "max_delay_ms": 500 },
  "engine": { "timeout_ms": 120000 } }
JSON
"$PF" build "$T/small.json" -o "$T/out.db" --personas 2 --backend openai \
	--base-url "http://127.0.0.1:$port/v1" --model stories260K -q \
	2>"$T/build.err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 4 ]
tap_rc $? "build of 2 personas exits 0 or 4 (rc $rc: $(tail -n 2 "$T/build.err" | tr '\n' ' '))"
total=$(sqlite3 "$T/out.db" "select count(*) from journal" 2>/dev/null)
done_n=$(sqlite3 "$T/out.db" "select count(*) from journal where state='done'" 2>/dev/null)
[ "${total:-0}" -gt 0 ]
tap_rc $? "the journal records the items ($done_n of $total done)"
bad=$(sqlite3 "$T/out.db" "select count(*) from journal where state='failed' and (last_error is null or last_error = '')" 2>/dev/null)
[ "${bad:-1}" = 0 ]
tap_rc $? "every failed item carries its reason ($(sqlite3 "$T/out.db" "select item_id || ': ' || last_error from journal where state='failed' limit 2" 2>/dev/null | tr '\n' ' '))"
tap_end
