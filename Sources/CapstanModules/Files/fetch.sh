# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (p, sum, limit) are assigned before this body (FetchModule)
if [ -d "$p" ]; then echo 'E remote file is a directory, fetch cannot work on directories'; exit 0; fi
if [ ! -e "$p" ]; then echo 'M missing'; exit 0; fi
if [ ! -r "$p" ]; then echo 'E unable to calculate the checksum of the remote file'; exit 0; fi
k=$(sha1sum < "$p" | cut -d' ' -f1); printf 'K %s\n' "$k"
if [ "$k" != "$sum" ]; then n=$(wc -c < "$p")
  if [ "$n" -lt "$limit" ]; then printf 'C %s\n' "$n"; cat -- "$p"; else printf 'L %s\n' "$n"; fi
fi
