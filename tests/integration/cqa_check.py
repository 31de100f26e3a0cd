#!/usr/bin/env python3
"""cqa_check.py CQA_JSONL - the community-QA rows of a JSONL export hold
together: every top-5 tag comes from the asker's earlier questions only
(the leak check), top5_tags has 1 to 5 tags, the tag overlap is
|Tq & Ta| / (|Tq| + 1) in [0, 1), every question has its answers under
the same title and body, the answerer is never the asker. Prints the
figures and exits 1 on any failure."""
import collections
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
leaks = bad = 0
questions = collections.defaultdict(list)
for r in rows:
    questions[r["question_id"]].append(r)
    earlier = set()
    for q in r["user_questions"]:
        if q["timestamp"] < r["timestamp"]:
            earlier.update(q["tags"])
        else:
            bad += 1
    leaks += sum(1 for t in r["top5_tags"] if t not in earlier)
    if not 1 <= len(r["top5_tags"]) <= 5:
        bad += 1
    if not 0 <= r["tag_overlap"] < 1:
        bad += 1
    if r["answerer_id"] == r["asker_id"] or not r["answer"]:
        bad += 1
for qid, rs in questions.items():
    if len({(r["title"], r["body"], r["asker_id"]) for r in rs}) != 1:
        bad += 1
    if len({r["technique"] for r in rs}) != len(rs):
        bad += 1
print(f"{len(rows)} answers to {len(questions)} questions; "
      f"top-5-tag leaks {leaks}; other problems {bad}")
sys.exit(1 if leaks or bad or not rows else 0)
