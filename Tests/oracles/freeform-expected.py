#!/usr/bin/env python3
"""Writes what Ansible's parse_kv makes of every argument string in the free-form corpus.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/freeform-expected.py
"""
import json
import pathlib

from ansible.errors import AnsibleError
from ansible.parsing.splitter import parse_kv

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "modules"
cases = json.loads((fixtures / "freeform-cases.json").read_text())
expected = []
for text in cases:
    row = {"text": text}
    for key, check_raw in (("options", False), ("raw_options", True)):
        try:
            row[key] = {str(k): str(v) for k, v in parse_kv(text, check_raw=check_raw).items()}
        except AnsibleError:
            row[key] = None
    expected.append(row)
(fixtures / "freeform-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(expected)} cases")
