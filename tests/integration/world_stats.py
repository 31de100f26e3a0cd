#!/usr/bin/env python3
"""world_stats.py DIR NOISE - the figures of a persona world build.

DIR holds the JSONL export of an offline build whose documents were built
with $.stages.documents.noise_ratio NOISE. Prints, one "name value" line
each: contacts per persona, documents per type, the noise share (overall
and the largest per-persona distance from NOISE), facts per statement kind
and per period, the share of later events that update an earlier
preference, sessions whose planted fact is not stated (explicit: the value
word for word; implicit: the clue phrase), canaries outside their own
documents, documents without their canary, bad session ids, and distinct-2
per document type over the first 1,000 documents (lower-case [a-z]+ tokens
with canaries and the names of personas and contacts removed).
Exits 1 when a figure misses its bar, 2 on bad input.
"""
import collections
import json
import re
import sys

WORD = re.compile(r"[a-z]+")
CANARY = None   # the canary prefix and a UUID-like tail (set in main)


def rows(d, name):
    with open(f"{d}/{name}", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def distinct2(texts, names):
    grams, total = set(), 0
    for t in texts:
        toks = [w for w in WORD.findall(CANARY.sub(" ", t).lower())
                if w not in names]
        pairs = list(zip(toks, toks[1:]))
        total += len(pairs)
        grams.update(pairs)
    return len(grams) / total if total else 0.0


# A turn of these acts asks for a reply of the listed acts by the other
# speaker (a plan gets an agreement or a counter, which gets agreed to;
# news gets a reaction, or after an update the question what changed).
REPLY = {"question": {"answer"}, "request": {"answer"},
         "news": {"react", "question"}, "plan": {"agree", "counter"},
         "counter": {"agree"}}
STOP = set("that this with have what your from just they them been about "
           "will would there their here into some when were since after "
           "because really still very much more like know the and you "
           "was for but not too all how are can get got did had has her "
           "him his its now out our one any see say way who why yes off "
           "own she may".split())


def stems(text, names):
    """Content words (numbers and words of 3+ letters, no stop words or
    the speakers' first names),
    cut to five letters so "change" meets "changed"."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower())
            if (len(w) >= 3 or w.isdigit()) and w not in STOP and
            w not in names}


def dialogue(docs):
    """Turn pairs of the chats, and the pairs whose reply is missing, of
    the wrong act, by the same speaker or shares no content word with
    what it answers (a reply that does not answer what was said)."""
    pairs = bad = untagged = 0
    for doc in docs:
        if doc["doc_type"] not in ("conversation", "user_ai"):
            continue
        turns = doc["entries"]
        # Speakers greet each other by first name, so first names are no
        # evidence of an answer; surnames are (a reply naming "Amy
        # Sexton", or the eye colour "Green", repeats what was said).
        own = {WORD.findall(n.lower())[0] for n in doc["participants"]
               if WORD.findall(n.lower())}
        if not turns or any("act" not in t for t in turns):
            untagged += 1
            continue
        for i, t in enumerate(turns):
            want = REPLY.get(t["act"])
            if want is None:
                continue
            pairs += 1
            r = turns[i + 1] if i + 1 < len(turns) else None
            why = None
            if r is None or r["act"] not in want:
                why = "no reply of %s" % "/".join(sorted(want))
            elif r["role"] == t["role"]:
                why = "the same speaker replies"
            elif t["act"] == "question" and "?" not in t["content"]:
                why = "a question without a question mark"
            elif not stems(t["content"], own) & stems(r["content"], own):
                why = "the reply shares no word with what it answers"
            if why:
                bad += 1
                if bad <= 5:
                    print(f"# {doc['doc_id']}: {why}: "
                          f"{t['content']!r} -> "
                          f"{r['content'] if r else None!r}")
    return pairs, bad, untagged


def main():
    if len(sys.argv) != 3:
        print("usage: world_stats.py DIR NOISE", file=sys.stderr)
        return 2
    d, noise = sys.argv[1], float(sys.argv[2])
    bad = []
    personas = {p["persona_id"]: p for p in rows(d, "personas.jsonl")}
    canary = {k: p["canary"] for k, p in personas.items()}
    global CANARY
    prefix = next(iter(canary.values()))[:-36]
    CANARY = re.compile(re.escape(prefix) + r"[0-9a-f-]{36}")
    names = set()
    for p in personas.values():
        names.update(WORD.findall(p["name"].lower()))

    per = collections.Counter()
    for c in rows(d, "contacts.jsonl"):
        per[c["persona_id"]] += 1
        names.update(WORD.findall(c["name"].lower()))
    counts = [per[k] for k in personas]
    print(f"contacts_per_persona min {min(counts)} mean "
          f"{sum(counts) / len(counts):.2f} max {max(counts)}")
    if min(counts) < 5:
        bad.append("a persona has fewer than 5 contacts")

    docs = {}
    types = collections.Counter()
    noisy = collections.Counter()
    total = collections.Counter()
    seg_bad = missing_canary = leaks = 0
    seen = collections.defaultdict(set)
    for doc in rows(d, "documents.jsonl"):
        docs[doc["doc_id"]] = doc
        pid = doc["persona_id"]
        types[doc["doc_type"]] += 1
        total[pid] += 1
        noisy[pid] += doc["noise"]
        sid = (doc["segment_id"], doc["session_id"])
        if (not re.fullmatch(r"[0-9]{12}", doc["segment_id"]) or
                sid[0] in seen[pid] or sid[1] in seen[pid]):
            seg_bad += 1
        seen[pid].update(sid)
        if canary[pid] not in doc["content"]:
            missing_canary += 1
        for m in CANARY.findall(json.dumps(doc)):
            leaks += m != canary[pid]
    for t, n in sorted(types.items()):
        print(f"documents {t} {n}")
    share = sum(noisy.values()) / sum(total.values())
    worst = max(abs(noisy[k] / total[k] - noise) for k in total)
    print(f"noise_share setting {noise} overall {share:.3f} "
          f"worst_persona_distance {worst:.3f}")
    if abs(share - noise) > 0.05 or worst > 0.05:
        bad.append("noise share off the setting")

    kinds = collections.Counter()
    periods = collections.Counter()
    by_type = collections.Counter()
    unstated = updates = later = 0
    fact_docs = set()
    for f in rows(d, "facts.jsonl"):
        kinds[f["statement"]] += 1
        periods[f["period"]] += 1
        if f["period"] != "initial":
            later += 1
            updates += f["supersedes"] != ""
        for doc_id in f["doc_ids"]:
            fact_docs.add(doc_id)
            by_type[docs[doc_id]["doc_type"]] += 1
            text = docs[doc_id]["content"].lower()
            want = f["clue"] if f["statement"] == "implicit" else \
                f["fact_value"]
            if not want or want.lower() not in text:
                unstated += 1
                if unstated <= 5:
                    print(f"# {doc_id} does not state {f['fact_id']}")
    for k, n in sorted(kinds.items()):
        print(f"facts statement {k} {n}")
    for k, n in sorted(by_type.items()):
        print(f"planted_facts {k} {n}")
    for k, n in sorted(periods.items()):
        print(f"facts period {k} {n}")
    print(f"later_events {later} updating_a_preference {updates}")
    noise_wrong = sum(1 for k, doc in docs.items()
                      if doc["noise"] == (k in fact_docs))
    print(f"unstated_planted_facts {unstated}")
    print(f"noise_flag_wrong {noise_wrong}")
    if unstated or noise_wrong or len(kinds) < 2 or \
            (later and updates * 2 < later):
        bad.append("facts not planted as recorded")

    for name in ("facts.jsonl", "contacts.jsonl", "qa.jsonl",
                 "backstory_turns.jsonl", "preference_pairs.jsonl",
                 "findings.jsonl"):
        try:
            with open(f"{d}/{name}", encoding="utf-8") as f:
                leaks += sum(len(CANARY.findall(line)) for line in f)
        except FileNotFoundError:
            pass
    for p in personas.values():
        q = dict(p)
        q.pop("canary")
        leaks += len(CANARY.findall(json.dumps(q)))
    print(f"canaries_outside_own_documents {leaks}")
    print(f"documents_without_their_canary {missing_canary}")
    print(f"bad_session_or_segment_ids {seg_bad}")
    if leaks or missing_canary or seg_bad:
        bad.append("canaries or session ids wrong")

    pairs, incoherent, untagged = dialogue(docs.values())
    print(f"dialogue_turn_pairs {pairs} unanswered_or_off_topic "
          f"{incoherent} untagged_chats {untagged}")
    if incoherent or untagged or not pairs:
        bad.append("chat replies that do not answer what was said")

    first = collections.defaultdict(list)
    for doc in list(docs.values())[:1000]:
        first[doc["doc_type"]].append(doc["content"])
    for t, texts in sorted(first.items()):
        v = distinct2(texts, names)
        floor = 0.25   # the bar, for every type
        print(f"distinct2 {t} {v:.3f} over {len(texts)} documents"
              f"{' (below the 0.25 bar)' if v < 0.25 else ''}")
        if v < floor:
            bad.append(f"distinct-2 of {t} below {floor}")
    for b in bad:
        print(f"# FAIL {b}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
