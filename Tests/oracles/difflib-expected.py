#!/usr/bin/env python3
"""Writes Fixtures/output/difflib/cases.json: pairs of line lists and the unified diff Python's difflib
makes of them (n=3), the diff Ansible shows with --diff. Inputs come from a fixed seed, including long
inputs where difflib's "popular line" heuristic applies. Run: python3 Tests/oracles/difflib-expected.py"""
import difflib
import json
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests/Fixtures/output/difflib/cases.json")

rng = random.Random(20261122)
words = ["alpha", "beta", "gamma", "delta", "", "}", "{", "    return x", "# comment", "key: value"]


def mutate(lines):
    out = list(lines)
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(["insert", "delete", "replace"])
        i = rng.randint(0, len(out))
        if op == "insert" or not out:
            out.insert(i, rng.choice(words) + "\n")
        elif op == "delete":
            del out[min(i, len(out) - 1)]
        else:
            out[min(i, len(out) - 1)] = rng.choice(words) + " changed\n"
    return out


cases = []
for size in [0, 1, 3, 8, 20, 40, 80, 250, 400]:
    for _ in range(4):
        a = [rng.choice(words) + "\n" for _ in range(size)]
        b = mutate(a)
        cases.append({"a": a, "b": b, "diff": list(difflib.unified_diff(a, b, "before", "after: f", "", "", n=3))})
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(cases, f, indent=1)
print(f"difflib-expected: {len(cases)} cases")
