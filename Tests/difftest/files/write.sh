#!/bin/sh
# Writes its arguments, one a line, to the file named by the first one.
out=$1
shift
for word in "$@"; do printf '%s\n' "$word"; done >"$out"
echo "wrote $out"
