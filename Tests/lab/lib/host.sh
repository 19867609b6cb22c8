# Host-wide kernel limits the nodes share with the host. Every node's systemd, journald, logind and
# user manager each take inotify instances, all charged to root on the host: the default of 128
# runs out at around 16 nodes, after which systemd fails with "Too many open files".
# `up` raises them (never lowers) and records the old values; `down` puts those back unless
# another lab (a capstan-lab-* cgroup next to ours) still runs and needs them.

LAB_SYSCTLS=(fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=1048576)

host_limits_up() {
    local kv key want have
    for kv in "${LAB_SYSCTLS[@]}"; do
        key=${kv%%=*} want=${kv#*=}
        have=$(sysctl -n "$key")
        ((have < want)) || continue
        [ -n "$(state_get sysctl "$key")" ] || state_set sysctl "$key" "$have"
        sysctl -qw "$key=$want"
    done
}

host_limits_down() {
    local key others
    others=$({ compgen -G "$(dirname "$(cgroup_base)")/capstan-lab-*" || true; } | xargs -r -n 1 basename | xargs)
    if [ -n "$others" ]; then
        log "leaving ${LAB_SYSCTLS[*]%%=*} raised: another lab still runs ($others)"
        for key in $(state_names sysctl); do state_del sysctl "$key"; done
        return 0
    fi
    for key in $(state_names sysctl); do
        sysctl -qw "$key=$(state_get sysctl "$key")" || true
        state_del sysctl "$key"
    done
}

# Stops early, with the reason, on a machine that cannot run lab nodes.
host_preflight() {
    local cmd
    for cmd in unshare nsenter setpriv pivot_root ip ssh ssh-keygen mountpoint flock; do
        command -v "$cmd" >/dev/null || die "$cmd is missing (bash .ci/setup installs what the lab needs)"
    done
    [ -x /lib/systemd/systemd ] || die "/lib/systemd/systemd is missing: nodes boot the host's systemd"
    [ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd is missing: nodes run the host's openssh-server"
    grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
        die "this kernel has no overlayfs, which node roots are made of"
    for cmd in mnt uts pid net ipc cgroup; do
        [ -e "/proc/self/ns/$cmd" ] || die "this kernel has no $cmd namespaces"
    done
    cgroup_base >/dev/null
}
