#!/usr/bin/env python3
"""Runs Ansible's real `file` module on every case of the file corpus and writes what it did:
changed, failed, msg, the tree afterwards, and whether a second run changed again.

Each case gets a fresh folder `{root}` built from `setup` steps (["file", path, text],
["dir", path], ["link", path, target], ["mode", path, octal]); `{root}` in arguments and messages
stands for it. The module is run directly (`python -m ansible.modules.file args.json`), the same
code `ansible localhost -c local -m file` runs, under umask 022.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/file-expected.py
"""
import json
import os
import pathlib
import stat
import subprocess
import sys
import tempfile

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "files"
cases = json.loads((fixtures / "file-cases.json").read_text())


def tree(root):
    """One line per path below root: relative path, type, mode (or link target)."""
    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                lines.append(f"{rel} link {os.readlink(full).replace(str(root), '{root}')}")
            elif stat.S_ISDIR(st.st_mode):
                lines.append(f"{rel} dir {stat.S_IMODE(st.st_mode):04o}")
            else:
                lines.append(f"{rel} file {stat.S_IMODE(st.st_mode):04o} links={st.st_nlink} {open(full).read()!r}")
    return sorted(lines)


def substitute(value, root):
    return value.replace("{root}", root) if isinstance(value, str) else value


os.umask(0o022)
expected = []
for case in cases:
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "root")
        os.mkdir(root)
        for step in case["setup"]:
            path = os.path.join(root, step[1])
            if step[0] == "file":
                pathlib.Path(path).write_text(step[2])
            elif step[0] == "dir":
                os.mkdir(path)
            elif step[0] == "link":
                os.symlink(step[2], path)
            elif step[0] == "mode":
                os.chmod(path, int(step[2], 8))
        args = {k: substitute(v, root) for k, v in case["args"].items()}
        argfile = pathlib.Path(tmp) / "args.json"
        argfile.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))

        def run():
            done = subprocess.run([sys.executable, "-m", "ansible.modules.file", str(argfile)],
                                  capture_output=True, text=True, cwd=tmp)
            return json.loads(done.stdout)
        result = run()
        after = tree(root)
        again = run()
        expected.append({
            "name": case["name"],
            "changed": bool(result.get("changed", False)),
            "failed": bool(result.get("failed", False)),
            "msg": result.get("msg", "").replace(root, "{root}"),
            "tree": after,
            "changed_again": bool(again.get("changed", False)),
        })
(fixtures / "file-expected.json").write_text(json.dumps(expected, indent=1) + "\n")
print(f"wrote {len(expected)} cases")
