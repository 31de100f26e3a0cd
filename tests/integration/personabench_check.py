#!/usr/bin/env python3
"""personabench_check.py DIR - run PersonaBench's own data
loading and ground-truth ("gt-context") retrieval over a
`personaforge export --format personabench` directory.

The loading and retrieval below follow, step by step, the authors'
scripts/evaluation/retrieval_and_generation.py (github.com/
SalesforceAIResearch/personabench): retrieval_and_generation() for the
file paths and lookups, create_vector_base() for the chunks and segment
ids (retriever_model None: gt-context), extract_gt_segment_ids() for the
ground truth, and the gt-context branch (np.vectorize(id_to_index.get)).
Their json loading is personabench/utils/utils.py load_json and their
chunk text convert_json_to_plain_text/remove_key; eval.py's
expand_retrieval_ground_truth and compute_recall_and_ndcg_for_single_
combination score the retrieval (Recall@5 must be 1 for every QA). It
runs on Debian's python3 and numpy only: no network, no models (the
embedding retrievers and the reader LLM are not part of this check).

Checks: every file opens; every persona is in all three document files;
every cited segment id exists among the persona's sessions; the
ground-truth retriever returns every evidence segment (the main one of
each item, which is what extract_gt_segment_ids takes); q_ids are 9-digit
strings, unique over the export (eval.py raises on a repeat). Prints figures and exits 1 on any failure.
"""
import json
import os
import sys
from itertools import product

import numpy as np

NUM_CHUNKS = 5  # --num_chunks in the authors' retrieval_and_generation.sh


def load_json(file_path):  # personabench/utils/utils.py
    with open(file_path, "r") as f:
        return json.load(f)


def remove_key(json_data, key_to_remove):  # personabench/utils/utils.py
    if isinstance(json_data, dict):
        return {k: remove_key(v, key_to_remove)
                for k, v in json_data.items() if k != key_to_remove}
    if isinstance(json_data, list):
        return [remove_key(item, key_to_remove) for item in json_data]
    return json_data


def convert_json_to_plain_text(json_data, exclude=None):  # utils.py
    for key_to_remove in exclude:
        json_data = remove_key(json_data, key_to_remove)
    return json.dumps(json_data, separators=(",", ":"))


def create_vector_base(documents_dict):
    """retrieval_and_generation.py create_vector_base, retriever None."""
    chunks, segment_ids = [], []
    for document_type, document_data in documents_dict.items():
        if document_type != "conversation_data":
            for data_entry in document_data:
                segment_ids.append(data_entry["segment_id"])
                chunks.append(convert_json_to_plain_text(
                    data_entry, exclude=["segment_id", "session"]))
        else:
            for sub_conversation_data in document_data:
                for data_entry in sub_conversation_data["Conversations"]:
                    segment_ids.append(data_entry["segment_id"])
                    chunks.append(convert_json_to_plain_text(
                        data_entry, exclude=["segment_id", "session"]))
    return chunks, None, np.array(segment_ids)


def extract_gt_segment_ids(QA, qa_gt_context_all_lookup, num_chunks):
    """retrieval_and_generation.py extract_gt_segment_ids."""
    gt_segment_ids_retrieval = []
    for qa in QA:
        question_gt_ids = []
        for individual_ids in \
                qa_gt_context_all_lookup[qa["q_id"]]["segment_id"].values():
            question_gt_ids.append(individual_ids[0])
        if len(question_gt_ids) < num_chunks:
            additional_count = num_chunks - len(question_gt_ids)
            repeat_part = question_gt_ids * (additional_count //
                                             len(question_gt_ids))
            remaining_part = question_gt_ids[:additional_count %
                                             len(question_gt_ids)]
            question_gt_ids += repeat_part + remaining_part
        elif len(question_gt_ids) > num_chunks:
            raise ValueError(f"find {len(question_gt_ids)} ground truth, "
                             f"which is larger than {num_chunks}")
        gt_segment_ids_retrieval.append(question_gt_ids)
    return np.array(gt_segment_ids_retrieval)


def recall_at_k(retrieved, ground_truth_segment_ids, k):
    """eval.py: the best Recall@K over the Cartesian product of each
    item's alternative segment ids."""
    best = 0.0
    for combination in product(*ground_truth_segment_ids.values()):
        gt = set(combination)
        hit = len(set(retrieved[:k]) & gt)
        best = max(best, hit / len(gt) if gt else 0.0)
    return best


def check_community(community_path, noise, fig, fail):
    eval_info_all = load_json(os.path.join(
        community_path, "eval_info", "eval_info_all.json"))
    qa_gt_context_all = load_json(os.path.join(
        community_path, "eval_info",
        f"qa_gt_context_all_noise_{noise}.json"))
    qa_gt_context_all_lookup = {e["q_id"]: e for e in qa_gt_context_all}
    pdir = os.path.join(community_path, "private_data", f"noise_{noise}")
    lookups = {}
    for kind in ("conversation", "user_ai_interaction", "purchase_history"):
        data = load_json(os.path.join(pdir, f"{kind}_data_all.json"))
        lookups[kind] = {e["Name"]: e["Data"] for e in data}
    if len({tuple(v) for v in lookups.values()}) != 1:
        fail(f"{community_path}: the three document files list other "
             f"personas")
    fig["personas"] += len(lookups["conversation"])
    names = [e["Name"] for e in eval_info_all]
    if len(set(names)) != len(names):
        fail(f"{community_path}: a Name repeats")
    if len(names) > 10:
        fail(f"{community_path}: {len(names)} personas (at most 10)")
    for eval_info_dict in eval_info_all:
        name = eval_info_dict["Name"]
        if any(name not in lookups[k] for k in lookups):
            fail(f"{name}: missing from a *_data_all.json")
            continue
        documents_dict = {
            "conversation_data": lookups["conversation"][name],
            "user_ai_interaction_data": lookups["user_ai_interaction"][name],
            "purchase_history_data": lookups["purchase_history"][name]}
        chunks, _, segment_ids = create_vector_base(documents_dict)
        fig["sessions"] += len(chunks)
        QA = eval_info_dict["Eval_Info"]["qa"]
        if not QA:  # np.vectorize below raises on an empty array
            fail(f"{name}: no QA (the authors' retrieval cannot run)")
            continue
        for qa in QA:
            fig["qa"] += 1
            fig[qa["type"] + "/" + qa["difficulty"]] = \
                fig.get(qa["type"] + "/" + qa["difficulty"], 0) + 1
            q = qa["q_id"]
            if not (isinstance(q, str) and len(q) == 9 and q.isdigit()):
                fail(f"{name}: q_id {q!r} is not a 9-digit string")
            if q in fig["q_ids"]:
                fail(f"q_id {q} repeats")
            fig["q_ids"].add(q)
            gt = qa_gt_context_all_lookup.get(q)
            if gt is None:
                fail(f"{q}: no qa_gt_context entry")
                continue
            for item, ids in gt["segment_id"].items():
                for sid in ids:
                    fig["cited"] += 1
                    if sid not in set(segment_ids.tolist()):
                        fail(f"{q}: cited segment {sid} ({item}) is not "
                             f"among {name}'s sessions")
        gt_ids = extract_gt_segment_ids(QA, qa_gt_context_all_lookup,
                                        NUM_CHUNKS)
        id_to_index = {id_: idx for idx, id_ in enumerate(segment_ids)}
        I = np.vectorize(id_to_index.get)(gt_ids)
        retrieved = np.array(chunks)[I]  # as the script does
        if retrieved.shape != (len(QA), NUM_CHUNKS):
            fail(f"{name}: retrieval shape {retrieved.shape}")
        for i, qa in enumerate(QA):
            got = list(segment_ids[I[i]])
            want = qa_gt_context_all_lookup[qa["q_id"]]["segment_id"]
            mains = {ids[0] for ids in want.values()}
            if not mains <= set(got):
                fail(f"{qa['q_id']}: the gt-context retriever misses "
                     f"{sorted(mains - set(got))}")
            if recall_at_k(got, want, NUM_CHUNKS) != 1.0:
                fail(f"{qa['q_id']}: Recall@{NUM_CHUNKS} below 1")
            fig["retrieved"] += 1


def main():
    root = sys.argv[1]
    failures = []

    def fail(msg):
        if len(failures) < 20:
            print("FAIL " + msg)
        failures.append(msg)

    fig = {"qa": 0, "sessions": 0, "personas": 0, "cited": 0, "retrieved": 0,
           "q_ids": set()}
    sdir = os.path.join(root, "synthetic_data")
    communities = sorted(os.listdir(sdir))
    for c in communities:
        path = os.path.join(sdir, c)
        noises = [d[len("noise_"):] for d in
                  os.listdir(os.path.join(path, "private_data"))]
        if len(noises) != 1:
            fail(f"{c}: noise directories {noises}")
        for noise in noises:
            check_community(path, noise, fig, fail)
    print(f"communities {len(communities)}")
    print(f"personas {fig['personas']}")
    print(f"sessions {fig['sessions']}")
    print(f"qa {fig['qa']}")
    for k in sorted(k for k in fig if "/" in k):
        print(f"qa {k} {fig[k]}")
    print(f"cited segment ids {fig['cited']}")
    print(f"qa whose gt-context retrieval returns every evidence segment "
          f"{fig['retrieved']}")
    if fig["qa"] == 0:
        fail("no QA")
    print(f"failures {len(failures)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
