# shellcheck shell=sh
echo '==brif=='
for f in "$S"/class/net/*/brif/*; do [ -e "$f" ] && echo "${f#"$S"/class/net/}"; done
if [ -z "$R" ] && command -v ip >/dev/null; then
    echo '==ip=='
    printf 'addr show\nroute get 8.8.8.8\nroute get 2404:6800:400a:800::1012\n' | ip -o -force -batch - 2>/dev/null
else
    # shellcheck disable=SC2034 # read by the grep that follows the sections
    FIB="$P"/net/fib_trie
fi
