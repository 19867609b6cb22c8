# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# Prints the first search path entry holding a file named $bin (Ansible's `find` over search_paths).
while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    if [ -e "$dir/$bin" ] || [ -L "$dir/$bin" ]; then
        say path "$dir/$bin"
        exit 0
    fi
done <<EOF_PATHS
$paths
EOF_PATHS
exit 3
