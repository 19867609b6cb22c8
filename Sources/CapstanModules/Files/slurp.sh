# shellcheck shell=sh
# shellcheck disable=SC2154 # p, the path, is assigned before this body (SlurpModule)
if [ -d "$p" ]; then echo 'E source is a directory and must be a file'
elif [ ! -e "$p" ]; then echo 'E file not found: '"$p"
elif [ ! -r "$p" ]; then echo 'E file is not readable: '"$p"
else printf 'C %s\n' "$(wc -c < "$p")"; cat -- "$p"; fi
