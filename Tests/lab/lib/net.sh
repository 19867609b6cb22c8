# The lab's network: one bridge on the host holding the lab's /24, one veth pair per node.
# There is deliberately no route out: no NAT, forwarding off on the bridge, no default route in nodes.

bridge_up() {
    if [ -n "$(state_get bridge "$LAB_BRIDGE")" ]; then
        ip link show "$LAB_BRIDGE" >/dev/null 2>&1 || die "bridge $LAB_BRIDGE is recorded but gone; run down first"
        return 0
    fi
    ip link show "$LAB_BRIDGE" >/dev/null 2>&1 && die "bridge $LAB_BRIDGE exists but this lab did not make it"
    if ip -4 -o addr show | awk '{print $4}' | grep -q "^$LAB_SUBNET\."; then
        die "$LAB_SUBNET.0/24 is already in use on this machine"
    fi
    ip link add "$LAB_BRIDGE" type bridge
    state_set bridge "$LAB_BRIDGE" "$LAB_BRIDGE_ADDR/24"
    # Packets arriving from the lab are never routed anywhere: forwarding is off on the bridge, and
    # since setting net.ipv4.ip_forward=1 later (docker does) turns it back on for every interface,
    # a routing rule also refuses whatever from the bridge is not for the host itself.
    sysctl -qw "net.ipv4.conf.$LAB_BRIDGE.forwarding=0"
    state_set rule "$LAB_BRIDGE" 1000
    ip rule add pref 1000 iif "$LAB_BRIDGE" prohibit
    sysctl -qw "net.ipv6.conf.$LAB_BRIDGE.disable_ipv6=1" 2>/dev/null || true
    ip addr add "$LAB_BRIDGE_ADDR/24" dev "$LAB_BRIDGE"
    ip link set "$LAB_BRIDGE" up
}

bridge_down() {
    if [ -n "$(state_get rule "$LAB_BRIDGE")" ]; then
        ip rule del pref 1000 iif "$LAB_BRIDGE" prohibit 2>/dev/null || true
        state_del rule "$LAB_BRIDGE"
    fi
    [ -n "$(state_get bridge "$LAB_BRIDGE")" ] || return 0
    ip link del "$LAB_BRIDGE" 2>/dev/null || true
    state_del bridge "$LAB_BRIDGE"
}

# Creates node I's veth pair with the peer already inside the namespace of PID, named eth0.
veth_add() { # I NAME PID
    local veth
    veth=$(node_veth "$1")
    ip link del "$veth" 2>/dev/null || true
    ip link add "$veth" type veth peer name eth0 netns "$3"
    state_set veth "$2" "$veth"
    sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" 2>/dev/null || true
    ip link set "$veth" master "$LAB_BRIDGE" up
}

# The veth vanishes with the node's network namespace; delete it only if it is still there.
veth_del() { # NAME
    local veth
    state_rec veth "$1"
    veth=$REPLY
    [ -n "$veth" ] || return 0
    [ ! -e "/sys/class/net/$veth" ] || ip link del "$veth" 2>/dev/null || true
    state_del veth "$1"
}

# Waits until something accepts TCP connections on ADDR:PORT, for up to SECONDS.
tcp_wait() { # ADDR PORT SECONDS
    local end=$((SECONDS + $3))
    while ((SECONDS <= end)); do
        timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
