#!/usr/bin/env bash
# Captures fact fixtures: Capstan's fact program output and Ansible's `setup` facts, taken one right
# after the other from the same machine, for (1) lab node-01 and (2) this machine (connection local).
# The parser tests (Tests/CapstanModulesTests/Facts/FactFixtureTests.swift) read both and compare.
#
#   bash Tests/oracles/facts-expected.sh      (as root; uses the lab named by CAPSTAN_LAB_* if set)
#
# Writes Tests/Fixtures/facts/{program.sh,node-01.out,node-01.ansible.json,
# local.out,local.ansible.json}. Nothing secret may land there: this machine's programs run with a
# minimal environment (env -i), PID 1's environment is cut down to its `container=` entry, and
# Ansible's JSON keeps only the facts Capstan gathers.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fx="$root/Tests/Fixtures/facts"
venv="$root/.build/venv/bin"
lab="$root/Tests/lab/lab"
labdir=${CAPSTAN_LAB_DIR:-/var/lib/capstan-lab}
export ANSIBLE_PYTHON_INTERPRETER=auto_silent ANSIBLE_DEPRECATION_WARNINGS=False ANSIBLE_LOCALHOST_WARNING=False
cleanenv=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LOGNAME=root USER=root
    LANG=C.UTF-8)

# The program as the engine builds it, written by a test that also checks the copy stays current.
(cd "$root" && CAPSTAN_FACTS_PROGRAM_OUT="$fx/program.sh" swift test --filter FactProgramExport >/dev/null)
"$lab" up 1 >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Keeps only `container=` in PID 1's environment line (grep -aZ output: path NUL NUL-separated vars).
scrub() {
    "$venv/python" - "$1" <<'EOF'
import sys
path = sys.argv[1]
data = open(path, "rb").read()
out = []
for line in data.split(b"\n"):
    if line.startswith(b"/proc/1/environ\0"):
        entries = line.split(b"\0")[1:]
        line = b"\0".join([b"/proc/1/environ"] + [e for e in entries if e.startswith(b"container=")])
    out.append(line)
open(path, "wb").write(b"\n".join(out))
EOF
}

# Ansible's facts for HOST from a tree directory, only the names Capstan produces.
keep() { # TREE_FILE OUT
    "$venv/python" - "$1" "$2" <<'EOF'
import json, re, sys
facts = json.load(open(sys.argv[1]))["ansible_facts"]
names = set(facts.get("ansible_interfaces", []))
pattern = re.compile(r"ansible_(hostname|fqdn|nodename|domain|distribution(_version|_major_version|_minor_version"
                     r"|_release)?|os_family|system|architecture|machine|kernel|kernel_version|processor.*|"
                     r"(mem|swap)(total|free)_mb|default_ipv[46]|all_ipv[46]_addresses|interfaces|product_uuid|"
                     r"machine_id|service_mgr|pkg_mgr|env|user_(id|dir|uid|gid|shell|gecos)|(real|effective)_"
                     r"(user|group)_id|date_time|uptime_seconds|mounts|lsb|selinux|virtualization_.*)$")
kept = {k: v for k, v in facts.items() if pattern.match(k) or k[len("ansible_"):] in names}
json.dump(kept, open(sys.argv[2], "w"), indent=1, sort_keys=True)
open(sys.argv[2], "a").write("\n")
EOF
}

"$lab" ssh node-01 sh -s <"$fx/program.sh" >"$fx/node-01.out"
"$venv/ansible" node-01 -i "$labdir/inventory.ini" -m setup -t "$tmp/node" \
    "--ssh-extra-args=-o UserKnownHostsFile=$labdir/known_hosts -o StrictHostKeyChecking=yes" >/dev/null
scrub "$fx/node-01.out"
keep "$tmp/node/node-01" "$fx/node-01.ansible.json"

(cd /tmp && "${cleanenv[@]}" sh "$fx/program.sh" >"$fx/local.out")
"${cleanenv[@]}" "$venv/ansible" localhost -c local -m setup -t "$tmp/local" >/dev/null 2>&1
scrub "$fx/local.out"
keep "$tmp/local/localhost" "$fx/local.ansible.json"
echo "facts-expected: wrote $(ls "$fx" | wc -l) files in $fx"
