# One lab node: an overlay over the host's / as its root, its own namespaces (mount, UTS, PID, net,
# IPC, cgroup) and the host's systemd binary as its PID 1.

# Units that make no sense on a lab node or slow its boot; whatever else the host image enables
# (databases, docker, the host's own apt-cacher-ng, ...) is masked too, see node_masks.
LAB_MASKED_UNITS=(
    getty@.service serial-getty@.service console-getty.service container-getty@.service getty-static.service
    systemd-timesyncd.service systemd-modules-load.service systemd-networkd-wait-online.service
    systemd-pstore.service systemd-udevd.service systemd-udev-trigger.service systemd-hwdb-update.service
    apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service
    unattended-upgrades.service man-db.timer man-db.service e2scrub_all.timer e2scrub_reap.service
    fstrim.timer dpkg-db-backup.timer logrotate.timer cron.service anacron.service anacron.timer
    docker.service docker.socket containerd.service postgresql.service mariadb.service mysql.service
    redis-server.service apt-cacher-ng.service exim4.service postfix.service
)
# Units the host enables that a node keeps.
LAB_KEPT_UNITS=" ssh.service dbus.service systemd-journald.service systemd-logind.service remote-fs.target "

# Every unit the host image enables, minus the kept ones, plus LAB_MASKED_UNITS.
node_masks() {
    local f u
    printf '%s\n' "${LAB_MASKED_UNITS[@]}"
    for f in /etc/systemd/system/*.wants/*; do
        u=${f##*/}
        [[ $LAB_KEPT_UNITS == *" $u "* ]] || printf '%s\n' "$u"
    done
}

# Makes an overlay entry that hides the lower layer's PATH (a whiteout) or its contents (opaque dir).
whiteout() { mkdir -p "$(dirname "$1")" && rm -rf "$1" && mknod "$1" c 0 0; }
opaque_dir() {
    mkdir -p "$1"
    python3 -c 'import os, sys; os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"y")' "$1"
}

# Writes node NAME's own files into its upper dir, once: identity, host keys, sshd, apt proxy, masks.
node_prepare() { # NAME ADDR
    local name=$1 addr=$2 d u k
    d=$(node_dir "$name")
    u="$d/upper"
    [ -f "$d/prepared" ] && return 0
    rm -rf "$u" "$d/work"
    mkdir -p "$u/etc/ssh" "$u/etc/apt/apt.conf.d" "$u/etc/systemd/system" "$d/work" "$d/root"

    echo "$name" >"$u/etc/hostname"
    tr -d - </proc/sys/kernel/random/uuid >"$u/etc/machine-id"
    # What belongs to the host or to other users of this machine is not part of a node.
    whiteout "$u/work"
    for k in /var/lib/capstan-lab* "$LAB_DIR"; do [ -e "$k" ] && whiteout "$u$k"; done
    opaque_dir "$u/home"
    opaque_dir "$u/tmp"
    opaque_dir "$u/var/tmp"
    opaque_dir "$u/root"
    cp /etc/skel/.bashrc /etc/skel/.profile "$u/root/" 2>/dev/null || true
    install -d -m 0700 "$u/root/.ssh"
    install -m 0600 "$LAB_KEY.pub" "$u/root/.ssh/authorized_keys"

    # The host's own host keys must not show through: hide them all, then make the node's.
    for k in /etc/ssh/ssh_host_*; do [ -e "$k" ] && whiteout "$u$k"; done
    rm -f "$u"/etc/ssh/ssh_host_{ed25519,ecdsa}_key{,.pub}
    ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$u/etc/ssh/ssh_host_ed25519_key"
    ssh-keygen -q -t ecdsa -N '' -C "root@$name" -f "$u/etc/ssh/ssh_host_ecdsa_key"
    sed "s/@ADDR@/$addr/" "$LAB_HERE/sshd_config" >"$u/etc/ssh/sshd_config"
    whiteout "$u/etc/ssh/sshd_config.d"
    printf 'Acquire::http::Proxy "http://%s:%s";\nAcquire::https::Proxy "http://%s:%s";\n' \
        "$LAB_BRIDGE_ADDR" "$LAB_PROXY_PORT" "$LAB_BRIDGE_ADDR" "$LAB_PROXY_PORT" \
        >"$u/etc/apt/apt.conf.d/00capstan-lab-proxy"

    node_masks | sort -u | while read -r k; do
        rm -f "$u/etc/systemd/system/$k"
        ln -s /dev/null "$u/etc/systemd/system/$k"
    done
    touch "$d/prepared"
}

node_mount() { # NAME
    local d
    d=$(node_dir "$1")
    if ! mountpoint -q "$d/root"; then
        mount -t overlay "capstan-$1" -o "lowerdir=/,upperdir=$d/upper,workdir=$d/work" "$d/root"
    fi
    state_set mount "$1" "$d/root"
}

# The cgroup2 hierarchy the nodes' cgroup namespaces are rooted in (hybrid or unified hosts).
cgroup_base() {
    local fs
    for fs in /sys/fs/cgroup/unified /sys/fs/cgroup; do
        if [ "$(stat -fc %T "$fs" 2>/dev/null)" = cgroup2fs ]; then
            printf '%s/capstan-lab-%s' "$fs" "$LAB_BRIDGE"
            return 0
        fi
    done
    die "no cgroup2 hierarchy mounted under /sys/fs/cgroup; systemd in a node needs one"
}

node_start() { # I NAME ADDR
    local i=$1 name=$2 addr=$3 d cg upid child="" n
    d=$(node_dir "$name")
    cg="$(cgroup_base)/$name"
    mkdir -p "$cg"
    state_set cgroup "$name" "$cg"
    # The launcher joins the node's cgroup first, so the node's cgroup namespace is rooted there.
    setsid bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$cg" \
        unshare --mount --uts --pid --net --ipc --cgroup --fork --propagation private \
        "$LAB_HERE/node-init" "$d/root" "$name" "$addr/24" "$LAB_PROC_SYS" \
        >"$d/console.log" 2>&1 </dev/null 9>&- &
    upid=$!
    state_set unshare "$name" "$upid" "$(pid_start "$upid")"
    for ((n = 0; n < 100; n++)); do
        child=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null || true)
        child=${child%% *}
        [ -n "$child" ] && [ "$(readlink "/proc/$child/ns/net")" != "$(readlink /proc/self/ns/net)" ] && break
        child=""
        sleep 0.02
    done
    [ -n "$child" ] || die "$name did not start; see $d/console.log"
    state_set init "$name" "$child" "$(pid_start "$child")"
    veth_add "$i" "$name" "$child"
}

node_alive() { # NAME
    local pid start
    read -r pid start <<<"$(state_get init "$1")"
    pid_alive "$pid" "$start"
}

node_init_pid() { state_get init "$1" | cut -d' ' -f1; }

# Stops node NAME and undoes what node_mount and node_start made; the upper dir stays.
node_stop() { # NAME
    local name=$1 pid start path
    read -r pid start <<<"$(state_get init "$name")"
    # Killing a PID namespace's init kills every process in it: the node's systemd, sshd, jobs.
    pid_stop "$pid" "$start" KILL 5
    state_del init "$name"
    read -r pid start <<<"$(state_get unshare "$name")"
    pid_stop "$pid" "$start" TERM 5
    state_del unshare "$name"
    veth_del "$name"
    path=$(state_get mount "$name")
    if [ -n "$path" ] && mountpoint -q "$path"; then
        umount "$path" 2>/dev/null || umount -l "$path"
    fi
    state_del mount "$name"
    path=$(state_get cgroup "$name")
    if [ -n "$path" ] && [ -d "$path" ]; then
        find "$path" -depth -type d -exec rmdir {} + 2>/dev/null || true
        rmdir "$(dirname "$path")" 2>/dev/null || true
    fi
    state_del cgroup "$name"
}
