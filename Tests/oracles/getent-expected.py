#!/usr/bin/env python3
"""Runs ansible-core's real getent module on this machine for each case in the JSON file given (a list
of argument dicts) and prints a JSON list of what it returned: failed, msg and ansible_facts.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/getent-expected.py cases.json
"""
import json
import os
import subprocess
import sys
import tempfile

answers = []
with open(sys.argv[1]) as f:
    cases = json.load(f)
for args in cases:
    with tempfile.TemporaryDirectory() as tmp:
        argfile = os.path.join(tmp, "args.json")
        with open(argfile, "w") as out:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, out)
        done = subprocess.run(
            [sys.executable, "-m", "ansible.modules.getent", argfile], capture_output=True, text=True, cwd=tmp)
        result = json.loads(done.stdout)
    answers.append({
        "failed": bool(result.get("failed", False)),
        "msg": result.get("msg"),
        "ansible_facts": result.get("ansible_facts"),
    })
json.dump(answers, sys.stdout)
