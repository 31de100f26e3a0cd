"""distinct.py - distinct-n of texts as the issue-16 figure tests count
it: lower-cased word tokens (letters, digits, apostrophes, hyphens),
n-grams over each text's own tokens, distinct over all."""
import re

WORD = re.compile(r"[A-Za-z0-9'\-\u0080-\uffff]+")


def words(t):
    """The lower-cased word tokens of t."""
    return [w.lower() for w in WORD.findall(t)]


def distinct_n(texts, n=2):
    """Distinct n-grams over all n-grams of texts (0.0 for none)."""
    grams, total = set(), 0
    for t in texts:
        w = words(t)
        for g in zip(*(w[i:] for i in range(n))):
            grams.add(g)
            total += 1
    return len(grams) / total if total else 0.0
