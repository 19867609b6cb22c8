# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# authorized_key's two steps. `read`: the user's passwd entry (`U UID GID HOME` or `U -`), the key
# file (`K PATH`, the user's ~/.ssh/authorized_keys unless `path` names one), where a write goes
# (`W PATH`, resolved when `follow`), then `=content` and the file's bytes when it is a file.
# `write` (new content on standard input): the module's keyfile(write=True) and writefile: the key
# folder made 0700 and owned by the user when `manage`, the file made if missing, owned by the user
# and 0600, then replaced atomically (mode and owner copied from it). Both steps end with the
# stat of `path`, when given (`T STAT`), for the file fields Ansible adds to the result.
if [ "$step" = read ]; then
    if entry=$(getent passwd "$user"); then
        rest=${entry#*:*:}; uid=${rest%%:*}; rest=${rest#*:}; gid=${rest%%:*}; rest=${rest#*:*:}; home=${rest%%:*}
        echo "U $uid $gid $home"
    else
        echo "U -"; home=
    fi
    [ -n "$path" ] || path=$home/.ssh/authorized_keys
    echo "K $path"
    w=$path
    [ "$follow" = 1 ] && w=$(realpath -m -- "$path")
    echo "W $w"
    if [ -e "$path" ]; then echo "T $(stat -c "$statfmt" -- "$path")"; fi
    echo "=content"
    [ -f "$path" ] && cat -- "$path"
    exit 0
fi
if [ "$manage" = 1 ]; then
    if [ ! -e "$sshdir" ]; then mkdir -m 0700 -- "$sshdir" || die "Failed to create directory $sshdir"; fi
    { chown "$uid:$gid" "$sshdir" && chmod 0700 "$sshdir"; } || die "could not set the owner and mode of $sshdir"
fi
if [ ! -e "$file" ]; then
    { mkdir -p -- "$(dirname -- "$file")" && : >"$file"; } || die "could not create $file"
fi
chown "$uid:$gid" "$file" 2>/dev/null
chmod 0600 "$file" 2>/dev/null
new=$(mktemp "$(dirname -- "$file")/.capstan_authorized_key_XXXXXX") || die "Failed to write to file $file"
if ! { cat >"$new" && chmod --reference="$file" "$new" && chown --reference="$file" "$new" && mv -f -- "$new" "$file"; }
then
    rm -f -- "$new"; die "Failed to write to file $file"
fi
if [ -n "$path" ] && [ -e "$path" ]; then echo "T $(stat -c "$statfmt" -- "$path")"; fi
