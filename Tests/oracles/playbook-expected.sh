#!/usr/bin/env bash
# Writes the expected outputs for Capstan's playbook parser, from the venv's ansible-playbook:
#   Fixtures/playbook/expected/valid/NAME.list-tasks.txt   ansible-playbook --list-tasks
#   Fixtures/playbook/expected/valid/NAME.list-tags.txt    ansible-playbook --list-tags
#   Fixtures/playbook/expected/malformed/NAME.txt          ansible-playbook --syntax-check (exit code + output)
# Run from anywhere after `bash .ci/setup`:  bash Tests/oracles/playbook-expected.sh
# Nothing in expected/ is written by hand.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FIX="$ROOT/Tests/Fixtures/playbook"
PLAYBOOK="$ROOT/.build/venv/bin/ansible-playbook"

# A quiet, reproducible Ansible: no user config, no colour, no deprecation noise; the extra roles
# path is the one the Swift tests pass as roleSearchPaths.
export ANSIBLE_CONFIG="$ROOT/Tests/oracles/ansible-empty.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_DEPRECATION_WARNINGS=0
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_SYSTEM_WARNINGS=0
export ANSIBLE_ROLES_PATH="$FIX/extra-roles" ANSIBLE_HOME="$ROOT/.build/ansible-home" ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/ansible-home/collections"
export PYTHONHASHSEED=0 COLUMNS=200 PYTHONWARNINGS=ignore

rm -rf "$FIX/expected/valid" "$FIX/expected/malformed"
mkdir -p "$FIX/expected/valid" "$FIX/expected/malformed"

cd "$FIX/valid"
for pb in *.yml; do
    name="${pb%.yml}"
    "$PLAYBOOK" -i ../inventory.ini --list-tasks "$pb" >"$FIX/expected/valid/$name.list-tasks.txt"
    "$PLAYBOOK" -i ../inventory.ini --list-tags "$pb" >"$FIX/expected/valid/$name.list-tags.txt"
    "$PLAYBOOK" -i ../inventory.ini --syntax-check "$pb" >"$FIX/expected/valid/$name.syntax-check.txt"
done

# --tags / --skip-tags: each line of selections.txt is PLAYBOOK|TAGS|SKIP; outputs are numbered by line.
mkdir -p "$FIX/expected/selected"
rm -f "$FIX/expected/selected/"*
n=0
while IFS='|' read -r pb tags skip; do
    n=$((n + 1))
    args=()
    [ -n "$tags" ] && args+=(--tags "$tags")
    [ -n "$skip" ] && args+=(--skip-tags "$skip")
    "$PLAYBOOK" -i ../inventory.ini --list-tasks "${args[@]}" "$pb.yml" >"$FIX/expected/selected/$n.list-tasks.txt"
    "$PLAYBOOK" -i ../inventory.ini --list-tags "${args[@]}" "$pb.yml" >"$FIX/expected/selected/$n.list-tags.txt"
done <"$FIX/selections.txt"

cd "$FIX/malformed"
for pb in *.yml; do
    name="${pb%.yml}"
    set +e
    out="$("$PLAYBOOK" -i ../inventory.ini --syntax-check "$pb" 2>&1)"
    rc=$?
    set -e
    # Absolute paths differ between checkouts: keep them relative to Fixtures/playbook.
    printf 'exit: %d\n%s\n' "$rc" "${out//$FIX\//}" >"$FIX/expected/malformed/$name.txt"
done
echo "playbook-expected: $(ls "$FIX/expected/valid" | wc -l) valid outputs, $(ls "$FIX/expected/malformed" | wc -l) malformed outputs"
