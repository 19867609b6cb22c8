#!/usr/bin/env python3
"""Regenerates the expected outputs of Capstan's inventory tests from ansible-core itself.

For every case under Tests/Fixtures/inventory/ (inputs, written by hand) this runs
`ansible-inventory --list` (and `--graph`, `--host` where listed) and, for the pattern table,
`ansible PATTERN -i SRC --list-hosts [--limit LIMIT]`, and writes:
  Fixtures/inventory/expected/cases.json     list/graph/host outputs per case
  Fixtures/inventory/expected/patterns.json  host lists per (case, pattern, limit)

Run:  .build/venv/bin/python Tests/oracles/inventory-expected.py
Nothing is written outside the fixtures folder: Ansible's home and temp dirs go under /tmp.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Fixtures", "inventory")
BIN = os.path.dirname(os.path.abspath(sys.executable))

# name -> (sources relative to the case folder, groups to --graph, hosts to --host, --graph --vars?)
CASES = {
    "seed": (["hosts.ini"], ["all", "kube-node"], ["localnode-2"], False),
    "ini-basic": (["hosts.ini"], ["all"], ["beta"], False),
    "ini-ranges": (["hosts.ini"], ["all"], [], False),
    "ini-quoting": (["hosts.ini"], [], ["h3"], False),
    "ini-typed": (["hosts.ini"], [], ["h3"], False),
    "ini-groupvars": (["hosts.ini"], ["all"], [], True),
    "ini-children-chain": (["hosts.ini"], ["all", "region", "zone_a"], [], False),
    "ini-hostport": (["hosts.ini"], [], [], False),
    "ini-hyphens": (["hosts.ini"], ["all"], [], True),
    "ini-priority": (["hosts.ini"], [], ["shared"], False),
    "ini-dup-host": (["hosts.ini"], ["all"], [], False),
    "ini-no-ext": (["hosts"], ["all"], [], False),
    "yaml-basic": (["hosts.yml"], ["all"], [], True),
    "yaml-nested": (["hosts.yaml"], ["all", "k8s_cluster"], ["cp1"], False),
    "yaml-ranges-ports": (["inventory.yml"], [], [], False),
    "yaml-strings": (["hosts.yml"], ["all"], [], False),
    "yaml-merge-anchors": (["hosts.yml"], [], [], False),
    "json-inventory": (["inventory.json"], ["all"], [], False),
    "vars-dirs": (["hosts.ini"], ["all"], ["h1", "h3"], True),
    "vars-precedence": (["hosts.ini"], [], ["h1", "h2"], True),
    "dir-inventory": (["inv"], ["all"], [], False),
    "multi-source": (["a.ini", "b.yml"], ["all"], ["common"], False),
    "multi-source-dirs": (["a/hosts.ini", "b/hosts.ini"], [], ["h1", "h2"], False),
    "host-list": (["h1.example.com,h2:2222,10.0.0.3"], ["all"], [], False),
    "ungrouped-only": (["hosts.ini"], ["all"], [], False),
    "empty-groups": (["hosts.ini"], ["all"], [], False),
    "localhost": (["hosts.ini"], ["all"], ["localhost"], False),
    "ini-vars-before-group": (["hosts.ini"], ["all"], [], False),
    "yaml-dict-vars": (["hosts.yml"], [], ["h1", "h2"], False),
    "playbook-dir": (["inventory/hosts.ini"], [], ["w1", "w2"], True),
}

# `--list --limit PATTERN` outputs: hosts outside the limit drop out of groups and hostvars.
LIST_LIMITS = {
    "seed": ["kube-node", "!localnode-2"],
    "ini-children-chain": ["rack2:other"],
    "vars-dirs": ["h3"],
}

# Cases read with a playbook folder beside them (`--playbook-dir`), whose group_vars/host_vars win.
PLAYBOOK_DIRS = {"playbook-dir": "playbook"}

# (case, pattern, limit or None)
PATTERNS = [
    ("seed", "all", None),
    ("seed", "*", None),
    ("seed", "kube-node", None),
    ("seed", "kube-master:kube-node", None),
    ("seed", "kube-node,kube-master", None),
    ("seed", "k8s-cluster:&kube-node", None),
    ("seed", "k8s-cluster:!kube-master", None),
    ("seed", "!kube-master", None),
    ("seed", "localnode-*", None),
    ("seed", "~localnode-[12]", None),
    ("seed", "kube-node[0]", None),
    ("seed", "kube-node[-1]", None),
    ("seed", "k8s-cluster[1:2]", None),
    ("seed", "k8s-cluster[1:]", None),
    ("seed", "all[0]", None),
    ("seed", "localnode-3,localnode-1", None),
    ("seed", "all", "kube-node"),
    ("seed", "all", "@limit.txt"),
    ("seed", "k8s-cluster", "!localnode-2"),
    ("seed", "kube-*", None),
    ("seed", "nothing-here", None),
    # Ansible walks a group's descendants through Python sets, so when two or more branches each
    # have child groups (top, region) the host order changes from run to run; patterns stay clear of that.
    ("ini-children-chain", "zone_b", None),
    ("ini-children-chain", "zone_a:other", None),
    ("ini-children-chain", "zone_*", None),
    ("ini-children-chain", "zone_b:!rack2", None),
    ("ini-children-chain", "rack1:rack2:other", None),
    ("ini-children-chain", "zone_b[1:]", None),
    ("ini-children-chain", "*-h*", None),
    ("ini-children-chain", "region:&rack2", None),
    ("ini-ranges", "numbered[2:4]", None),
    ("ini-ranges", "node-0?", None),
    ("ini-ranges", "host-[a-c].lab", None),
    ("ini-ranges", "~(step|n)1", None),
    ("ini-ranges", "letters:multi", "~.*[ab].*"),
    ("ini-basic", "ungrouped", None),
    ("ini-basic", "*.example.com", None),
    ("ini-basic", "web:db", None),
    ("yaml-nested", "workers", None),
    ("yaml-nested", "k8s_cluster:!gpu", None),
    ("yaml-nested", "monitoring:workers", None),
    ("yaml-nested", "all:&workers:!cp1", None),
    ("multi-source", "shared", None),
    ("host-list", "all", None),
    ("localhost", "localhost", None),
    ("localhost", "all", None),
]


def run(args, cwd, env):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} in {cwd} failed:\n{proc.stderr}")
    return proc.stdout


def environment(home):
    env = dict(os.environ)
    config = os.path.join(home, "ansible.cfg")
    open(config, "w").close()
    env.update({
        "ANSIBLE_CONFIG": config,
        "ANSIBLE_HOME": home,
        "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "PYTHONHASHSEED": "0",
    })
    return env


def list_hosts(case, pattern, limit, env):
    cwd = os.path.join(FIXTURES, case)
    args = [os.path.join(BIN, "ansible"), pattern, "--list-hosts"]
    for source in CASES[case][0]:
        args += ["-i", source]
    if limit is not None:
        args += ["--limit", limit]
    out = run(args, cwd, env)
    lines = out.splitlines()
    return [line.strip() for line in lines[1:] if line.strip()]


def main():
    with tempfile.TemporaryDirectory(prefix="capstan-oracle-") as home:
        env = environment(home)
        cases = []
        for name, (sources, graphs, hosts, show_vars) in CASES.items():
            cwd = os.path.join(FIXTURES, name)
            base = [os.path.join(BIN, "ansible-inventory")]
            for source in sources:
                base += ["-i", source]
            if name in PLAYBOOK_DIRS:
                base += ["--playbook-dir", PLAYBOOK_DIRS[name]]
            entry = {"name": name, "sources": sources, "playbookDir": PLAYBOOK_DIRS.get(name), "list": json.loads(run(base + ["--list"], cwd, env))}
            entry["limited"] = {l: json.loads(run(base + ["--list", "--limit", l], cwd, env)) for l in LIST_LIMITS.get(name, [])}
            entry["graphs"] = {g: run(base + ["--graph", g], cwd, env).rstrip("\n") for g in graphs}
            if show_vars:
                entry["graphVars"] = run(base + ["--graph", "--vars"], cwd, env).rstrip("\n")
            entry["hosts"] = {h: json.loads(run(base + ["--host", h], cwd, env)) for h in hosts}
            cases.append(entry)
        patterns = [
            {"case": c, "pattern": p, "limit": l, "hosts": list_hosts(c, p, l, env)} for c, p, l in PATTERNS
        ]
    out_dir = os.path.join(FIXTURES, "expected")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump(cases, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(out_dir, "patterns.json"), "w") as f:
        json.dump(patterns, f, indent=2)
        f.write("\n")
    print(f"wrote {len(cases)} inventory cases and {len(patterns)} patterns to {out_dir}")


if __name__ == "__main__":
    main()
