# shellcheck shell=sh
# shellcheck disable=SC2154 # $p is set by the program before each call, $dn by `dn` (file-helpers.sh)
# `atomic_write SOURCE ARG VALIDATE BACKUP` writes the file at `$p` the way Ansible's `atomic_move`
# does (`FileShell.atomicWrite`): the new content in a temporary file beside it, from SOURCE `take`
# (ARG bytes of stdin), `cat` (the node's file ARG) or `uploaded` (ARG is that temporary file, already
# sent); VALIDATE, when not empty, run on it (a command line naming it `"$tmp"`: a failure prints a
# `V <rc>` record and its stderr as a `C` record); when BACKUP is 1, a copy of the old file
# (`name.PID.YYYY-MM-DD@HH:MM:SS~`, a `B` record); the old file's mode and owner kept (or
# `0666 & ~umask` for a new file); then a rename. Fails with an `E` record (the failing tool's own
# reason is on stderr).
atomic_write() {
    aw_source=$1; aw_arg=$2; aw_validate=$3; aw_backup=$4
    if [ "$aw_source" = uploaded ]; then
        tmp=$aw_arg
    else
        dn "$p"; d=$dn
        tmp=$(mktemp "$d/.capstan-tmp.XXXXXX") || { echo "E could not create a temporary file in $d"; exit 0; }
        if [ "$aw_source" = take ]; then take "$aw_arg"; else cat -- "$aw_arg"; fi > "$tmp" ||
            { rm -f -- "$tmp"; echo "E could not write $tmp"; exit 0; }
    fi
    if [ -n "$aw_validate" ]; then
        # The user's command line, without this function's arguments.
        ( set --; eval "$aw_validate" ) >/dev/null 2>"$tmp.err"; rc=$?
        if [ $rc -ne 0 ]; then printf 'V %s\n' $rc; cnt "$tmp.err"; rm -f -- "$tmp" "$tmp.err"; exit 0; fi
        rm -f -- "$tmp.err"
    fi
    if [ "$aw_backup" = 1 ] && [ -e "$p" ]; then
        b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S~)"; cp -p -- "$p" "$b" && printf 'B %s\n' "$b"
    fi
    if [ -e "$p" ]; then chmod --reference="$p" -- "$tmp"; chown --reference="$p" -- "$tmp" 2>/dev/null
    else chmod "$(printf %o $((0666 & ~0$(umask))))" -- "$tmp"; fi
    mv -f -- "$tmp" "$p" || { rm -f -- "$tmp"; echo "E could not replace $p"; exit 0; }
}
