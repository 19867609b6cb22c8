# shellcheck shell=sh
say() { case $2 in *'
'*) printf '%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ')" ;; *) printf '%s=%s\n' "$1" "$2" ;; esac; }
die() { printf '%s\n' "$*" >&2; exit 1; }
