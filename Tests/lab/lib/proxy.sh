# The lab's only way out: apt-cacher-ng on the bridge address, started and stopped by the lab (never
# by the package's init script), with its cache under the lab dir so it survives `down`.

proxy_up() {
    local rec pid start dir="$LAB_DIR/proxy" user=()
    rec=$(state_get proxy apt-cacher-ng)
    if [ -n "$rec" ]; then
        read -r pid start <<<"$rec"
        pid_alive "$pid" "$start" && return 0
        state_del proxy apt-cacher-ng
    fi
    command -v apt-cacher-ng >/dev/null || die "apt-cacher-ng is not installed (bash .ci/setup installs it)"
    mkdir -p "$dir/cache" "$dir/log" "$dir/run" "$dir/conf"
    if id apt-cacher-ng >/dev/null 2>&1; then
        chown -R apt-cacher-ng: "$dir/cache" "$dir/log" "$dir/run"
        user=(setpriv --reuid=apt-cacher-ng --regid=apt-cacher-ng --init-groups --)
    fi
    # Our own config, not /etc/apt-cacher-ng (whose Debian backend defaults to ftp.debian.org).
    # ForceManaged: the proxy serves only the repositories named in a Remap line, so a node cannot
    # use it to fetch arbitrary URLs; CAPSTAN_LAB_REMAPS adds lines for further repositories.
    {
        echo "CacheDir: $dir/cache"
        echo "LogDir: $dir/log"
        echo "SupportDir: /usr/lib/apt-cacher-ng"
        echo "BindAddress: $LAB_BRIDGE_ADDR"
        echo "Port: $LAB_PROXY_PORT"
        echo "SocketPath: $dir/run/socket"
        echo "PidFile: $dir/run/pid"
        echo "ForeGround: 1"
        echo "ExThreshold: 4"
        echo "PassThroughPattern: $LAB_PASSTHROUGH"
        echo "ForceManaged: 1"
        echo "Remap-debrep: deb.debian.org/debian ftp.debian.org/debian /debian ; http://deb.debian.org/debian/"
        echo "Remap-secdeb: security.debian.org/debian-security deb.debian.org/debian-security" \
            "/debian-security ; http://deb.debian.org/debian-security/"
        [ -z "${CAPSTAN_LAB_REMAPS:-}" ] || printf '%s\n' "$CAPSTAN_LAB_REMAPS"
        # A CI machine that reaches Debian through a proxy hands it on to apt-cacher-ng.
        [ -z "${http_proxy:-}" ] || echo "Proxy: $http_proxy"
    } >"$dir/conf/acng.conf"
    setsid "${user[@]}" apt-cacher-ng -c "$dir/conf" \
        >"$dir/log/stdout" 2>&1 </dev/null 9>&- &
    pid=$!
    start=$(pid_start "$pid")
    [ -n "$start" ] || die "apt-cacher-ng exited at once; see $dir/log/stdout"
    state_set proxy apt-cacher-ng "$pid" "$start"
    tcp_wait "$LAB_BRIDGE_ADDR" "$LAB_PROXY_PORT" 10 ||
        die "apt-cacher-ng does not listen on $LAB_BRIDGE_ADDR:$LAB_PROXY_PORT; see $dir/log/"
    # Something else answering on the port (a host-wide apt-cacher-ng) would make ours exit.
    pid_alive "$pid" "$start" || die "apt-cacher-ng exited; is port $LAB_PROXY_PORT taken? see $dir/log/"
}

proxy_down() {
    local rec pid start
    rec=$(state_get proxy apt-cacher-ng)
    [ -n "$rec" ] || return 0
    read -r pid start <<<"$rec"
    pid_stop "$pid" "$start" TERM 5
    state_del proxy apt-cacher-ng
}
