#!/bin/sh
# pipeline.sh - end-to-end tests of the offline pipeline, as TAP: build,
# counts, grounding, exports against the XSD, determinism, resume after
# kill -9, template-change re-runs, the PII gate and quarantine, failed
# items and their retry, and a valgrind run.
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pf-pipeline.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# A config like the demo, with a templates_dir the tests can edit.
mkconfig() { # NAME PERSONAS [TEMPLATES_DIR]
	td=""
	[ -n "${3:-}" ] && td="\"templates_dir\": \"$3\","
	sed -e "s|\"personas\": 300,|\"personas\": $2, $td|" \
	    -e "s|\"name\": \"demo\"|\"name\": \"$1\"|" \
	    "$src/examples/demo.json" >"$1.json"
}

tap_plan 18

mkconfig base 20
tap_check "offline build exits 0" "$pf" build base.json -o a.db -q

counts() {
	eq "$(q a.db 'select count(*) from persona')" 20 &&
	eq "$(q a.db 'select count(*) from narrative')" 20 &&
	eq "$(q a.db 'select count(*) from backstory_turn')" 100 &&
	eq "$(q a.db 'select count(*) from document')" 200 &&
	eq "$(q a.db 'select count(distinct doc_type) from document')" 3 &&
	eq "$(q a.db 'select count(*) from fact')" 140 &&
	eq "$(q a.db 'select count(*) from document where noise')" 60 &&
	eq "$(q a.db 'select count(*) from (select count(*) n from contact
		group by persona_id) where n between 5 and 15')" 20 &&
	eq "$(q a.db 'select count(*) from qa')" 60 &&
	eq "$(q a.db 'select count(*) from preference_pair')" 280 &&
	eq "$(q a.db 'select count(*) from cqa')" 160 &&
	eq "$(q a.db "select count(*) from journal where state != 'done'")" 0
}
tap_check "every table has its rows" counts

grounded() {
	# each QA's evidence includes the document its fact was planted in;
	# every document cited for an answer item states the item (or, the
	# planting session, the clue of the persona's fact with that value);
	# the answer gives every item (a list) or the first (the item a
	# question linking two sessions asks for); Subjective answers A or B
	eq "$(q a.db 'select count(*) from qa join fact using (fact_id)
		where fact.doc_id not in (select doc_id from qa_evidence e
		where e.qa_id = qa.qa_id)')" 0 &&
	eq "$(q a.db "select count(*) from qa, json_each(qa.evidence_items) it,
		json_each(it.value, '\$.docs') dd join document d on
		d.doc_id = dd.value where instr(lower(d.content),
		lower(json_extract(it.value, '\$.item'))) = 0 and not exists
		(select 1 from fact f where f.persona_id = qa.persona_id and
		f.clue != '' and f.fact_value = json_extract(it.value, '\$.item')
		and instr(lower(d.content), lower(f.clue)) > 0)")" 0 &&
	eq "$(q a.db "select count(*) from qa, json_each(qa.evidence_items) it
		where qa.qtype != 'Subjective' and (qa.answer_type = 'list' or
		it.key = 0) and instr(lower(qa.answer),
		lower(json_extract(it.value, '\$.item'))) = 0")" 0 &&
	eq "$(q a.db "select count(*) from qa where qtype = 'Subjective' and
		answer not in ('A', 'B')")" 0
}
tap_check "QA pairs are grounded in their evidence documents" grounded

pairs() {
	eq "$(q a.db "select count(*) from preference_pair where
		view_chosen = view_rejected or chosen = rejected or
		judge_certainty not between 1 and 100 or
		judge_verdict not in ('A', 'B', 'tie') or
		label not in ('chosen', 'tie', 'abstain') or
		(label = 'chosen' and (judge_verdict = 'tie' or
		 judge_certainty < 81))")" 0
}
tap_check "preference pairs have distinct views and a judge verdict" pairs

xsd() {
	exports a.db a &&
	xmllint --noout --schema "$src/output/personaforge.xsd" a.xml
}
if command -v xmllint >/dev/null; then
	tap_check "XML export validates against the XSD" xsd
else
	tap_skip "XML export validates against the XSD" "xmllint missing"
	exports a.db a
fi

jsonl() {
	for f in a.jsonl/*.jsonl; do
		python3 -c 'import json,sys
keys = None
for i, line in enumerate(open(sys.argv[1])):
    k = sorted(json.loads(line).keys())
    assert keys is None or k == keys, (sys.argv[1], i)
    keys = k' "$f" || return 1
	done
	eq "$(wc -l <a.jsonl/personas.jsonl)" 20
}
tap_check "JSONL files load line by line with one key set each" jsonl

pandas_load() {
	for f in a.jsonl/*.jsonl; do
		"$pandas_py" -c 'import sys, pandas
df = pandas.read_json(sys.argv[1], lines=True)
n = sum(1 for _ in open(sys.argv[1]))
assert len(df) == n, (sys.argv[1], len(df), n)' "$f" || return 1
	done
}
pandas_py=
for py in /usr/bin/python3 python3; do
	if "$py" -c "import pandas" 2>/dev/null; then pandas_py=$py; break; fi
done
if [ -n "$pandas_py" ]; then
	tap_check "every JSONL file loads with pandas.read_json(lines=True)" pandas_load
else
	tap_skip "every JSONL file loads with pandas.read_json(lines=True)" "pandas not installed"
fi

mkconfig base 20
tap_check "a second build of the same config and seed" "$pf" build base.json -o b.db -q
exports b.db b
tap_check "gives byte-identical exports" same a b

rerun() {
	"$pf" build base.json -o a.db 2>rerun.err &&
	grep -q "nothing new to send" rerun.err &&
	exports a.db a2 && same a a2
}
tap_check "running again sends nothing and changes nothing" rerun

# ndone DB: the number of done items in DB's journal (0 before it has one)
ndone() {
	n=
	[ -s "$1" ] && n=$(q "$1" "select count(*) from journal where state = 'done'" 2>/dev/null)
	echo "${n:-0}"
}
kill9() {
	mkconfig big 3000
	"$pf" build big.json -o full.db -q || return 1
	exports full.db full || return 1
	total=$(q full.db "select count(*) from journal")
	for k in 1 2; do
		before=$(ndone k.db)
		"$pf" build big.json -o k.db -q &
		pid=$!
		# wait (60 s at most) until this run has finished items of its
		# own, stop it and read the journal it leaves, then kill it
		i=0
		while [ $i -lt 3000 ] && kill -0 $pid 2>/dev/null &&
		    [ "$(ndone k.db)" -le "$before" ]; do
			sleep 0.02
			i=$((i + 1))
		done
		kill -STOP $pid 2>/dev/null
		done_k=$(ndone k.db)
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		# the kill landed mid-build: new items done, items left to do
		[ "$done_k" -gt "$before" ] && [ "$done_k" -lt "$total" ] ||
			{ echo "kill $k: $done_k of $total done (before: $before)"; return 1; }
	done
	"$pf" build big.json -o k.db -q || return 1
	exports k.db k && same full k
}
tap_check "kill -9 twice, then resume: exports identical to an uninterrupted run" kill9

template_change() {
	mkdir -p tpl/prompts
	cp "$src/templates/prompts/qa.mustache" tpl/prompts/qa.mustache
	mkconfig tc 10 "$tmp/tpl"
	"$pf" build tc.json -o tc.db -q || return 1
	echo "Keep the answer short." >>tpl/prompts/qa.mustache
	"$pf" build tc.json -o tc.db 2>tc.err || return 1
	# exactly the 10 x 3 QA items are generated again, every other item
	# of the demo config's stages is reused
	all=$(q tc.db "select count(*) from journal")
	grep -q "(30 sent, $((all - 30)) reused from the journal" tc.err
}
tap_check "a changed template re-runs exactly the items it touches" template_change

stale_rows() {
	# the QA prompt changes again and its replies now fail: the QA rows
	# of the earlier replies go, with their evidence
	echo "Answer in one word." >>tpl/prompts/qa.mustache
	mkdir -p tpl/offline
	printf '{"question": "{{fact.question}}"}\n' >tpl/offline/qa.mustache
	"$pf" build tc.json -o tc.db -q
	rc=$?
	eq $rc 4 &&
	eq "$(q tc.db 'select count(*) from qa')" 0 &&
	eq "$(q tc.db 'select count(*) from qa_evidence')" 0 &&
	eq "$(q tc.db 'select count(*) from document')" 100
}
tap_check "rows of earlier replies go when their item now fails" stale_rows

pii_gate() {
	mkdir -p leak/offline
	sed 's/{{#document.facts}}/My SSN is 123-45-6789. {{#document.facts}}/' \
		"$src/templates/offline/document.mustache" \
		>leak/offline/document.mustache
	mkconfig leak 5 "$tmp/leak"
	"$pf" build leak.json -o leak.db -q
	rc=$?
	eq $rc 3 &&
	eq "$(q leak.db 'select count(*) from document where quarantined = 1')" 50 &&
	eq "$(q leak.db 'select count(*) from fact where quarantined = 0')" 0 &&
	eq "$(q leak.db 'select count(*) from qa where quarantined = 0')" 0 &&
	eq "$(q leak.db "select count(*) from audit_finding where kind = 'ssn'
		and severity = 'high' and synthetic = 0")" 50 &&
	! q leak.db "select masked from audit_finding" | grep -q 123-45-6789
}
tap_check "a real-looking SSN is found, its rows quarantined, the gate fails (exit 3)" pii_gate

quarantine_export() {
	"$pf" export leak.db --format xml -o l1.xml &&
	"$pf" export leak.db --format xml -o l2.xml --include-quarantined &&
	! grep -q "123-45-6789" l1.xml && grep -q 'quarantined="true"' l2.xml
}
tap_check "quarantined rows are left out of exports unless asked for" quarantine_export

failed_items() {
	mkdir -p bad/offline
	printf '{"question": "{{fact.question}}"}\n' >bad/offline/qa.mustache
	mkconfig bad 4 "$tmp/bad"
	"$pf" build bad.json -o bad.db -q
	rc=$?
	eq $rc 4 &&
	eq "$(q bad.db "select count(*) from journal where state = 'failed'
		and stage = 'qa' and last_error like '%schema%'
		and attempts = 3")" 12 &&
	eq "$(q bad.db 'select count(*) from qa')" 0
}
tap_check "replies failing the schema are retried, then recorded failed (exit 4)" failed_items

retry_failed() {
	rm bad/offline/qa.mustache
	"$pf" build bad.json -o bad.db -q &&
	eq "$(q bad.db "select count(*) from journal where state = 'failed'")" 0 &&
	eq "$(q bad.db 'select count(*) from qa')" 12
}
tap_check "running again retries the failed items" retry_failed

memcheck() {
	mkconfig vg 3
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$pf" build vg.json -o vg.db -q
}
if [ -n "${PF_SANITIZED:-}" ]; then
	tap_skip "a small build is valgrind-clean" "valgrind and sanitizers do not mix"
elif command -v valgrind >/dev/null; then
	tap_check "a small build is valgrind-clean" memcheck
else
	tap_skip "a small build is valgrind-clean" "valgrind missing"
fi
tap_end
