#!/bin/sh
# Records what ansible-playbook gives for the variable-precedence fixture (written by
# precedence-fixture.py): runs it with a local connection and keeps the debug task's message.
# Usage: Tests/oracles/precedence-expected.sh [VENV]   (default: <package>/.build/venv)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${1:-$root/.build/venv}
fixture=$root/Tests/CapstanEngineTests/Fixtures/execution/precedence
out=$root/Tests/CapstanEngineTests/Fixtures/execution/precedence-expected.json
cd "$fixture"
ANSIBLE_CONFIG=$here/ansible-empty.cfg ANSIBLE_STDOUT_CALLBACK=ansible.builtin.json ANSIBLE_HOST_KEY_CHECKING=False \
    "$venv/bin/ansible-playbook" -i inventory/hosts.ini -c local -e @extra.yml playbook.yml </dev/null \
    | "$venv/bin/python" -c '
import json, sys
run = json.load(sys.stdin)
for play in run["plays"]:
    for task in play["tasks"]:
        if task["task"]["name"] == "prec : show precedence" or task["task"]["name"] == "show precedence":
            print(json.dumps(json.loads(task["hosts"]["node-01"]["msg"]), indent=2, sort_keys=True))
' > "$out"
echo "wrote $out"
