#!/usr/bin/env python3
"""qa_stats.py DIR - issue 14's QA figures over a JSONL export.

Prints QA per type and difficulty, the distinct Basic information
templates after masking (names of personas and contacts, relation words,
numbers, Subjective options), the paraphrases per attribute (the asked
fact's key; fewest first) and the QA whose cited sessions do not hold
the planted fact: every document cited for an answer item must be the
persona's and contain the item (case-insensitive) or the clue phrase of
one of the persona's facts with that value, and the first document of
each item must be a session that planted a fact of the persona. Exits 1
when a bar is missed: >= 81 distinct Basic templates, >= 5 paraphrases
per attribute, 1..5 items per QA, zero unsupported QA, all four types.
"""
import collections
import json
import os
import re
import sys


def lines(d, name):
    with open(os.path.join(d, name)) as f:
        for line in f:
            yield json.loads(line)


def main():
    d = sys.argv[1]
    docs = {x["doc_id"]: x for x in lines(d, "documents.jsonl")}
    facts = {}
    clues = collections.defaultdict(dict)   # persona -> value -> clue
    planting = collections.defaultdict(set)  # persona -> doc ids
    for f in lines(d, "facts.jsonl"):
        facts[f["fact_id"]] = f
        if f["clue"]:
            clues[f["persona_id"]][f["fact_value"].lower()] = \
                f["clue"].lower()
        planting[f["persona_id"]].add(f["doc_id"])
    names = collections.defaultdict(list)   # persona -> names
    for p in lines(d, "personas.jsonl"):
        names[p["persona_id"]].append(p["name"])
    rels = set()
    for c in lines(d, "contacts.jsonl"):
        names[c["persona_id"]].append(c["name"])
        rels.add(c["relation"])
    for v in names.values():
        v.sort(key=len, reverse=True)
    rel_re = re.compile(r"\b(" + "|".join(sorted(rels, key=len,
                                                 reverse=True)) + r")\b")

    def mask(q, pid):
        for name in names[pid]:
            q = q.replace(name, "{name}")
        q = rel_re.sub("{rel}", q)
        q = re.sub(r"[0-9]+", "#", q)
        q = re.sub(r"A: [A-Za-z-]+", "A: {a}", q)
        return re.sub(r"B: [A-Za-z-]+", "B: {b}", q)

    per_type = collections.Counter()
    basic = set()
    para = collections.defaultdict(set)
    unsupported, bad_items, n = 0, 0, 0
    shown = 0
    for qa in lines(d, "qa.jsonl"):
        n += 1
        per_type[(qa["qtype"], qa["difficulty"])] += 1
        m = mask(qa["question"], qa["persona_id"])
        if qa["qtype"] == "Basic information":
            basic.add(m)
        para[facts[qa["fact_id"]]["fact_key"]].add(m)
        items = qa["evidence_items"]
        if not 1 <= len(items) <= 5:
            bad_items += 1
        ok = True
        pid = qa["persona_id"]
        for it in items:
            want = it["item"].lower()
            if not it["docs"] or it["docs"][0] not in planting[pid]:
                ok = False
            for doc_id in it["docs"]:
                doc = docs.get(doc_id)
                text = doc["content"].lower() if doc else ""
                clue = clues[pid].get(want)
                if doc is None or doc["persona_id"] != pid or not (
                        want in text or (clue and clue in text)):
                    ok = False
        if not ok:
            unsupported += 1
            if shown < 5:
                print("unsupported: " + json.dumps(qa)[:300])
                shown += 1
    print(f"qa {n}")
    for (t, diff), c in sorted(per_type.items()):
        print(f"qa_per_type {t} / {diff}: {c}")
    fewest = min(para.items(), key=lambda kv: len(kv[1]))
    print(f"distinct_basic_templates {len(basic)} (bar 81)")
    print(f"paraphrases_per_attribute fewest {len(fewest[1])} "
          f"({fewest[0]}) of {len(para)} attributes (bar 5)")
    print(f"qa_items_outside_1_to_5 {bad_items}")
    print(f"qa_cited_sessions_not_holding_the_fact {unsupported}")
    fails = []
    if len(basic) < 81:
        fails.append("distinct Basic templates")
    if len(fewest[1]) < 5:
        fails.append("paraphrases per attribute")
    if bad_items or unsupported:
        fails.append("evidence")
    if len({t for t, _ in per_type}) < 4:
        fails.append("four types")
    for f in fails:
        print("FAIL " + f)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
