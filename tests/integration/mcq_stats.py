#!/usr/bin/env python3
"""mcq_stats.py DIR [--docs] - the figures of PersonaMem's
multiple-choice items in the JSONL export DIR of a build (mcq.jsonl,
personas.jsonl); with --docs instead distinct-2 per document type over
the first 1,000 documents of each type (lower-case [a-z]+ tokens,
canaries and the names of personas and contacts removed, counted by
world_stats.py's distinct2; world_stats.py itself counts the first 1,000
documents of all types), bar 0.25.

Prints, one "name value" line each: items per type, the share of items
whose correct answer is each letter, the share whose correct option is
strictly the longest, the largest distance of a distractor's length
from the correct option's (in % of it), and the items breaking a rule
(a distractor fitting the persona itself or repeating another's user,
two equal options, a distance below 1). Bars: all seven types occur;
each letter is correct in 20-30% of the items; the correct option is the
strictly longest in at most 30%; every distractor is within 20% of the
correct option's length; no item breaks a rule. Exits 1 when a figure
misses its bar, 2 on bad input.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import world_stats  # noqa: E402  (its distinct-2 and word rule)

DOCS_PER_TYPE = 1000
DISTINCT2_BAR = 0.25

TYPES = ["recall_user_shared_facts", "acknowledge_latest_user_preferences",
         "track_full_preference_evolution",
         "revisit_reasons_behind_preference_updates",
         "provide_preference_aligned_recommendations", "suggest_new_ideas",
         "generalize_to_new_scenarios"]


def broken(m, k):
    """Why item m (correct option k) breaks a rule, or None."""
    users, opts = m["option_users"], m["options"]
    if len(opts) != 4 or len(users) != 4:
        return "not four options"
    if users[k] != m["persona_id"]:
        return "the correct option fits another user"
    if len(set(users)) != 4:
        return "two options fit the same user"
    if len(set(opts)) != 4:
        return "two options are the same"
    if m["distance_blocks"] < 1 or m["distance_tokens"] < 1:
        return "a distance below 1"
    return None


def doc_distinct2(d, fails):
    """distinct-2 of the first DOCS_PER_TYPE documents of each type."""
    rows = world_stats.rows
    names, canary = set(), None
    for p in rows(d, "personas.jsonl"):
        names.update(world_stats.WORD.findall(p["name"].lower()))
        canary = canary or p["canary"]
    for c in rows(d, "contacts.jsonl"):
        names.update(world_stats.WORD.findall(c["name"].lower()))
    world_stats.CANARY = re.compile(re.escape(canary[:-36]) +
                                    r"[0-9a-f-]{36}")
    first = collections.defaultdict(list)
    for doc in rows(d, "documents.jsonl"):
        if len(first[doc["doc_type"]]) < DOCS_PER_TYPE:
            first[doc["doc_type"]].append(doc["content"])
    for t, texts in sorted(first.items()):
        v = world_stats.distinct2(texts, names)
        print(f"distinct2_first_{DOCS_PER_TYPE}_of_type {t} {v:.3f} "
              f"over {len(texts)} documents")
        if v < DISTINCT2_BAR or len(texts) < DOCS_PER_TYPE:
            fails.append(f"distinct-2 of {t}: {v:.3f} over {len(texts)}")


def main():
    if len(sys.argv) == 3 and sys.argv[2] == "--docs":
        fails = []
        doc_distinct2(sys.argv[1], fails)
        for b in fails:
            print(f"# FAIL {b}")
        return 1 if fails else 0
    if len(sys.argv) != 2:
        print("usage: mcq_stats.py DIR [--docs]", file=sys.stderr)
        return 2
    types, letters = collections.Counter(), collections.Counter()
    n = longest = bad = 0
    worst = 0.0
    with open(f"{sys.argv[1]}/mcq.jsonl", encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            k = "abcd".index(m["correct_answer"][1])
            o = m["options"]
            n += 1
            types[m["question_type"]] += 1
            letters["abcd"[k]] += 1
            if all(len(o[k]) > len(x) for j, x in enumerate(o) if j != k):
                longest += 1
            worst = max([worst] + [abs(len(x) - len(o[k])) * 100.0 /
                                   len(o[k]) for x in o])
            why = broken(m, k)
            if why is not None:
                bad += 1
                if bad <= 5:
                    print(f"# {m['mcq_id']}: {why}")
    if n == 0:
        print("no items", file=sys.stderr)
        return 2
    fails = []
    print(f"mcq_items {n}")
    for t in TYPES:
        print(f"mcq_type {t} {types[t]}")
        if types[t] == 0:
            fails.append(f"no {t} item")
    for l in "abcd":
        share = letters[l] / n
        print(f"mcq_correct_letter ({l}) {share:.3f}")
        if not 0.2 <= share <= 0.3:
            fails.append(f"({l}) correct in {share:.3f} of the items")
    share = longest / n
    print(f"mcq_correct_strictly_longest {share:.3f}")
    if share > 0.3:
        fails.append(f"the correct option is the longest in {share:.3f}")
    print(f"mcq_distractor_length_distance_max_percent {worst:.1f}")
    if worst > 20.0:
        fails.append(f"a distractor {worst:.1f}% off the correct length")
    print(f"mcq_items_breaking_a_rule {bad}")
    if bad:
        fails.append(f"{bad} items break a rule")
    for b in fails:
        print(f"# FAIL {b}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
