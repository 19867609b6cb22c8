#!/usr/bin/env bash
# Writes the expected ML manifests from the venv's ansible-playbook: every Kubernetes manifest
# template of the ML roles rendered with the roles' defaults and fixed test credentials
# (Fixtures/ml/render.yml), into Fixtures/ml/expected/manifests/, and `--list-tasks` of
# playbooks/ml.yml into Fixtures/ml/expected/ml.list-tasks.txt.
# Run from anywhere after `bash .ci/setup`:  bash Tests/oracles/ml-manifests-expected.sh
# Nothing in expected/ is written by hand.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FIX="$ROOT/Tests/Fixtures/ml"
VENV="$ROOT/.build/venv"
export ANSIBLE_CONFIG="$ROOT/Tests/oracles/ansible-empty.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_SYSTEM_WARNINGS=0
export ANSIBLE_HOME="$ROOT/.build/ansible-home" ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/ansible-home/collections"
export PYTHONHASHSEED=0 COLUMNS=200

# Only what this script writes: expected/ also holds ml-up-calls-expected.sh's ml-up.calls.txt.
rm -rf "$FIX/expected/manifests" "$FIX/expected/ml.list-tasks.txt"
mkdir -p "$FIX/expected/manifests"
"$VENV/bin/ansible-playbook" -i "$FIX/inventory.ini" "$FIX/render.yml" \
    -e "roles_dir=$ROOT/roles" -e "out=$FIX/expected/manifests" \
    -e "ansible_python_interpreter=$VENV/bin/python" >/dev/null
chmod 0644 "$FIX/expected/manifests/"*.yaml
cd "$ROOT/playbooks"
"$VENV/bin/ansible-playbook" -i "$FIX/inventory.ini" --list-tasks ml.yml >"$FIX/expected/ml.list-tasks.txt"
