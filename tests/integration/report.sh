#!/bin/sh
# report.sh - `personaforge report` and `build --report`: one
# self-contained HTML file (no script, no external reference) with every
# section, "not run" where the auditor has not run, the failed and
# quarantined lists cut at 50 with a count, under 2 MB for 1,000 and
# 10,000 personas and within 50 KB of each other; rendered in headless
# Chromium (--dump-dom of a copy with an injected script) the SVG charts
# are there and no element is wider than its box. The screenshot goes to
# tests/report.png in the build folder. Outside CI a missing chromium
# skips the rendering checks; under CI (CI=true) it fails.
set -u
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-report.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
cd "$T" || exit 1

tap_plan 10
mkcfg() { # NAME PERSONAS
	sed -e "s|\"personas\": 300,|\"personas\": $2,|" \
	    "$src/examples/demo.json" >"$1.json"
}
mkcfg small 60
mkcfg k1 1000
mkcfg k10 10000

sections() {
	for id in provenance counts failed attributes geography big5 \
		fairness safety pii diversity calibration quarantine samples; do
		grep -q "<section id=\"$id\">" "$1" ||
			{ echo "no section $id"; return 1; }
	done
}
selfcontained() {
	! grep -Eiq '<script|<link|<img|<iframe|src=|url\(|@import|https?://' "$1"
}

built() {
	"$pf" build small.json -o s.db -q --report s.html &&
	sections s.html && selfcontained s.html &&
	"$pf" report s.db -o r.html 2>r.err &&
	grep -q "wrote r.html" r.err && sections r.html
}
tap_check "build --report and report write every section, self-contained" built

content() {
	hash=$(q s.db "select config_hash from run") &&
	grep -q "$hash" r.html &&
	grep -q '<h3>gender <small>(TVD 0\.' r.html &&
	grep -q '<td>Wyoming</td>\|<td>California</td>' r.html &&
	[ "$(grep -c '<svg class="chart hist"' r.html)" -eq 5 ] &&
	grep -q '<td>fairness</td><td>1</td><td>tvd</td><td>gender</td>' r.html &&
	! grep -q 'Not run: the fairness auditor' r.html &&
	grep -q '<h3>safety</h3>' r.html &&
	grep -q '<th>domain</th><th>severity</th>' r.html &&
	! grep -q 'Not run: the safety auditor' r.html &&
	grep -q 'Not run: the diversity auditor' r.html &&
	! grep -q 'Not run: the judge auditor' r.html &&
	grep -q '<td>judge</td><td>1</td><td>order_swap_conflict_rate</td>' r.html &&
	grep -q '<td>pii:high=0</td><td>config gate passed' r.html &&
	grep -q '<p>0 failed items.</p>' r.html
}
tap_check "provenance, attributes with TVD, geography, histograms, not-run sections, gates" content

# an auditor turned off in the config: its section says it has not run
nosafety() {
	sed -e 's|"personas": 300,|"personas": 5,|' \
	    -e 's|"audit": {|"audit": { "safety": { "enabled": false },|' \
	    "$src/examples/demo.json" >ns.json &&
	"$pf" build ns.json -o ns.db -q --report ns.html &&
	grep -q "Not run: the safety auditor is not in this dataset&#39;s config" ns.html &&
	grep -q '<h3>pii</h3>' ns.html
}
tap_check "a section whose auditor is turned off says it has not run" nosafety

# 120 failed items and 80 quarantined documents, set by hand in a copy
lists() {
	cp s.db l.db &&
	# (the rows the auditors quarantined are released first, so the
	# counts are the injected ones)
	for t in narrative backstory_turn contact document fact qa \
	    preference_pair cqa; do
		sqlite3 l.db "update $t set quarantined = 0" || return 1
	done &&
	sqlite3 l.db "update journal set state = 'failed', last_error =
		'injected failure ' || id where id in (select id from journal
		order by id limit 120); update document set quarantined = 1
		where rowid in (select rowid from document order by rowid
		limit 80)" &&
	"$pf" report l.db -o l.html -q &&
	grep -q '<p>First 50 of 120 failed items shown; 70 more not shown.</p>' l.html &&
	grep -q '<p>First 50 of 80 quarantined rows shown; 30 more not shown.</p>' l.html &&
	[ "$(grep -c '<td>injected failure' l.html)" -eq 50 ] &&
	grep -q 'rests on a quarantined row' l.html
}
tap_check "failed and quarantined lists show the first 50, then a count" lists

# rows keyed by persona (persona, narrative) are listed under their own
# persona's id, not the first persona's
persona_rows() {
	cp s.db n.db &&
	sqlite3 n.db "update narrative set quarantined = 1 where persona_id
		in (3, 4); update persona set quarantined = 1 where
		persona_id = 2" &&
	"$pf" report n.db -o n.html -q &&
	grep -q '<td>narrative</td><td>p000003</td>' n.html &&
	grep -q '<td>narrative</td><td>p000004</td>' n.html &&
	grep -q '<td>persona</td><td>p000002</td>' n.html &&
	! grep -q '<td>narrative</td><td>p000000</td>' n.html
}
tap_check "quarantined persona and narrative rows are listed by their persona's id" persona_rows

sizes() {
	"$pf" build k1.json -o k1.db -q --report k1.html &&
	"$pf" build k10.json -o k10.db -q --report k10.html || return 1
	a=$(wc -c <k1.html) b=$(wc -c <k10.html)
	d=$((a > b ? a - b : b - a))
	echo "1,000 personas: $a bytes; 10,000: $b bytes; difference $d"
	[ "$a" -lt 2097152 ] && [ "$b" -lt 2097152 ] && [ "$d" -lt 51200 ]
}
tap_check "reports of 1,000 and 10,000 personas: under 2 MB, within 50 KB" sizes
tap_diag <"$T/check.out"

usage() {
	"$pf" report s.db 2>u.err; [ $? -eq 2 ] || return 1
	grep -q 'report needs -o FILE.html' u.err || return 1
	"$pf" report missing.db -o m.html 2>/dev/null; [ $? -eq 2 ] || return 1
	[ ! -e m.html ]
}
tap_check "report without -o, or of a missing dataset, exits 2" usage

chrome=
for c in chromium chromium-browser google-chrome; do
	command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
render() {
	sed 's|</body>|<script>(function () {\
var bad = [], all = document.querySelectorAll("*");\
for (var i = 0; i < all.length; i++)\
  if (all[i].scrollWidth > all[i].clientWidth + 1)\
    bad.push(all[i].tagName + (all[i].id ? "#" + all[i].id : ""));\
var svg = document.querySelectorAll("svg.chart");\
var rects = document.querySelectorAll("svg.chart rect");\
var p = document.createElement("p"); p.id = "pf-check";\
p.textContent = "charts=" + svg.length + " rects=" + rects.length +\
  " overflow=" + bad.length + " [" + bad.slice(0, 8).join(" ") + "]";\
document.body.appendChild(p); })();</script></body>|' k10.html >check.html &&
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$T/profile" --window-size=1000,800 \
		--dump-dom "file://$T/check.html" >dom.html 2>chrome.err
	line=$(grep -o 'id="pf-check">[^<]*' dom.html)
	echo "$line"
	charts=$(echo "$line" | sed -n 's/.*charts=\([0-9]*\).*/\1/p')
	rects=$(echo "$line" | sed -n 's/.*rects=\([0-9]*\).*/\1/p')
	echo "$line" | grep -q 'overflow=0 ' &&
	[ "${charts:-0}" -ge 15 ] && [ "${rects:-0}" -ge 100 ]
}
shot() {
	mkdir -p "$bld/tests" &&
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$T/profile" --window-size=1000,4000 \
		--screenshot="$T/report.png" "file://$T/k10.html" \
		>/dev/null 2>chrome2.err &&
	[ -s "$T/report.png" ] && cp "$T/report.png" "$bld/tests/report.png"
}
if [ -n "$chrome" ] && [ -s k10.html ]; then
	tap_check "in headless Chromium the SVG charts are there and nothing overflows" render
	tap_diag <"$T/check.out"
	tap_check "a screenshot is saved as tests/report.png in the build folder" shot
elif [ -n "${CI:-}" ]; then
	tap_fail "headless Chromium rendering" "chromium missing (CI must install it: scripts/install-deps)"
	tap_fail "screenshot" "chromium missing"
else
	tap_skip "in headless Chromium the SVG charts are there and nothing overflows" "chromium missing"
	tap_skip "a screenshot is saved as tests/report.png in the build folder" "chromium missing"
fi
again() {
	"$pf" report k1.db -o again.html -q && [ ! -e k1.db-wal ] &&
	[ ! -e k1.db-shm ] && cmp again.html k1.html
}
tap_check "report of a finished build gives the bytes build --report wrote, leaving no -wal/-shm" again
tap_end
