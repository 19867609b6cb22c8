#!/usr/bin/env python3
"""Runs ansible-core's real find module on this machine for each case in the JSON file given (a list
of argument dicts) and prints a JSON list of its results, whole (files with every stat key, matched,
examined, msg, skipped_paths, warnings, failed).

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/find-expected.py cases.json
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
            [sys.executable, "-m", "ansible.modules.find", argfile], capture_output=True, text=True, cwd=tmp,
            env=dict(os.environ, LANG="C.UTF-8"))
        result = json.loads(done.stdout)
    result.pop("invocation", None)
    # ansible-core 2.19 modules send warnings as objects; the controller shows their message.
    if "warnings" in result:
        result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    answers.append(result)
json.dump(answers, sys.stdout)
