#!/usr/bin/env python3
"""sepqa_read.py DIR - read a `personaforge export --format sepqa` directory
the way the authors' code does, and check what that code relies on.

Reads like github.com/pkasela/SY_SE-PQA join_data_new.py (glob
DIR/*/*.json; id, Title, Body, answer_with_body_context[0]
['generated_text'], answer_with_body_base[0]['generated_text'];
collection[q_id_to_best_answer[id]] from answer_collection.json and
train/data_pers.jsonl) and train/dataloader/dataloader.py (title + ' ' +
body, bm25_run[id].keys(), collection[neg]); written for this test, no
code of theirs. Prints one line per failure and exits 1 if any."""
import glob
import json
import os
import sys

d = sys.argv[1]
bad = []
with open(os.path.join(d, "answer_collection.json")) as f:
    collection = json.load(f)
best = {}
train = {}
with open(os.path.join(d, "train/data_pers.jsonl")) as f:
    for line in f:
        q = json.loads(line)
        best[q["id"]] = q["best_answer"]
        train[q["id"]] = q
        for k in ("id", "title", "text", "best_answer", "rel_ids",
                  "bm25_doc_ids"):
            if k not in q:
                bad.append(f"{q.get('id')}: data_pers line lacks {k}")
        if q["rel_ids"] != [q["best_answer"]]:
            bad.append(f"{q['id']}: rel_ids is not [best_answer]")
with open(os.path.join(d, "train/bm25_run.json")) as f:
    run = json.load(f)

# The join globs */*.json, which also matches train/bm25_run.json: like
# any file without the keys it lands in the join's no_bueno list.
files = sorted(p for p in glob.glob(f"{d}/*/*.json")
               if not p.startswith(os.path.join(d, "train") + "/"))
joined = []
no_bueno = 0
for path in glob.glob(f"{d}/*/*.json"):
    with open(path) as f:
        data = json.load(f)
    if "id" not in data and path.startswith(os.path.join(d, "train")):
        no_bueno += 1
for path in files:
    with open(path) as f:
        data = json.load(f)
    comm = os.path.basename(os.path.dirname(path))
    if data["id"] != os.path.basename(path)[:-5]:
        bad.append(f"{path}: id {data['id']} is not the file name")
    if not data["id"].startswith(comm + "_") or \
            not data["id"][len(comm) + 1:].isdigit():
        bad.append(f"{path}: id is not <community>_<n>")
    tags = data["top5_tags"].split(", ")
    if not 1 <= len(tags) <= 5 or any(not t for t in tags):
        bad.append(f"{path}: top5_tags {data['top5_tags']!r}")
    pers = [k in data for k in ("answer_only_title_pers",
                                "answer_with_body_pers")]
    if pers[0] != pers[1]:
        bad.append(f"{path}: one personalised answer without the other")
    for k, v in data.items():
        if k.startswith("answer_") and (not isinstance(v, list) or
                                        list(v[0].keys()) !=
                                        ["generated_text"]):
            bad.append(f"{path}: {k} is not [{{generated_text}}]")
    try:   # join_data_new.py
        row = {
            "id": data["id"], "title": data["Title"], "body": data["Body"],
            "best_answer": collection[best[data["id"]]],
            "answer_WBC": data["answer_with_body_context"][0]["generated_text"],
            "answer_WBB": data["answer_with_body_base"][0]["generated_text"],
        }
        if pers[0]:
            row["answer_OTP"] = data["answer_only_title_pers"][0]["generated_text"]
            row["answer_WBP"] = data["answer_with_body_pers"][0]["generated_text"]
        joined.append(row)
    except KeyError as e:
        bad.append(f"{path}: the join fails on {e}")

for row in joined:   # dataloader.py
    query_text = row["title"] + " " + row["body"]
    if query_text != train[row["id"]]["text"]:
        bad.append(f"{row['id']}: text is not title + ' ' + body")
    docs = list(run.get(row["id"], {}).keys())
    if not docs:
        bad.append(f"{row['id']}: empty BM25 run")
    for doc in docs:
        if doc not in collection:
            bad.append(f"{row['id']}: run names {doc}, not in the collection")
    if docs != train[row["id"]]["bm25_doc_ids"]:
        bad.append(f"{row['id']}: bm25_doc_ids differ from the run")
    scores = list(run[row["id"]].values())
    if scores != sorted(scores, reverse=True):
        bad.append(f"{row['id']}: run not best first")
if set(best) != {r["id"] for r in joined}:
    bad.append("data_pers.jsonl and the question files name other ids")

for b in bad[:20]:
    print(b)
print(f"{len(files)} question files, {len(joined)} joined, "
      f"{len(collection)} answers, {len(bad)} problems")
sys.exit(1 if bad or not joined else 0)
