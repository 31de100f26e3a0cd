#!/bin/sh
# prefpersona.sh - the persona-conditioned views (issue 16): a 30-persona
# offline build whose pairs are all persona_w (written for the persona)
# against persona_l (written for one of its contacts). Each persona_w
# answer names the persona's own first name and city, each persona_l
# answer a contact's first name and none of the persona's; no answer
# carries a label; the judge picks persona_w whenever it decides, in both
# orders, and its rationale quotes the chosen answer.
. "${top_srcdir:-.}/tests/integration/lib.sh"
command -v python3 >/dev/null 2>&1 || tap_skip_all "python3 missing"
T=$(mktemp -d "${TMPDIR:-/tmp}/pf-prefpersona.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
tap_plan 3
cat >"$T/c.json" <<'JSON'
{"name": "prefpersona", "seed": 31, "personas": 30, "backend": "offline",
 "stages": {"narrative": {"enabled": false}, "documents": {"per_persona": 0},
	    "qa": {"per_persona": 0},
	    "preferences": {"per_persona": 4,
			    "views": ["persona_w", "persona_l"]}}}
JSON
tap_check "a 30-persona offline build with persona views only" \
	"$pf" build "$T/c.json" -o "$T/c.db" -q
tap_check "its JSONL export" "$pf" export "$T/c.db" --format jsonl -o "$T/j" -q
check() {
	python3 - "$T/j" <<'PY'
import collections, json, re, sys
d = sys.argv[1]
people = {}
for line in open(d + "/personas.jsonl"):
    p = json.loads(line)
    people[p["persona_id"]] = p
contacts = collections.defaultdict(set)
for line in open(d + "/contacts.jsonl"):
    c = json.loads(line)
    contacts[c["persona_id"]].add(c["name"].split()[0])
def has(text, w):
    return re.search(r"\b%s\b" % re.escape(w), text, re.I) is not None
bad = collections.Counter()
n = 0
for line in open(d + "/preference_pairs.jsonl"):
    r = json.loads(line)
    n += 1
    p = people[r["persona_id"]]
    views = {r["view_chosen"]: r["chosen"], r["view_rejected"]: r["rejected"]}
    if r["view_axis"] != "persona" or set(views) != {"persona_w", "persona_l"}:
        bad["axis"] += 1
        continue
    w, l = views["persona_w"], views["persona_l"]
    if not (has(w, p["first_name"]) and has(w, p["city"])):
        bad["persona_w without the persona's name and city"] += 1
    if has(l, p["first_name"]) or not any(has(l, f) for f in contacts[p["persona_id"]]):
        bad["persona_l not for a contact"] += 1
    if re.search(r"\[(persona_[wl])\]|persona_[wl]:", w + l):
        bad["label"] += 1
    if r["label"] == "chosen" and r["view_chosen"] != "persona_w":
        bad["persona_l chosen"] += 1
    if {j["order"] for j in r["judgements"]} != {"AB", "BA"}:
        bad["one order"] += 1
labels = collections.Counter(json.loads(l)["label"] for l in open(d + "/preference_pairs.jsonl"))
print(f"{n} pairs, labels {dict(labels)}, problems {dict(bad)}")
sys.exit(1 if bad or n != 120 or labels["chosen"] == 0 else 0)
PY
}
tap_check "persona_w fits the persona, persona_l a contact; the judge picks persona_w" check
tap_end
