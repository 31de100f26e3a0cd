#!/usr/bin/env python3
"""fewshot_check.py DIR N [--rat] - rebuild episodes.jsonl from rows.jsonl
the way FSPO's get_roleplay and shots_to_text build them
(github.com/Asap7772/fewshot-preference-optimization,
directpreferenceoptimization/preference_datasets.py; written for this
test from that file's logic, none of its code), with the export's
documented shuffle in place of pandas' unseeded one, and compare with the
exported episodes.jsonl. Exits 1 on any difference."""
import json
import sys

d, n = sys.argv[1], int(sys.argv[2])
rat = "--rat" in sys.argv[3:]
M = (1 << 64) - 1


def fnv1a64(s):
    h = 1469598103934665603
    for b in s.encode():
        h = ((h ^ b) * 1099511628211) & M
    return h


def shuffled(rows, user, p):
    st = fnv1a64(user) ^ ((p * 0x9E3779B97F4A7C15) & M)
    rows = list(rows)
    for i in range(len(rows) - 1, 0, -1):
        st = (st + 0x9E3779B97F4A7C15) & M
        z = st
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        z ^= z >> 31
        j = z % (i + 1)
        rows[i], rows[j] = rows[j], rows[i]
    return rows


def shots_to_text(prompts, preferred, dispreferred, question, chosen,
                  rejected, desc, add_persona):
    text = ""
    for i, (p, y, z) in enumerate(zip(prompts, preferred, dispreferred)):
        text += "# Example " + str(i + 1) + "\n"
        text += "## Question \n" + p + "\n"
        text += "## Preferred Response \n" + y + "\n"
        text += "## Dispreferred Response \n" + z + "\n"
        text += "\n"
    text += "# Task\n"
    if not prompts:
        task = "Generate a response to the following question."
    elif add_persona:
        task = ("Generate a user description based on the examples above. "
                "Then, generate a preferred response to the following "
                "question.")
    else:
        task = ("Given the examples above, generate a preferred response to "
                "the following question.")
    text += task + "\n"
    text += "## Question \n" + question + "\n"
    chosen = "## Preferred Response \n" + chosen + "\n"
    rejected = "## Preferred Response \n" + rejected + "\n"
    if add_persona:
        chosen = "## User Description\n" + desc + "\n" + chosen
        rejected = "## User Description\n" + desc + "\n" + rejected
    return text, chosen, rejected


rows = [json.loads(l) for l in open(f"{d}/rows.jsonl")]
by_user = {}
for r in rows:
    by_user.setdefault(r["level"], []).append(r)
want = []
for p in range(2 * (n + 1)):
    for level in sorted(by_user):
        level_rows = shuffled(by_user[level], level, p)
        i = 0
        while i < len(level_rows):
            end = i + n + 2
            if end > len(level_rows):
                break
            w = level_rows[i:end]
            q = w[n]
            prompt, chosen, rejected = shots_to_text(
                [r["x"].strip() for r in w[:n]],
                [r["yw"].strip() for r in w[:n]],
                [r["yl"].strip() for r in w[:n]],
                q["x"].strip(), q["yw"].strip(), q["yl"].strip(),
                q["user_desc"], rat)
            want.append({"user": level, "prompt": prompt, "chosen": chosen,
                         "rejected": rejected})
            i = end
got = [json.loads(l) for l in open(f"{d}/episodes.jsonl")]
users = sum(1 for v in by_user.values() if len(v) >= n + 2)
print(f"{len(rows)} rows, {len(by_user)} users ({users} with {n + 2}+ "
      f"rows), {len(want)} episodes rebuilt, {len(got)} exported")
if got != want:
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            print(f"episode {i} differs")
            break
    sys.exit(1)
if not want:
    print("no episodes")
    sys.exit(1)
print("identical")
