# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# Runs an uploaded AnsiballZ payload with the node's Python and removes its folder whatever happens
# (the payload holds the task's arguments); standard output is the module's JSON result.
trap 'rm -rf "$dir"' EXIT
"$python" "$dir/$payload"
