#!/bin/sh
# Records what ansible-playbook gives for the variable-precedence fixture (written by
# precedence-fixture.py): runs it with a local connection and keeps the debug task's message.
# Usage: Tests/oracles/precedence-expected.sh [VENV]   (default: <package>/.build/venv)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${1:-$root/.build/venv}
fixture=$root/Tests/Fixtures/execution/precedence
out=$root/Tests/Fixtures/execution/precedence-expected.json
cd "$fixture"
ANSIBLE_CONFIG=$here/ansible-empty.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=False \
    "$venv/bin/ansible-playbook" -i inventory/hosts.ini -c local -e @extra.yml playbook.yml </dev/null \
    | "$venv/bin/python" -c '
import json, sys
text = sys.stdin.read()
after = text.split("TASK [prec : show precedence]", 1)[1]
line = next(l for l in after.splitlines() if l.strip().startswith("\"msg\":"))
message = json.loads("{" + line.strip() + "}")["msg"]
print(json.dumps(json.loads(message), indent=2, sort_keys=True))
' > "$out"
echo "wrote $out"
