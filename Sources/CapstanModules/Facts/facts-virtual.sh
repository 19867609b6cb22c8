# shellcheck shell=sh
echo '==virt-exists=='
for f in /.dockerenv /.dockerinit "$P"/vz "$P"/lve "$P"/bc "$P"/xen /dev/kvm; do [ -e "$f" ] && echo "${f#"$R"}"; done
