# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (files, read, sum) are assigned before this body (FindModule)
# For each of `files` (one a line): with read=1, its size and bytes (`-1` when it cannot be read);
# with `sum` set (a coreutils `*sum` tool), its digest on a line of its own.
printf '%s\n' "$files" | while IFS= read -r f; do
    if [ "$read" = 1 ]; then
        if [ -r "$f" ] && n=$(wc -c <"$f"); then printf '%s\n' "$n"; cat -- "$f"; else echo -1; fi
    fi
    if [ -n "$sum" ]; then k=$("$sum" <"$f" 2>/dev/null); printf '%s\n' "${k%% *}"; fi
done
