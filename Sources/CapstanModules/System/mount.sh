# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
is_mounted() { ename=$ename awk '$5 == ENVIRON["ename"] { f = 1 } END { exit !f }' /proc/self/mountinfo; }
mounted_src() {
    ename=$ename awk '$5 == ENVIRON["ename"] { for (i = 7; $i != "-"; i++); s = $(i + 2) } END { print s }' \
        /proc/self/mountinfo
}
do_mount() {
    set -- "$name"
    if [ "$state" = ephemeral ]; then
        set -- "$src" "$@"; [ "$opts" = defaults ] || set -- -o "$opts" "$@"; set -- -t "$fstype" "$@"
    elif [ "$fstab" != /etc/fstab ]; then
        set -- -T "$fstab" "$@"
    fi
    msg=$(mount "$@" 2>&1)
}
do_umount() { msg=$(umount -- "$name" 2>&1); }
do_remount() {
    set -- "$name"
    if [ "$state" = ephemeral ]; then
        set -- "$src" "$@"; [ "$opts" = defaults ] || set -- -o "$opts" "$@"; set -- -t "$fstype" "$@"
    elif [ "$fstab" != /etc/fstab ]; then
        set -- -T "$fstab" "$@"
    fi
    if [ "$state" = remounted ] && [ "$opts" != defaults ]; then set -- -o "remount,$opts" "$@"; else set -- -o remount "$@"; fi
    msg=$(mount "$@" 2>&1) && return 0
    if [ "$state" = remounted ] && [ "$opts" != defaults ]; then
        die "Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a \"state: unmounted\" followed by a \"state: mounted\" using the full desired mount options instead."
    fi
    do_umount && do_mount
}
changed=0
case "$state" in
absent_from_fstab)
    changed=$(unset_mount)
    [ "$changed" = 1 ] && [ "$check" = 0 ] && commit ;;
absent|absent_mount)
    changed=$(unset_mount)
    if [ "$changed" = 1 ] && [ "$check" = 0 ]; then
        commit
        if is_mounted; then do_umount || die "Error unmounting $name: $msg"; fi
        if [ -e "$name" ] && [ "$state" = absent ]; then
            err=$(rmdir -- "$name" 2>&1) || die "Error rmdir $name: $err"
        fi
    fi ;;
unmounted)
    if is_mounted; then
        changed=1
        [ "$check" = 1 ] || do_umount || die "Error unmounting $name: $msg"
    fi ;;
mounted|ephemeral)
    top=""
    if [ ! -e "$name" ] && [ "$check" = 0 ]; then
        top=$name
        while [ ! -e "$(dirname -- "$top")" ]; do top=$(dirname -- "$top"); done
        err=$(mkdir -p -- "$name" 2>&1) || die "Error making dir $name: $err"
    fi
    if [ "$state" = mounted ]; then changed=$(set_mount); fi
    [ "$changed" = 1 ] && [ "$check" = 0 ] && commit
    res=0
    if is_mounted; then
        if [ "$changed" = 1 ] && [ "$check" = 0 ]; then do_remount || res=1; fi
        if [ "$state" = ephemeral ]; then
            [ "$(mounted_src)" = "$src" ] || die "Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to prevent an unwanted unmount or override operation. Try replacing this command with a \"state: unmounted\" followed by a \"state: ephemeral\", or use a different destination path."
            changed=1
            [ "$check" = 1 ] || do_remount || res=1
        fi
    else
        changed=1
        [ "$check" = 1 ] || do_mount || res=1
    fi
    if [ "$res" = 1 ]; then
        [ "$state" = ephemeral ] || cat "$old" >"$fstab"
        if [ -n "$top" ]; then
            d=$name
            while rmdir -- "$d" 2>/dev/null && [ "$d" != "$top" ]; do d=$(dirname -- "$d"); done
        fi
        die "Error mounting $name: $msg"
    fi ;;
present)
    changed=$(set_mount)
    [ "$changed" = 1 ] && [ "$check" = 0 ] && commit ;;
remounted)
    changed=1
    [ "$check" = 1 ] || do_remount || die "Error remounting $name: $msg" ;;
esac
say changed "${changed:-0}"
