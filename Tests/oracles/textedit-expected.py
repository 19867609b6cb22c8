#!/usr/bin/env python3
"""Runs Ansible's real lineinfile, blockinfile and replace modules on every case of the text-edit
corpus and writes what they did (file content afterwards, changed, msg, failed, and whether a second run changed again).

Each case runs in its own temporary directory: the file `f.txt` holds `initial` (or is missing when
`initial` is null); messages name it `{path}`; the module is run directly (`python -m ansible.modules.NAME args.json`), which is
the same module code `ansible localhost -c local -m NAME` ships to a host, without the controller.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/textedit-expected.py
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "files"
cases = json.loads((fixtures / "textedit-cases.json").read_text())
expected = []
for case in cases:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "f.txt"
        if case["initial"] is not None:
            path.write_bytes(case["initial"].encode())
        args = dict(case["args"], path=str(path))
        argfile = pathlib.Path(tmp) / "args.json"
        argfile.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        def run():
            done = subprocess.run(
                [sys.executable, "-m", "ansible.modules." + case["module"], str(argfile)],
                capture_output=True, text=True, cwd=tmp, env=dict(os.environ, LANG="C.UTF-8"))
            return json.loads(done.stdout)
        result = run()
        content = path.read_bytes().decode() if path.exists() else None
        again = run()
        expected.append({
            "name": case["name"],
            "changed": bool(result.get("changed", False)),
            "failed": bool(result.get("failed", False)),
            "msg": result.get("msg", "").replace(str(path), "{path}"),
            "content": content,
            "changed_again": bool(again.get("changed", False)),
        })
(fixtures / "textedit-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(expected)} cases")
