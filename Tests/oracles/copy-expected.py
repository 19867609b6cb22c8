#!/usr/bin/env python3
"""Runs Ansible's real `copy` (action plugin + module, through ansible-playbook on localhost with
the local connection) on every case of the copy corpus and writes what it did: check-mode
prediction, changed, failed, msg, the node tree afterwards, and whether a second run changed.

Each case gets `{root}` (the node side) and `{ctl}` (the playbook folder, where relative `src`
files are found, also in its `files/`), built from `setup` steps: ["file"|"dir"|"link"|"mode", ...]
under `{root}`, ["ctl", path, text] and ["ctlmode", path, octal] under `{ctl}`.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/copy-expected.py
"""
import json
import os
import stat
import pathlib
import subprocess
import sys
import tempfile

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "files"
venv_bin = pathlib.Path(sys.executable).parent
cases = json.loads((fixtures / "copy-cases.json").read_text())


def listing(root):
    """One line per path below root: relative path, type, mode (or link target), content; a
    backup file (its name holds a PID and a time) is listed as `NAME.BACKUP file`."""
    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                lines.append(f"{rel} link {os.readlink(full)}")
            elif stat.S_ISDIR(st.st_mode):
                lines.append(f"{rel} dir {stat.S_IMODE(st.st_mode):04o}")
            elif "~" in name:
                lines.append(f"{rel.split('.')[0]}.BACKUP file")
            else:
                lines.append(f"{rel} file {stat.S_IMODE(st.st_mode):04o} {open(full).read()!r}")
    return sorted(lines)


os.umask(0o022)
expected = []
for case in cases:
    with tempfile.TemporaryDirectory() as tmp:
        root, ctl = os.path.join(tmp, "root"), os.path.join(tmp, "ctl")
        os.mkdir(root)
        os.mkdir(ctl)
        for step in case["setup"]:
            base = ctl if step[0].startswith("ctl") else root
            path = os.path.join(base, step[1])
            if step[0] in ("file", "ctl"):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                pathlib.Path(path).write_text(step[2])
            elif step[0] == "dir":
                os.mkdir(path)
            elif step[0] == "link":
                os.symlink(step[2], path)
            else:
                os.chmod(path, int(step[2], 8))
        args = {k: v.replace("{root}", root).replace("{ctl}", ctl) if isinstance(v, str) else v
                for k, v in case["args"].items()}
        # The result is written out by a second task (ansible-core has no json callback of its own).
        result_file = os.path.join(tmp, "result.json")
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
            {"copy": args, "register": "r", "ignore_errors": True},
            {"copy": {"content": "{{ r | to_json }}", "dest": result_file}, "check_mode": False},
        ]}]
        (pathlib.Path(ctl) / "play.yml").write_text(json.dumps(play))
        env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING="false",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="false", PATH=f"{venv_bin}:{os.environ['PATH']}")

        def run(*extra):
            done = subprocess.run(
                [str(venv_bin / "ansible-playbook"), "-i", "localhost,", "-c", "local",
                 "-e", f"ansible_python_interpreter={sys.executable}", *extra, "play.yml"],
                capture_output=True, text=True, cwd=ctl, env=env)
            if done.returncode not in (0, 2):
                raise RuntimeError(done.stdout + done.stderr)
            return json.loads(pathlib.Path(result_file).read_text())
        predicted = run("--check")
        result = run()
        after = listing(root)
        again = run()
        expected.append({
            "name": case["name"],
            "predicted": bool(predicted.get("changed", False)),
            "changed": bool(result.get("changed", False)),
            "failed": bool(result.get("failed", False)),
            "msg": result.get("msg", "").replace(root, "{root}").replace(ctl, "{ctl}"),
            "tree": after,
            "changed_again": bool(again.get("changed", False)),
        })
        print(case["name"], file=sys.stderr)
(fixtures / "copy-expected.json").write_text(json.dumps(expected, indent=1) + "\n")
print(f"wrote {len(expected)} cases")
