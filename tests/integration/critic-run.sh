# critic-run.sh - the body of critic.sh and critic-earlier.sh: a
# 10,000-persona offline build of examples/demo.json with the test hook
# PERSONAFORGE_TEST_CONTRADICT=$mode; $inj is the SQL condition on
# backstory_turn that selects the answers the hook corrupted. Sourced
# after tests/integration/lib.sh with mode and inj set.
command -v sqlite3 >/dev/null 2>&1 || tap_skip_all "sqlite3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-critic-$mode.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 5
db=$T/b.db
if PERSONAFORGE_TEST_CONTRADICT=$mode "$pf" build "$src/examples/demo.json" \
	-o "$db" --personas 10000 --backend offline >"$T/build.out" 2>&1; then
	tap_pass "a 10,000-persona offline build with injected contradictions finishes"
else
	tap_fail "the build fails" "$(tail -3 "$T/build.out")"
fi
revised="(json_extract(critic, '\$.verdict') = 'revised' AND
	json_extract(critic, '\$.attempts') >= 2)"
n=$(q "$db" "SELECT count(*) FROM backstory_turn WHERE $inj")
caught=$(q "$db" "SELECT count(*) FROM backstory_turn WHERE $inj AND $revised")
false=$(q "$db" "SELECT count(*) FROM backstory_turn WHERE NOT $inj AND
	json_extract(critic, '\$.verdict') <> 'consistent'")
turns=$(q "$db" "SELECT count(*) FROM backstory_turn")
failed=$(q "$db" "SELECT count(*) FROM journal WHERE state <> 'done'")
tap_diag "injected $n of $turns answers; the critic rejected $caught" \
	"($(awk "BEGIN { printf \"%.1f\", 100 * $caught / ($n ? $n : 1) }")%);" \
	"rejected clean answers $false; items not done $failed"
tap_diag "a rejection: $(q "$db" "SELECT json_extract(critic, '\$.reason')
	FROM backstory_turn WHERE $inj AND $revised LIMIT 1")"
if [ "$n" -ge 4900 ] && [ $((caught * 100)) -ge $((n * 95)) ]; then
	tap_pass "the critic rejects at least 95% of the injected contradictions"
else
	tap_fail "the critic rejects $caught of $n injected contradictions"
fi
eq "$false" 0 && tap_pass "the critic rejects no clean answer" ||
	tap_fail "the critic rejects $false clean answers"
if [ "$turns" -eq 50000 ] && [ "$failed" -eq 0 ]; then
	tap_pass "every retry succeeds: 50,000 turns, no item failed"
else
	tap_fail "$turns turns, $failed items not done"
fi
"$pf" export "$db" --format jsonl -o "$T/out" >/dev/null 2>&1
tap_check "the stored answers hold together" \
	"$bld/tests/integration/coherence_scan" "$T/out"
tap_end
