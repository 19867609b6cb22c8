# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (UnarchiveModule)
set -f
work=$(mktemp -d) || die "cannot create a temporary directory"
trap 'rm -rf "$work"; if [ "$uploaded" = 1 ]; then rm -f -- "$archive"; fi' EXIT
[ -e "$archive" ] || die "Source '$archive' does not exist"
[ -r "$archive" ] || die "Source '$archive' not readable"
[ -d "$dest" ] || die "Destination '$dest' is not a directory"
nl='
'
z=
case $(od -An -tx1 -N6 -- "$archive" | tr -d ' \n') in
    504b0304* | 504b0506*) handler=ZipArchive ;;
    1f8b*) handler=TgzArchive z=-z ;;
    425a68*) handler=TarBzipArchive z=-j ;;
    fd377a585a00*) handler=TarXzArchive z=-J ;;
    *) handler=TarArchive ;;
esac
say handler "$handler"
IFS=$nl
if [ "$handler" = ZipArchive ]; then
    command -v unzip >/dev/null 2>&1 || die "Unable to find required 'unzip' binary in the path."
    xflag=; [ -n "$exclude" ] && xflag=-x
    # shellcheck disable=SC2086 # IFS is a line break and globbing is off (set -f): the unquoted list splits into its words, as meant
    unzip -Z1 "$archive" $include >"$work/list" 2>"$work/err" || die "Failed to list $archive: $(cat "$work/err")"
    mkdir "$work/x"
    # shellcheck disable=SC2086 # IFS is a line break and globbing is off (set -f): the unquoted list splits into its words, as meant
    unzip -q -o "$@" "$archive" $include $xflag $exclude -d "$work/x" >"$work/err" 2>&1 ||
        die "failed to unpack $archive to $dest: $(cat "$work/err")"
    (cd "$work/x" && find . -mindepth 1) >"$work/members"
    differ=0
    while read -r f; do
        # shellcheck disable=SC3013 # dash, bash and busybox sh all have test's -nt
        if [ -d "$work/x/$f" ]; then
            [ -d "$dest/$f" ] || differ=1
        elif [ "$keep_newer" = 1 ] && [ "$dest/$f" -nt "$work/x/$f" ]; then
            :
        else
            cmp -s -- "$work/x/$f" "$dest/$f" || differ=1
        fi
    done <"$work/members"
else
    for p in $exclude; do set -- "$@" "--exclude=$p"; done
    for p in $include; do set -- "$@" "$p"; done
    tar $z -t -f "$archive" "$@" >"$work/list" 2>"$work/err" || die "Failed to list $archive: $(cat "$work/err")"
    tar $z -C "$dest" -d -f "$archive" "$@" >"$work/diff" 2>&1
    [ $? -le 1 ] || grep -q 'Cannot stat\|Warning' "$work/diff" || die "failed to read $archive: $(cat "$work/diff")"
    kinds='Mod time differs\|Size differs\|Contents differ\|Cannot stat\|File type differs\|Symlink differs\|Not found in archive'
    [ -z "$mode" ] && kinds="$kinds\\|Mode differs"
    differ=0
    grep -q "$kinds" "$work/diff" && differ=1
    if [ "$keep_newer" = 1 ] && [ "$differ" = 1 ] && ! grep "$kinds" "$work/diff" | grep -qv 'Mod time differs'; then
        differ=0
    fi
fi
while read -r f; do say file "$f"; done <"$work/list"
unset IFS
if [ "$differ" = 1 ] && [ "$check" = 0 ]; then
    if [ "$handler" = ZipArchive ]; then
        cp -a -- "$work/x/." "$dest/" 2>"$work/err" || die "failed to unpack $archive to $dest: $(cat "$work/err")"
    else
        k=; [ "$keep_newer" = 1 ] && k=--keep-newer-files
        tar $z -C "$dest" -x $k -f "$archive" "$@" 2>"$work/err" ||
            die "failed to unpack $archive to $dest: $(cat "$work/err")"
    fi
    while read -r f; do
        [ -e "$dest/$f" ] || continue
        if [ -n "$owner" ]; then chown -h -- "$owner" "$dest/$f" || die "chown failed: $owner"; fi
        if [ -n "$group" ]; then chgrp -h -- "$group" "$dest/$f" || die "chgrp failed: $group"; fi
        if [ -n "$mode" ] && [ ! -L "$dest/$f" ]; then chmod -- "$mode" "$dest/$f" || die "chmod failed: $mode"; fi
    done <"$work/list"
fi
say changed "$differ"
