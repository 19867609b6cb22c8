#!/usr/bin/env python3
"""Runs ansible-core's real known_hosts module on every case of the known_hosts corpus
(Tests/Fixtures/files/known-hosts-cases.json) and writes what it did to known-hosts-expected.json:
the file's content afterwards (null when missing), changed, failed, msg, whether a second run changed
again, and the file's mode.

Each case runs in its own temporary directory with `path` set to `keys` there (`{dir}` in
messages); the module runs directly (`python -m ansible.modules.known_hosts args.json`), the same
module code `ansible localhost -c local -m known_hosts` ships to a host, without the controller.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/known-hosts-expected.py
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
cases = json.loads((fixtures / "known-hosts-cases.json").read_text())
expected = []
for case in cases:
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "keys"
        if case["initial"] is not None:
            path.write_bytes(case["initial"].encode())
        args = dict(case["args"], path=str(path))
        argfile = pathlib.Path(tmp) / "args.json"
        argfile.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))

        def run():
            done = subprocess.run(
                [sys.executable, "-m", "ansible.modules.known_hosts", str(argfile)],
                capture_output=True, text=True, cwd=tmp,
                env=dict(os.environ, LANG="C.UTF-8", PYTHONPATH=str(collections)))
            try:
                return json.loads(done.stdout)
            except ValueError:
                return {"failed": True, "msg": "module crashed"}
        result = run()
        content = path.read_bytes().decode() if path.exists() else None
        mode = oct(path.stat().st_mode & 0o7777) if path.exists() else None
        again = run()
        expected.append({
            "name": case["name"],
            "changed": bool(result.get("changed", False)),
            "failed": bool(result.get("failed", False)),
            "msg": result.get("msg", "").replace(tmp, "{dir}"),
            "content": content,
            "mode": mode,
            "changed_again": bool(again.get("changed", False)),
        })
(fixtures / "known-hosts-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(expected)} cases")
