# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
errf=$(mktemp) || die "cannot create a temporary file"
trap 'rm -f "$errf"' EXIT
runc() {
    out=$("$@" 2>"$errf"); rc=$?
    [ "$rc" = 0 ] || die "Command failed rc=$rc, out=$out, err=$(cat "$errf")"
}
if [ "$strategy" = auto ]; then
    strategy='file'
    [ -d /run/systemd/system ] && strategy=systemd
fi
changed=0
if [ "$strategy" = systemd ]; then
    command -v hostnamectl >/dev/null 2>&1 || die "Failed to find required executable \"hostnamectl\" in paths: $PATH"
    runc hostnamectl --transient status; current=$out
    runc hostnamectl --static status; permanent=$out
    long() { [ "${#name}" -le 64 ] || die "name cannot be longer than 64 characters on systemd servers, try a shorter name"; }
    if [ "$permanent" != "$name" ]; then
        changed=1
        [ "$check" = 1 ] || { long; runc hostnamectl --pretty --static set-hostname "$name"; }
    fi
    runc hostnamectl --transient status
    if [ "$out" != "$name" ]; then
        changed=1
        [ "$check" = 1 ] || { long; runc hostnamectl --transient set-hostname "$name"; }
    fi
else
    command -v hostname >/dev/null 2>&1 || die "Failed to find required executable \"hostname\" in paths: $PATH"
    runc hostname; current=$out
    permanent=""
    [ -f /etc/hostname ] && permanent=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' /etc/hostname)
    if [ "$permanent" != "$name" ]; then
        changed=1
        [ "$check" = 1 ] || printf '%s\n' "$name" >/etc/hostname || die "failed to update hostname: cannot write /etc/hostname"
    fi
    if [ "$current" != "$name" ]; then
        changed=1
        [ "$check" = 1 ] || runc hostname "$name"
    fi
fi
say current "$current"
say permanent "$permanent"
say changed "$changed"
say fqdn "$(hostname -f 2>/dev/null || hostname)"
