# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# Prepares a run of an Ansible module Capstan does not implement (the fallback): finds the Python to
# run it with (the inventory's `ansible_python_interpreter`, else the first of the usual places, as
# Ansible's discovery finds it on Debian and RHEL), and makes a private folder for the payload.
found=
if [ -n "$interpreter" ]; then
    found=$(command -v "$interpreter" 2>/dev/null) || found=
else
    for candidate in /usr/bin/python3 /usr/libexec/platform-python /usr/local/bin/python3 python3; do
        found=$(command -v "$candidate" 2>/dev/null) && break
        found=
    done
fi
say python "$found"
[ -n "$found" ] || exit 0
umask 077
dir=$(mktemp -d "${TMPDIR:-/tmp}/capstan-module.XXXXXXXX") || die "cannot create a temporary folder on the node"
say dir "$dir"
