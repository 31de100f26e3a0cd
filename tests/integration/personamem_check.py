#!/usr/bin/env python3
"""personamem_check.py DIR - run PersonaMem's own loading and answer
scoring over a `personaforge export --format personamem` directory,
with an oracle that answers the correct letter.

The loading and scoring below follow, step by step, the authors'
inference_standalone_openai.py (github.com/bowen-upenn/PersonaMem):
build_jsonl_index() and load_context_by_id() for the contexts (one
single-key JSON object per line, found by byte offset),
load_rows_with_context() for the CSV (csv.DictReader, the context loaded
again only when shared_context_id changes), run_evaluation() for the
columns it reads and the cut context[:int(end_index_in_shared_context)],
query_llm() for the prompt (the question, their instruction and the
all_options text), convert_role_system_to_user() for the models without
a system role, and Evaluation.extract_answer() for the score. Their
baselines/data_loader.py reads all_options with ast.literal_eval and the
contexts requiring one key per line; that is done too. Our code, written
from theirs; Debian's python3 only, no network, no model.

Checks: every row loads and has every column their script reads; every
shared_context_id resolves; every end index is an integer in 1..len;
every message has a role (system, user, assistant) and text; all_options
is a Python list of four strings starting "(a) ".."(d) "; the oracle's
answer scores right on every row and a wrong-letter oracle's on none.
Also prints the items per type, the letter distribution and the share
where the correct option is the longest. Exits 1 on any failure.
"""
import ast
import csv
import glob
import json
import os
import re
import sys
from collections import Counter

# What run_evaluation() reads of each row.
COLUMNS = ["persona_id", "question_id", "question_type", "topic",
           "stereotypical", "context_length_in_tokens",
           "context_length_in_letters", "distance_to_ref_in_blocks",
           "distance_to_ref_in_tokens", "num_irrelevant_tokens",
           "distance_to_ref_proportion_in_context",
           "user_question_or_message", "correct_answer", "all_options",
           "shared_context_id", "end_index_in_shared_context"]
INSTRUCTIONS = ("Find the most appropriate model response and give your "
                "final answer (a), (b), (c), or (d) after the special "
                "token <final_answer>.")

failures = []


def fail(msg):
    if len(failures) < 20:
        print("FAIL " + msg)
    failures.append(msg)


def offsets(path):
    """Their build_jsonl_index: each line's first key -> byte offset."""
    index = {}
    with open(path, "r", encoding="utf-8") as f:
        while True:
            at = f.tell()
            line = f.readline()
            if not line:
                return index
            index[next(iter(json.loads(line).keys()))] = at


def context_at(path, at):
    """Their load_context_by_id: the value of the line at that offset."""
    with open(path, "r", encoding="utf-8") as f:
        f.seek(at)
        return next(iter(json.loads(f.readline()).values()))


def single_keys(path):
    """data_loader.read_jsonl: every line one key; the dict of them."""
    out = {}
    with open(path, "r", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if len(d) != 1:
                fail("%s:%d: %d keys, want 1" % (path, n, len(d)))
            out.update(d)
    return out


def rows_with_context(csv_path, jsonl_path):
    """Their load_rows_with_context."""
    index = offsets(jsonl_path)
    with open(csv_path, mode="r", newline="", encoding="utf-8") as f:
        prev, ctx = None, None
        for row in csv.DictReader(f):
            sid = row["shared_context_id"]
            if sid != prev:
                ctx = context_at(jsonl_path, index[sid])
                prev = sid
            yield dict(row), ctx


def options_only(text):
    """extract_answer's _extract_only_options."""
    text = text.lower()
    found = re.findall(r"\(([a-d])\)", text)
    return set(found) if found else set(re.findall(r"\b([a-d])\b", text))


def extract_answer(predicted, correct):
    """Their Evaluation.extract_answer: (score, predicted answer)."""
    want = correct.lower().strip("() ")
    full = predicted
    predicted = predicted.strip()
    if "<final_answer>" in predicted:
        predicted = predicted.split("<final_answer>")[-1].strip()
    if predicted.endswith("</final_answer>"):
        predicted = predicted[:-len("</final_answer>")].strip()
    if options_only(predicted) == {want}:
        return True, predicted
    if options_only(full) == {want}:
        return True, predicted
    return False, predicted


def system_to_user(messages):
    """Their convert_role_system_to_user."""
    out, held = [], ""
    for m in messages:
        role, content = m.get("role"), m.get("content", "")
        if role == "system":
            held += "[System]: %s\n" % content
            continue
        if held:
            content, held = held + content, ""
        if out and out[-1]["role"] == role:
            out[-1]["content"] += "\n" + content
        else:
            out.append({"role": role, "content": content})
    return out


def query(question, all_options, context):
    """The messages query_llm() sends."""
    return context + [{"role": "user", "content": question + "\n\n" +
                       INSTRUCTIONS + "\n\n" + all_options}]


def oracle(letter):
    """A model that reasons briefly, then answers `letter`."""
    return ("Going by what you told me earlier, the reply that fits is "
            "this one.\n<final_answer>(%s)" % letter)


def check_row(row, ctx, seen):
    qid = row.get("question_id", "?")
    missing = [c for c in COLUMNS if row.get(c) is None]
    if missing:
        fail("%s: no %s" % (qid, ", ".join(missing)))
        return None
    try:
        end = int(row["end_index_in_shared_context"])
    except ValueError:
        fail("%s: end index %r" % (qid, row["end_index_in_shared_context"]))
        return None
    if not 1 <= end <= len(ctx):
        fail("%s: end index %d outside 1..%d" % (qid, end, len(ctx)))
    cut = ctx[:end]
    for m in cut:
        if m.get("role") not in ("system", "user", "assistant") or \
                not isinstance(m.get("content"), str):
            fail(("%s: a message %r" % (qid, m))[:200])
            break
    opts = ast.literal_eval(row["all_options"])
    if not (isinstance(opts, list) and len(opts) == 4 and
            all(isinstance(o, str) and o.startswith("(%s) " % l)
                for o, l in zip(opts, "abcd"))):
        fail("%s: all_options %r" % (qid, row["all_options"][:200]))
        return None
    correct = row["correct_answer"]
    if not re.fullmatch(r"\([a-d]\)", correct):
        fail("%s: correct_answer %r" % (qid, correct))
        return None
    letter = correct[1]
    messages = query(row["user_question_or_message"], row["all_options"],
                     cut)
    if any(m["role"] == "system" for m in system_to_user(messages)):
        fail("%s: a system message survives the conversion" % qid)
    ok, _ = extract_answer(oracle(letter), correct)
    if not ok:
        fail("%s: the oracle's answer (%s) scores wrong" % (qid, letter))
    wrong = "abcd"[("abcd".index(letter) + 1) % 4]
    if extract_answer(oracle(wrong), correct)[0]:
        fail("%s: a wrong answer (%s) scores right" % (qid, wrong))
    if qid in seen:
        fail("%s: question_id repeats" % qid)
    seen.add(qid)
    return letter, [o[4:] for o in opts]


def main():
    d = sys.argv[1]
    qs = glob.glob(os.path.join(d, "questions_*.csv"))
    if len(qs) != 1:
        print("FAIL want one questions_<tag>.csv, found %d" % len(qs))
        return 1
    tag = os.path.basename(qs[0])[len("questions_"):-len(".csv")]
    ctx_path = os.path.join(d, "shared_contexts_%s.jsonl" % tag)
    contexts = single_keys(ctx_path)
    with open(qs[0], newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    if header != COLUMNS:
        fail("columns %s" % header)
    types, letters, seen, used = Counter(), Counter(), set(), set()
    n = longest = 0
    for row, ctx in rows_with_context(qs[0], ctx_path):
        n += 1
        used.add(row["shared_context_id"])
        if row["shared_context_id"] not in contexts:
            fail("%s: context %s is not in the JSONL" %
                 (row["question_id"], row["shared_context_id"]))
        got = check_row(row, ctx, seen)
        if got is None:
            continue
        letter, opts = got
        types[row["question_type"]] += 1
        letters[letter] += 1
        k = "abcd".index(letter)
        if all(len(opts[k]) > len(o) for j, o in enumerate(opts) if j != k):
            longest += 1
    if n == 0:
        fail("no rows")
        return 1
    if set(contexts) != used:
        fail("%d contexts no question uses" % len(set(contexts) - used))
    print("tag %s: %d rows, %d contexts, all loaded and scored" %
          (tag, n, len(contexts)))
    for t, c in sorted(types.items()):
        print("type %s %d" % (t, c))
    print("letters " + " ".join("(%s) %.1f%%" % (l, 100.0 * letters[l] / n)
                                for l in "abcd"))
    print("correct option strictly the longest: %.1f%%" %
          (100.0 * longest / n))
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
