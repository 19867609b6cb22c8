# shellcheck shell=sh
echo '==env=='
export -p
