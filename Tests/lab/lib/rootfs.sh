# A lab node's writable root: the overlay upper dir that turns a copy of the host's / into a node.
# Sourced by Tests/lab/lab.

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
opaque_dirs() { # DIR...
    mkdir -p "$@"
    if command -v setfattr >/dev/null; then
        setfattr -n trusted.overlay.opaque -v y "$@"
    else
        /usr/bin/python3 -c 'import os, sys; [os.setxattr(d, "trusted.overlay.opaque", b"y") for d in sys.argv[1:]]' "$@"
    fi
}

# Makes $LAB_DIR/nodes, on a tmpfs of its own when LAB_TMPFS asks for one.
nodes_fs_up() {
    local dir="$LAB_DIR/nodes"
    mkdir -p "$dir"
    [ -z "$(state_get fs nodes)" ] || return 0
    if [ "$LAB_TMPFS" = yes ] || { [ "$LAB_TMPFS" = auto ] && [ "$(stat -fc %T "$LAB_DIR")" = overlayfs ]; }; then
        state_set fs nodes "$dir"
        mount -t tmpfs -o mode=0755 capstan-lab-nodes "$dir"
    fi
}

nodes_fs_down() {
    local dir
    dir=$(state_get fs nodes)
    [ -n "$dir" ] || return 0
    ! mountpoint -q "$dir" || umount "$dir" || umount -l "$dir"
    state_del fs nodes
}

# Builds, once per `up`, what every node's upper dir starts from: what to hide from the host,
# masked units, root's authorized key, sshd and apt settings. Copying it is one cp per node.
skeleton_build() {
    local u="$LAB_DIR/skel" k
    [ -n "${LAB_SKELETON_BUILT:-}" ] && return 0
    rm -rf "$u"
    mkdir -p "$u/etc/ssh" "$u/etc/apt/apt.conf.d" "$u/etc/systemd/system"
    # What belongs to the host or to other users of this machine is not part of a node.
    whiteout "$u/work"
    for k in /var/lib/capstan-lab* "$LAB_DIR"; do [ -e "$k" ] && whiteout "$u$k"; done
    opaque_dirs "$u/home" "$u/tmp" "$u/var/tmp" "$u/root"
    cp /etc/skel/.bashrc /etc/skel/.profile "$u/root/" 2>/dev/null || true
    install -d -m 0700 "$u/root/.ssh"
    install -m 0600 "$LAB_KEY.pub" "$u/root/.ssh/authorized_keys"
    # The host's own host keys must not show through: hide them all; each node makes its own.
    for k in /etc/ssh/ssh_host_*; do [ -e "$k" ] && whiteout "$u$k"; done
    whiteout "$u/etc/ssh/sshd_config.d"
    # The host's resolver is out of reach; nodes know each other from /etc/hosts.
    echo "# Capstan lab node: no DNS; lab nodes are in /etc/hosts." >"$u/etc/resolv.conf"
    printf 'Acquire::http::Proxy "http://%s:%s";\nAcquire::https::Proxy "http://%s:%s";\n' \
        "$LAB_BRIDGE_ADDR" "$LAB_PROXY_PORT" "$LAB_BRIDGE_ADDR" "$LAB_PROXY_PORT" \
        >"$u/etc/apt/apt.conf.d/00capstan-lab-proxy"
    node_masks | sort -u | (cd "$u/etc/systemd/system" && xargs -r -n 1 ln -sfn /dev/null)
    LAB_SKELETON_BUILT=1
}

# Makes node NAME's upper dir, once: the skeleton plus its identity and its own SSH host keys.
node_prepare() { # NAME ADDR
    local name=$1 addr=$2 d u
    d=$(node_dir "$name")
    u="$d/upper"
    [ -f "$d/prepared" ] && return 0
    skeleton_build
    rm -rf "$u" "$d/work"
    mkdir -p "$d/work" "$d/root"
    cp -a "$LAB_DIR/skel" "$u"
    echo "$name" >"$u/etc/hostname"
    tr -d - </proc/sys/kernel/random/uuid >"$u/etc/machine-id"
    rm -f "$u"/etc/ssh/ssh_host_{ed25519,ecdsa}_key{,.pub}
    ssh-keygen -q -t ed25519 -N '' -C "root@$name" -f "$u/etc/ssh/ssh_host_ed25519_key"
    ssh-keygen -q -t ecdsa -N '' -C "root@$name" -f "$u/etc/ssh/ssh_host_ecdsa_key"
    sed "s/@ADDR@/$addr/" "$LAB_HERE/sshd_config" >"$u/etc/ssh/sshd_config"
    touch "$d/prepared"
}
