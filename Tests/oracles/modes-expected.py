#!/usr/bin/env python3
"""Writes what Ansible's AnsibleModule._symbolic_mode_to_octal makes of every symbolic mode in the
mode corpus, applied to a start mode on a regular file or a directory, with umask 022 (the value
the Swift test passes). A mode Ansible refuses is written as null.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/modes-expected.py
"""
import json
import os
import pathlib
import stat
from types import SimpleNamespace

from ansible.module_utils.basic import AnsibleModule

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "files"
cases = json.loads((fixtures / "modes-cases.json").read_text())
os.umask(0o022)
expected = []
for case in cases:
    kind = stat.S_IFDIR if case["isdir"] else stat.S_IFREG
    path_stat = SimpleNamespace(st_mode=kind | case["start"])
    try:
        result = AnsibleModule._symbolic_mode_to_octal(path_stat, case["mode"])
    except ValueError:
        result = None
    expected.append(dict(case, result=result))
(fixtures / "modes-expected.json").write_text(json.dumps(expected, indent=0) + "\n")
print(f"wrote {len(expected)} cases")
