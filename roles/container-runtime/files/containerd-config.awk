# Turns `containerd config default` (standard input) into Capstan's containerd config: runc with
# the systemd cgroup driver, the sandbox (pause) image set, the CRI plugin never disabled, registry
# hosts read from REGISTRY_CONFIG_PATH (where registry-trust writes hosts.toml files, so that the two
# roles never rewrite each other's part of the file).
# Environment: CGROUP_SECTION and SANDBOX_SECTION (TOML table names without brackets), SANDBOX_KEY
# (sandbox_image or sandbox), SANDBOX_IMAGE, REGISTRY_CONFIG_PATH, QUOTE (the quote character of the
# config's strings), CONFIG_VERSION (the `version` the defaults must have). Exits 3 when a section
# is missing and 4
# on another config version, so a containerd whose layout changed fails loudly instead of running
# with the wrong cgroup driver. POSIX awk (Debian's default awk is mawk).
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function indent_of(s) { sub(/[^ \t].*$/, "", s); return s }
function leave_section() {
    if (cur == cg && !cg_done) { print cg_indent "SystemdCgroup = true"; cg_done = 1 }
    if (cur == sb && !sb_done) { print sb_indent sbk " = " q img q; sb_done = 1 }
}
BEGIN {
    cg = "[" ENVIRON["CGROUP_SECTION"] "]"; sb = "[" ENVIRON["SANDBOX_SECTION"] "]"
    sbk = ENVIRON["SANDBOX_KEY"]; img = ENVIRON["SANDBOX_IMAGE"]; q = ENVIRON["QUOTE"]
    want_version = ENVIRON["CONFIG_VERSION"]; certs = ENVIRON["REGISTRY_CONFIG_PATH"]; cur = ""
}
/^[ \t]*\[/ {
    leave_section()
    cur = trim($0)
    if (cur == cg) { cg_seen = 1; cg_indent = indent_of($0) "  " }
    if (cur == sb) { sb_seen = 1; sb_indent = indent_of($0) "  " }
    print; next
}
cur == "" && $0 ~ /^version[ \t]*=/ { version = trim(substr($0, index($0, "=") + 1)) }
cur == "" && $0 ~ /^disabled_plugins[ \t]*=/ && $0 ~ /cri/ { print "disabled_plugins = []"; next }
$0 ~ /^[ \t]*config_path[ \t]*=[ \t]*(""|'')[ \t]*$/ { print indent_of($0) "config_path = " q certs q; next }
cur == cg && $0 ~ /^[ \t]*SystemdCgroup[ \t]*=/ { print indent_of($0) "SystemdCgroup = true"; cg_done = 1; next }
cur == sb && $0 ~ ("^[ \t]*" sbk "[ \t]*=") { print indent_of($0) sbk " = " q img q; sb_done = 1; next }
{ print }
END {
    leave_section()
    if (version != want_version) {
        print "containerd's default config has version " version ", expected " want_version > "/dev/stderr"; exit 4
    }
    if (!cg_seen) { print "containerd's default config has no " cg " table" > "/dev/stderr"; exit 3 }
    if (!sb_seen) { print "containerd's default config has no " sb " table" > "/dev/stderr"; exit 3 }
}
