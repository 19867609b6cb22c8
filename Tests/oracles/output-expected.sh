#!/usr/bin/env bash
# Writes the expected terminal output of Capstan's playbook sink, from the venv's ansible-playbook:
#   Fixtures/output/expected/NAME.stdout.txt   what the `default` callback printed on stdout
#   Fixtures/output/expected/NAME.events.jsonl what the callbacks received, as Capstan run events
#                                              (recorded by Tests/oracles/callback_plugins/capstan_events.py)
#   Fixtures/output/expected/NAME.color.txt    stdout with ANSIBLE_FORCE_COLOR=1, for the playbooks in COLOURED
# Each Fixtures/output/NAME.yml runs once against Fixtures/output/inventory.ini (two hosts, connection
# local) with --forks 1 and the extra arguments in NAME.args if that file exists.
# Run from anywhere after `bash .ci/setup`:  bash Tests/oracles/output-expected.sh
# Nothing in expected/ is written by hand.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FIX="$ROOT/Tests/Fixtures/output"
PLAYBOOK="$ROOT/.build/venv/bin/ansible-playbook"
SCRATCH="$ROOT/.build/output-oracle"

# A quiet, reproducible Ansible: no user config, no colour, fixed width, the event recorder enabled.
export ANSIBLE_CONFIG="$ROOT/Tests/oracles/ansible-empty.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export ANSIBLE_SYSTEM_WARNINGS=0 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_HOME="$ROOT/.build/ansible-home" ANSIBLE_LOCAL_TEMP="$ROOT/.build/ansible-home/tmp"
export ANSIBLE_CALLBACK_PLUGINS="$ROOT/Tests/oracles/callback_plugins" ANSIBLE_CALLBACKS_ENABLED=capstan_events
export PYTHONHASHSEED=0 COLUMNS=80

# Paths and times differ between checkouts and runs: make them relative and fixed, in both files alike.
normalize() {
    sed -e "s#$FIX/##g" -e "s#$ROOT/##g" \
        -e 's/"delta": "[^"]*"/"delta": "0:00:00.000000"/g' \
        -e 's/"start": "[^"]*"/"start": "2000-01-01 00:00:00.000000"/g' \
        -e 's/"end": "[^"]*"/"end": "2000-01-01 00:00:00.000000"/g' \
        -e 's#"[^"]*/ansible-tmp-[^"]*"#"ANSIBLE_TMP/source"#g' \
        -e 's/"_original_basename": "[^"]*"/"_original_basename": "TEMP"/g' \
        -e '/^Using .* as config file$/d' "$1"
}

rm -rf "$FIX/expected" "$SCRATCH"
mkdir -p "$FIX/expected" "$SCRATCH"
cd "$FIX"
for pb in *.yml; do
    name="${pb%.yml}"
    args=()
    [ -f "$name.args" ] && read -r -a args <"$name.args"
    rm -rf "$SCRATCH/$name" && mkdir -p "$SCRATCH/$name"
    set +e
    CAPSTAN_EVENTS_FILE="$SCRATCH/$name.events" "$PLAYBOOK" -i inventory.ini --forks 1 \
        -e "dest_dir=$SCRATCH/$name" "${args[@]}" "$pb" >"$SCRATCH/$name.stdout" 2>"$SCRATCH/$name.stderr"
    set -e
    normalize "$SCRATCH/$name.stdout" >"$FIX/expected/$name.stdout.txt"
    normalize "$SCRATCH/$name.events" >"$FIX/expected/$name.events.jsonl"
done
# Colours: the same runs again with colour forced (their events are the ones recorded above).
COLOURED="status failures diff"
for name in $COLOURED; do
    args=()
    [ -f "$name.args" ] && read -r -a args <"$name.args"
    rm -rf "$SCRATCH/$name" && mkdir -p "$SCRATCH/$name"
    set +e
    ANSIBLE_FORCE_COLOR=1 CAPSTAN_EVENTS_FILE=/dev/null "$PLAYBOOK" -i inventory.ini --forks 1 \
        -e "dest_dir=$SCRATCH/$name" "${args[@]}" "$name.yml" >"$SCRATCH/$name.color" 2>/dev/null
    set -e
    normalize "$SCRATCH/$name.color" >"$FIX/expected/$name.color.txt"
done
echo "output-expected: $(ls "$FIX/expected" | grep -c stdout) playbooks recorded"
