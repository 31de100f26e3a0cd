#!/bin/sh
# real-llama-cqa.sh - a 3-persona build with the cqa stage and preference
# pairs (preference and judge stages) against real inference: the
# node-llama-cpp server with stories260K (tests/server/start-llama.sh;
# SKIP naming what is missing when node, npm or the model are not
# there). The model writes children's stories whatever it is asked, so
# items may fail; the build must complete (exit 0 or 4), reach every
# stage, and record every failure with its reason, which is printed.
here=$(cd "$(dirname "$0")" && pwd)
PF=${PERSONAFORGE:-${top_builddir:-.}/src/personaforge}
PERSONAFORGE_DATADIR=${PERSONAFORGE_DATADIR:-${top_srcdir:-$here/../..}}
export PERSONAFORGE_DATADIR
. "${top_srcdir:-$here/../..}/tests/tap.sh"
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 not installed"
[ -x "$PF" ] || tap_skip_all "$PF not built"
lib_dir=$here/../server
set -- 6
. "$lib_dir/llama-lib.sh"

cat > "$T/c.json" <<'JSON'
{ "name": "llama-cqa", "seed": 7, "personas": 3,
  "generation": { "max_tokens": 256, "temperature": 0,
                  "response_format": "json_schema", "max_attempts": 2 },
  "stages": { "narrative": { "enabled": false },
              "documents": { "per_persona": 0 }, "qa": { "per_persona": 0 },
              "cqa": { "questions": 1 },
              "preferences": { "per_persona": 1, "samples": 1 } },
  "retry": { "max_attempts": 2, "base_delay_ms": 50, "max_delay_ms": 500 },
  "engine": { "timeout_ms": 120000 } }
JSON
"$PF" build "$T/c.json" -o "$T/out.db" --backend openai \
	--base-url "http://127.0.0.1:$port/v1" --model stories260K -q \
	2>"$T/build.err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 4 ]
tap_rc $? "a 3-persona build with cqa and preferences completes (exit $rc: $(tail -n 2 "$T/build.err" | tr '\n' ' '))"
q() { sqlite3 "$T/out.db" "$1" 2>/dev/null; }
# every item of the stages, done or failed: nothing left unfinished
for st in cqa preference judge; do
	eval "n_$st=\$(q \"select count(*) from journal where item_id like '%/$st/%'\")"
done
[ "${n_cqa:-0}" -eq 12 ] && [ "${n_preference:-0}" -eq 3 ] &&
	[ "${n_judge:-0}" -eq 6 ]
tap_rc $? "the journal holds every cqa, preference and judge item (cqa $n_cqa of 12, preference $n_preference of 3, judge $n_judge of 6)"
open=$(q "select count(*) from journal where state not in ('done', 'failed')")
[ "${open:-1}" = 0 ]
tap_rc $? "no item is left unfinished ($open)"
bad=$(q "select count(*) from journal where state='failed' and (last_error is null or last_error = '')")
[ "${bad:-1}" = 0 ]
tap_rc $? "every failed item carries its reason"
q "select st || ' ' || state || ': ' || count(*) from (select substr(item_id, instr(item_id, '/') + 1, instr(substr(item_id, instr(item_id, '/') + 1), '/') - 1) as st, state from journal) group by st, state order by st, state" |
	while read -r l; do tap_diag "$l"; done
q "select item_id || ': ' || substr(replace(last_error, char(10), ' '), 1, 160) from journal where state='failed' order by item_id limit 8" |
	while read -r l; do tap_diag "failed $l"; done
cqa=$(q "select count(*) from cqa")
pairs=$(q "select count(*) from preference_pair")
[ -n "$cqa" ] && [ -n "$pairs" ]
tap_rc $? "the dataset's cqa and preference_pair tables read ($cqa community answers, $pairs judged pairs)"
tap_end
