/// The sh program behind `mount`. Inputs: name/ename (path, plain and fstab-escaped), src/esrc,
/// hassrc, fstype/efstype, opts/eopts, dump, passno (escaped), fstab, state, backup, check. Reports
/// `changed` and `backup_file`; fails with Ansible's messages.
enum MountProgram {
    /// Reading and rewriting the fstab: `set_mount` and `unset_mount` write the new text to `$new`
    /// and print 1 when it differs; `commit` installs it (after a backup copy when asked).
    static let fstab = #"""
        set -f
        tmp=$(mktemp -d) || die "cannot create a temporary directory"
        trap 'rm -rf "$tmp"' EXIT
        new=$tmp/new old=$tmp/old
        if [ -e "$fstab" ]; then cat -- "$fstab" >"$old" || die "Failed to open $fstab"; else : >"$old"; fi
        set_mount() {
            ename=$ename esrc=$esrc src=$src efstype=$efstype eopts=$eopts dump=$dump passno=$passno new=$new \
                awk -v hassrc="$hassrc" '
            BEGIN {
                name = ENVIRON["ename"]; src = ENVIRON["esrc"]; rsrc = ENVIRON["src"]; fstype = ENVIRON["efstype"]
                opts = ENVIRON["eopts"]; dump = ENVIRON["dump"]; passno = ENVIRON["passno"]; out = ENVIRON["new"]
            }
            function entry() { return ld[1] " " ld[2] " " ld[3] " " ld[4] " " ld[5] " " ld[6] }
            {
                line = $0; t = line; gsub(/^[ \t\r\f\v]+|[ \t\r\f\v]+$/, "", t)
                if (t == "" || substr(t, 1, 1) == "#") { print line > out; next }
                body = line; i = index(body, "#"); if (i) body = substr(body, 1, i - 1)
                n = split(body, f, " ")
                if (n < 4 || n > 6) { print line > out; next }
                # Ansible fills a missing dump/passno with the number 0, which never equals the
                # string it compares with, so such a line is always rewritten.
                ld[1] = f[1]; ld[2] = f[2]; ld[3] = f[3]; ld[4] = f[4]
                ld[5] = n >= 5 ? f[5] : "\001"; ld[6] = n >= 6 ? f[6] : "\001"
                if (ld[2] != name || (hassrc == 1 && ld[2] == "none" && ld[3] == "swap" && ld[1] != rsrc)) {
                    print line > out; next
                }
                exists = 1
                want[1] = src; want[3] = fstype; want[4] = opts; want[5] = dump; want[6] = passno
                for (k = 1; k <= 6; k++) if (k != 2 && ld[k] != want[k]) { ld[k] = want[k]; changed = 1 }
                if (changed) print entry() > out; else print line > out
            }
            END {
                if (!exists) { print src " " name " " fstype " " opts " " dump " " passno > out; changed = 1 }
                close(out); printf "%d", changed
            }' "$old"
        }
        unset_mount() {
            ename=$ename src=$src new=$new awk -v hassrc="$hassrc" '
            BEGIN { name = ENVIRON["ename"]; rsrc = ENVIRON["src"]; out = ENVIRON["new"] }
            {
                t = $0; gsub(/^[ \t\r\f\v]+|[ \t\r\f\v]+$/, "", t)
                if (t == "" || substr(t, 1, 1) == "#" || split($0, f, " ") != 6) { print > out; next }
                if (f[2] != name || (hassrc == 1 && f[2] == "none" && f[3] == "swap" && f[1] != rsrc)) { print > out; next }
                changed = 1
            }
            END { close(out); printf "%d", changed }' "$old"
        }
        commit() {
            if [ "$backup" = 1 ] && [ -e "$fstab" ]; then
                b="$fstab.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
                cp -p -- "$fstab" "$b" || die "Could not make a backup of $fstab"
                say backup_file "$b"
            fi
            mkdir -p -- "$(dirname -- "$fstab")" && cat "$new" >"$fstab" || die "Failed to write $fstab"
        }

        """#

    /// Mount state and the state machine of Ansible's `main()`.
    static let body = #"""
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
        """#
}
