#!/usr/bin/env python3
"""cqa10k_check.py CQA_JSONL - issue 16's figures for the community
answers and the generated questions of a 10,000-persona offline build,
printed and held to their bars:

  distinct-2, first 1,000 community answers (answer)    >= 0.25
  near-duplicate questions among the distinct questions
  of the first 8,000 rows (title, body)                 <= 0.10 each
  exact repeats of a title among them                   <= 0.25
  the four techniques, SE-PQA's key names, per question  every question

(the top-5-tag leak check is cqa_check.py's, run by cqa.sh, and
prefs_check.py's, run by prefs10k.sh).

distinct-2 is counted as prefs_check.py counts it (distinct.py:
lower-cased word tokens, bigrams within each answer).
A question appears once per technique (four rows, one title and body),
so the near-duplicate share is taken over distinct question ids: a text
of at least 10 words is a near-duplicate when the Jaccard similarity of
its word 5-shingles with an earlier distinct question's reaches 0.8
(the diversity auditor's defaults, computed exactly here). Prints every
figure and exits 1 when one misses its bar."""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from distinct import distinct_n, words  # noqa: E402

TECH = {"answer_only_title_pers", "answer_with_body_pers",
        "answer_with_body_base", "answer_with_body_context"}
rows = [json.loads(line) for line in open(sys.argv[1])]
fail = []

first = rows[:1000]
d2 = distinct_n([r["answer"] for r in first])
mean = sum(len(words(r["answer"])) for r in first) / max(len(first), 1)
per = {t: distinct_n([r["answer"] for r in first if r["technique"] == t])
       for t in sorted(TECH)}
print(f"distinct-2 of the first {len(first)} community answers: {d2:.3f} "
      f"(bar 0.25), mean {mean:.1f} words")
print("  per technique: " + ", ".join(f"{t} {v:.3f}" for t, v in
                                       per.items()))
if d2 < 0.25:
    fail.append("distinct-2")


def near_dup_share(texts, threshold=0.8, n=5, min_words=10):
    """Share of the texts of >= min_words words whose word n-shingle set
    reaches `threshold` Jaccard with an earlier text's."""
    index = collections.defaultdict(list)
    kept, dups, counted = [], 0, 0
    for t in texts:
        w = words(t)
        if len(w) < min_words:
            continue
        counted += 1
        sh = {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}
        cand = collections.Counter()
        for s in sh:
            for k in index[s]:
                cand[k] += 1
        if any(c / (len(sh) + len(kept[k]) - c) >= threshold
               for k, c in cand.items()):
            dups += 1
            continue
        for s in sh:
            index[s].append(len(kept))
        kept.append(sh)
    return (dups / counted if counted else 0.0), counted


questions = {}
for r in rows[:8000]:
    questions.setdefault(r["question_id"], r)
qs = list(questions.values())
for field, bar in (("title", 0.10), ("body", 0.10)):
    share, counted = near_dup_share([q[field] for q in qs])
    print(f"near-duplicate {field} texts among {len(qs)} distinct questions: "
          f"{share:.3f} of the {counted} with >= 10 words (bar {bar})")
    if share > bar:
        fail.append(f"{field} near-duplicates")
titles = collections.Counter(q["title"] for q in qs)
rep = sum(c - 1 for c in titles.values()) / max(len(qs), 1)
print(f"exact title repeats among them: {rep:.3f} (bar 0.25)")
if rep > 0.25:
    fail.append("title repeats")

by_q = collections.defaultdict(set)
for r in rows:
    by_q[r["question_id"]].add(r["technique"])
bad = sum(1 for t in by_q.values() if t != TECH)
print(f"questions {len(by_q)}; without all four SE-PQA techniques: {bad}")
if bad:
    fail.append("techniques")

print("FAIL: " + ", ".join(fail) if fail else "all bars met")
sys.exit(1 if fail else 0)
