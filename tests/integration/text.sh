#!/bin/sh
# text.sh - the offline text reads like text (issue 12). A 10,000-persona
# offline build of examples/demo.json; tests/integration/textstats prints
# distinct-2 (lower-cased word and punctuation tokens) and mean length in
# words per text field over the first 1,000 lines of backstory_turns.jsonl
# and personas.jsonl, and the near-duplicate rate of the narratives
# (detailed_persona; MinHash, Jaccard >= 0.9) over all 10,000, with the
# build summary's rate before and after redraws (generators/dedup.h). Held:
# interview answers and detailed narratives at >= 100 words, distinct-2
# at floors just below what the persona-conditioned scenes reach (answers
# 0.267 at 104 words, held at 0.26, above the issue's bar of 0.25: each
# answer draws its slots from unions of whole-sentence pools, names the
# interview's own details, generators/interview.c, and holds sentences
# keyed by the persona's hobbies, occupation, state, relatives' jobs and
# life events and long pools of anecdotes, the iv-*, iv1-* (childhood,
# turning point) and iv2-* (family, people, neighbourhood) grammar
# files, so that a sentence returns rarely across personas; detailed
# narratives 0.253 at 147 words, held
# at 0.25, the issue's bar: they name the persona's relatives and
# contacts with their jobs and cities, the employer, the occupation's
# tasks and things, a dish of the persona's cuisine that fits its diet,
# a well-known place of its state and its hobby's current project,
# templates/offline/nar-*.grammar; the fill-in-the-blank text this
# grammar replaced was 0.026), near-duplicates under 1%. Issue 12 asks
# distinct-2 >= 0.25 of both: words drawn at random to reach it would
# read as nonsense, so a figure below it is printed against that bar. The build speed is printed as a figure, not tested
# (bench/persona-layer holds the persona layer to the issues' 2,000/s on
# a quiet machine; this build runs the whole demo config under load).
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-text.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 4
t0=$(date +%s.%N)
if "$pf" build "$src/examples/demo.json" -o "$T/b.db" --personas 10000 \
	--backend offline >"$T/build.out" 2>&1; then
	t1=$(date +%s.%N)
	"$pf" export "$T/b.db" --format jsonl -o "$T/out" >/dev/null 2>&1
	tap_pass "a 10,000-persona offline build exports"
else
	tap_fail "the build fails" "$(tail -3 "$T/build.out")"
	t1=$t0
fi
"$bld/tests/integration/textstats" "$T/out" 1000 >"$T/stats" 2>&1
sed "s/^/# /" "$T/stats"
# the build's own near-duplicate line: the rate before redraws (first
# drafts) and after (kept); near_duplicates above recounts the result
grep "near-duplicate narratives" "$T/build.out" | sed "s/^ */# build: /"
awk -v a="$t0" -v b="$t1" 'BEGIN { if (b > a) printf "# build speed: %.0f personas/s (10,000 in %.1f s, wall clock, machine load included)\n", 10000 / (b - a), b - a }'
# bar FIELD MIN_DISTINCT2: distinct-2 >= MIN and mean >= 100 words
bar() {
	if awk -v f="$1" -v d="$2" '$1 == f && $4 >= d && $6 >= 100 {
		ok = 1 } END { exit !ok }' "$T/stats"; then
		tap_pass "$1: distinct-2 > $2 and mean >= 100 words"
	else
		tap_fail "$1 misses the bar" "$(grep "^$1 " "$T/stats")"
	fi
}
bar answer 0.26
bar detailed_persona 0.25
awk '$1 == "answer" || $1 == "detailed_persona" { printf "# %s distinct-2 %s against the issue bar 0.25: %s\n", $1, $4, ($4 >= 0.25 ? "met" : "not met") }' "$T/stats"
if awk '$1 == "near_duplicates" && $6 < 0.01 { ok = 1 } END { exit !ok }' \
	"$T/stats"; then
	tap_pass "near-duplicate narratives under 1%"
else
	tap_fail "near-duplicate narratives" "$(grep near_ "$T/stats")"
fi
tap_end
