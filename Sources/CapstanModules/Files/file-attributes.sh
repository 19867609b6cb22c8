# shellcheck shell=sh
# `attrs PATH OWNER GROUP MODE [-h]` gives PATH the owner, the group and the octal mode given, an empty
# one left alone (`AttributeChanges.shell`); `-h` changes a symlink itself. A failure prints an `E`
# record with Ansible's message and stops the program.
attrs() {
    if [ -n "$2" ]; then
        chown ${5:+"$5"} "$2" -- "$1" 2>/dev/null || {
            if id -u "$2" >/dev/null 2>&1; then echo 'E chown failed: [Errno 1] Operation not permitted'
            else echo "E chown failed: failed to look up user $2"; fi; exit 0; }
    fi
    if [ -n "$3" ]; then
        chgrp ${5:+"$5"} "$3" -- "$1" 2>/dev/null || {
            if getent group "$3" >/dev/null 2>&1; then echo 'E chgrp failed'
            else echo "E chgrp failed: failed to look up group $3"; fi; exit 0; }
    fi
    if [ -n "$4" ]; then chmod "$4" -- "$1" || { echo 'E chmod failed'; exit 0; }; fi
}
