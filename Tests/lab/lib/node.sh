# One lab node: an overlay over the host's / as its root, its own namespaces (mount, UTS, PID, net,
# IPC, cgroup) and the host's systemd binary as its PID 1.

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
    state_rec init "$1"
    read -r pid start <<<"$REPLY"
    pid_alive "$pid" "$start"
}

node_init_pid() { state_rec init "$1" && printf '%s' "${REPLY%% *}"; }

# Stops node NAME and undoes what node_mount and node_start made; the upper dir stays.
node_stop() { # NAME
    local name=$1 pid start path
    state_rec init "$name"
    read -r pid start <<<"$REPLY"
    # Killing a PID namespace's init kills every process in it: the node's systemd, sshd, jobs.
    pid_stop "$pid" "$start" KILL 5
    state_del init "$name"
    state_rec unshare "$name"
    read -r pid start <<<"$REPLY"
    pid_stop "$pid" "$start" TERM 5
    state_del unshare "$name"
    veth_del "$name"
    state_rec mount "$name"
    path=$REPLY
    if [ -n "$path" ] && mountpoint -q "$path"; then
        umount "$path" 2>/dev/null || umount -l "$path"
    fi
    state_del mount "$name"
    state_rec cgroup "$name"
    path=$REPLY
    if [ -n "$path" ] && [ -d "$path" ]; then
        find "$path" -depth -type d -exec rmdir {} + 2>/dev/null || true
        rmdir "$(dirname "$path")" 2>/dev/null || true
    fi
    state_del cgroup "$name"
}
