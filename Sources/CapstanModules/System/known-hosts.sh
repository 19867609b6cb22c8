# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# known_hosts' two steps, running ssh-keygen as Ansible's module does. `read`: the path with `~`
# expanded (`P PATH`); with a key, whether `ssh-keygen -F` finds the host in it (`S 1|0`); when the
# file exists (`E`), `ssh-keygen -F HOST -f PATH`'s status (`R`), output (`F` lines) and errors
# (`X` lines), then `=content` and the file's bytes. `write`: `ssh-keygen -R` when `remove`, then
# the new content from standard input when `rewrite`, replacing the file atomically (mode and owner
# kept; a new file gets 0666 less the umask, as Ansible's atomic_move gives it). `T STAT` is the
# file's stat, for the file fields Ansible adds to the result.
command -v ssh-keygen >/dev/null 2>&1 || die 'Failed to find required executable "ssh-keygen"'
# shellcheck disable=SC2088 # the path's own `~`, expanded here as the module's type=path does
case $path in "~" | "~/"*) path=$HOME${path#"~"} ;; esac
if [ "$step" = read ]; then
    echo "P $path"
    tmp=$(mktemp) || die "cannot create a temporary file"
    trap 'rm -f "$tmp"' EXIT
    if [ -n "$key" ]; then
        printf '%s' "$key" >"$tmp"
        if [ -n "$(ssh-keygen -F "$host" -f "$tmp" 2>/dev/null)" ]; then echo "S 1"; else echo "S 0"; fi
    fi
    [ -e "$path" ] || exit 0
    echo "E 1"
    echo "T $(stat -c "$statfmt" -- "$path")"
    out=$(ssh-keygen -F "$host" -f "$path" 2>"$tmp"); rc=$?
    echo "R $rc"
    [ -z "$out" ] || printf '%s\n' "$out" | awk '{ print "F " $0 }'
    awk '{ print "X " $0 }' "$tmp"
    echo "=content"
    [ -f "$path" ] && cat -- "$path"
    exit 0
fi
if [ "$remove" = 1 ]; then
    ssh-keygen -R "$host" -f "$path" >/dev/null 2>&1 || die "ssh-keygen -R $host -f $path failed"
fi
if [ "$rewrite" = 0 ]; then [ ! -e "$path" ] || echo "T $(stat -c "$statfmt" -- "$path")"; exit 0; fi
new=$(mktemp "$(dirname -- "$path")/.capstan_known_hosts_XXXXXX") || die "Failed to write to file '$path'."
if [ -e "$path" ]; then
    keep() { chmod --reference="$path" "$new" && chown --reference="$path" "$new"; }
else
    keep() { chmod "$(printf '%o' $((0666 & ~$(umask))))" "$new"; }
fi
if ! { cat >"$new" && keep && mv -f -- "$new" "$path"; }; then
    rm -f -- "$new"; die "Failed to write to file '$path'."
fi
[ ! -e "$path" ] || echo "T $(stat -c "$statfmt" -- "$path")"
