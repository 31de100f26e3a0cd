#!/usr/bin/env python3
"""cqafile_check.py QUESTIONS_JSONL CQA_JSONL MIN_HISTORY - the cqa rows
of a build whose questions come from a file hold to the file: the
questions answered are exactly the file's personalised ones (an asker
with at least MIN_HISTORY earlier questions by timestamp), each taken
by one persona only, under the file's title and body; every top-5 tag
is a tag of one of the asker's earlier questions in the file (the leak
check, against the file rather than the row). Prints the figures and
exits 1 on any failure."""
import collections
import json
import sys

questions = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
rows = [json.loads(line) for line in open(sys.argv[2])]
min_history = int(sys.argv[3])

by_asker = collections.defaultdict(list)
for q in questions:
    by_asker[q["asker"]].append(q)
earlier_tags, personalised = {}, set()
for qs in by_asker.values():
    qs.sort(key=lambda q: q["timestamp"])
    for i, q in enumerate(qs):
        earlier_tags[q["id"]] = {t for e in qs[:i] for t in e["tags"]}
        if i >= min_history:
            personalised.add(q["id"])
by_id = {q["id"]: q for q in questions}

bad = leaks = 0
takers = collections.defaultdict(set)
for r in rows:
    q = by_id.get(r["question_id"])
    if q is None or r["title"] != q["title"] or r["body"] != q["body"] \
            or r["community"] != q["community"] or r["tags"] != q["tags"]:
        bad += 1
        continue
    takers[r["question_id"]].add(r["asker_id"])
    leaks += sum(1 for t in r["top5_tags"] if t not in earlier_tags[q["id"]])
answered = set(takers)
shared = sum(1 for s in takers.values() if len(s) != 1)
print(f"{len(rows)} answers to {len(answered)} of {len(personalised)} "
      f"personalised file questions; not from the file {bad}; "
      f"top-5-tag leaks {leaks}; questions taken twice {shared}")
sys.exit(1 if bad or leaks or shared or answered != personalised else 0)
