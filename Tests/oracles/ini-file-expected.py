#!/usr/bin/env python3
"""Runs community.general's real ini_file module on every case of the ini_file corpus
(Tests/Fixtures/files/ini-file-cases.json) and writes what it did to ini-file-expected.json: the file's
bytes afterwards (as text; null when missing), changed, failed, msg, the diff's before and after (the
module runs with diff on), and whether a second run changed again.

Each case runs in its own temporary directory: the file `f.ini` holds `initial` (or is missing when
`initial` is null); messages name it `{path}`. The module is run directly (`python -m
ansible_collections.community.general.plugins.modules.ini_file args.json`), the same code
`ansible localhost -c local -m community.general.ini_file` ships, with the collections that
`.ci/setup` extracts into .build/ansible-collections on the path.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/ini-file-expected.py
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent.parent
fixtures = root / "Tests" / "Fixtures" / "files"
collections = root / ".build" / "ansible-collections"
cases = json.loads((fixtures / "ini-file-cases.json").read_text())
expected = []
for case in cases:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "f.ini"
        if case["initial"] is not None:
            path.write_bytes(case["initial"].encode())
        args = dict(case["args"], path=str(path), _ansible_diff=True)
        argfile = pathlib.Path(tmp) / "args.json"
        argfile.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))

        def run():
            done = subprocess.run(
                [sys.executable, "-m", "ansible_collections.community.general.plugins.modules.ini_file", str(argfile)],
                capture_output=True, text=True, cwd=tmp,
                env=dict(os.environ, LANG="C.UTF-8", PYTHONPATH=str(collections)))
            return json.loads(done.stdout)

        result = run()
        content = path.read_bytes().decode() if path.exists() else None
        again = run()
        diff = result.get("diff") or {}
        expected.append({
            "name": case["name"],
            "changed": bool(result.get("changed", False)),
            "failed": bool(result.get("failed", False)),
            "msg": result.get("msg", "").replace(str(path), "{path}"),
            "content": content,
            "before": diff.get("before"),
            "after": diff.get("after"),
            "changed_again": bool(again.get("changed", False)),
        })
(fixtures / "ini-file-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(expected)} cases")
