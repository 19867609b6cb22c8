# What `up` leaves for its users in the lab dir: the client key, inventory.ini and known_hosts,
# and each node's /etc/hosts. Files are replaced only when their content changes.

# Replaces FILE with stdin if it differs; keeps mtimes stable on an idempotent `up`.
write_if_changed() { # FILE [MODE]
    local tmp="$1.tmp.$$"
    cat >"$tmp"
    chmod "${2:-0644}" "$tmp"
    if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

client_key() {
    [ -f "$LAB_KEY" ] && [ -f "$LAB_KEY.pub" ] && return 0
    rm -f "$LAB_KEY" "$LAB_KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C "capstan-lab" -f "$LAB_KEY"
    chmod 0600 "$LAB_KEY" "$LAB_KEY.pub"
}

# Prints "I NAME ADDR" for every node recorded in the state file, in index order.
lab_nodes() {
    local name i addr
    for name in $(state_names node); do
        state_rec node "$name"
        read -r i addr <<<"$REPLY"
        printf '%s %s %s\n' "$i" "$name" "$addr"
    done | sort -n
}

write_inventory() {
    local i name addr
    {
        echo "# Capstan lab nodes, written by Tests/lab/lab up; regenerated on every up."
        echo "[lab]"
        lab_nodes | while read -r i name addr; do
            echo "$name ansible_host=$addr ansible_user=root ansible_ssh_private_key_file=$LAB_KEY ip=$addr"
        done
        echo
        # Kubespray's current group names: the hyphenated older ones (kube-master, kube-node) would make
        # every command on the lab warn that group names should not hold '-'.
        echo "[kube_control_plane]"
        lab_nodes | head -n 1 | while read -r i name addr; do echo "$name"; done
        echo
        echo "[kube_node]"
        lab_nodes | tail -n +2 | while read -r i name addr; do echo "$name"; done
        echo
        # Host keys are checked against the lab's own known_hosts, by Capstan and by ansible-playbook.
        echo "[all:vars]"
        echo "ansible_ssh_common_args='-o UserKnownHostsFile=$LAB_DIR/known_hosts -o StrictHostKeyChecking=yes'"
    } | write_if_changed "$LAB_DIR/inventory.ini"
}

write_known_hosts() {
    local i name addr k
    lab_nodes | while read -r i name addr; do
        for k in "$(node_dir "$name")"/upper/etc/ssh/ssh_host_*_key.pub; do
            [ -f "$k" ] || continue
            printf '%s,%s %s\n' "$addr" "$name" "$(cut -d' ' -f1,2 "$k")"
        done
    done | write_if_changed "$LAB_DIR/known_hosts"
}

# Every node knows every other node by name, as on a cluster with working DNS.
write_etc_hosts() {
    local i name addr hosts
    hosts=$(
        printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
        printf '%s\tcapstan-lab-gateway\n' "$LAB_BRIDGE_ADDR"
        lab_nodes | while read -r i name addr; do printf '%s\t%s\n' "$addr" "$name"; done
    )
    lab_nodes | while read -r i name addr; do
        local target
        target="$(node_dir "$name")/root/etc/hosts"
        mountpoint -q "$(node_dir "$name")/root" || target="$(node_dir "$name")/upper/etc/hosts"
        printf '%s\n' "$hosts" | write_if_changed "$target"
    done
}
