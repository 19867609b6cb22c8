# Helper processes that other scripts start for a lab (Tests/kube-doubles/serve's HTTP server and
# its signing key's gpg-agent), so that `lab down` stops them with the lab. Sourced, not run.
#
# A helper is one file, helpers/NAME in the lab dir, of records one a line:
#   pid PID START     a process, stopped by PID and start time (TERM, then KILL after 5 s)
#   gnupg DIR         a GNUPGHOME whose agents `gpgconf --kill all` stops
#   file PATH         a file under the lab dir to remove
# The script that starts a helper writes the file; it removes the file when it stops the helper itself.

LAB_HELPERS="$LAB_DIR/helpers"

# Stops what helpers/NAME records and removes the record.
helper_stop() { # NAME
    local record="$LAB_HELPERS/$1" kind a b
    [ -f "$record" ] || return 0
    while read -r kind a b; do
        case "$kind" in
        pid) pid_stop "$a" "$b" TERM 5 ;;
        gnupg) [ ! -d "$a" ] || GNUPGHOME=$a gpgconf --kill all 2>/dev/null || true ;;
        file)
            case "$a" in "$LAB_DIR"/*) rm -f -- "$a" ;; *) continue ;; esac
            # and the folders it leaves empty, up to the lab dir
            a=${a%/*}
            while [ "$a" != "$LAB_DIR" ] && rmdir -- "$a" 2>/dev/null; do a=${a%/*}; done ;;
        esac
    done <"$record"
    rm -f -- "$record"
}

# Stops every recorded helper.
helpers_down() {
    local record
    [ -d "$LAB_HELPERS" ] || return 0
    for record in "$LAB_HELPERS"/*; do
        [ -e "$record" ] || continue
        helper_stop "${record##*/}"
    done
    rmdir "$LAB_HELPERS" 2>/dev/null || true
}
