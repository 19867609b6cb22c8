#!/usr/bin/env python3
"""Writes what Python's shlex does with each command line in the shell-words corpus:
shlex.split with and without comments (as Ansible's command module splits its free-form text) and shlex.quote of every word.

    python3 Tests/oracles/shellwords-expected.py
"""
import json
import pathlib
import shlex

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "modules"
rows = []
for text in json.loads((fixtures / "shellwords-cases.json").read_text()):
    try:
        words = shlex.split(text)
    except ValueError:
        words = None
    try:
        commented = shlex.split(text, comments=True)
    except ValueError:
        commented = None
    rows.append({"text": text, "words": words, "commented": commented,
                 "quoted": [shlex.quote(w) for w in (words or [])]})
(fixtures / "shellwords-expected.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(rows)} cases")
