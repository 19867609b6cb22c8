# shellcheck shell=sh
st() { if [ -e "$1" ] || [ -L "$1" ]; then printf 'S '; stat -c '%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h' -- "$1" || echo; fi; }
stv() { sx=; if [ -e "$1" ] || [ -L "$1" ]; then sx=$(stat -c '%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h' -- "$1"); printf 'S %s\n' "$sx"; fi; }
stl() { if [ -e "$1" ]; then printf 'S '; stat -L -c '%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h' -- "$1" || echo; else st "$1"; fi; }
take() { q=$(($1 / 65536)); r=$(($1 % 65536))
  if [ $q -gt 0 ]; then dd bs=65536 count=$q iflag=fullblock status=none || return 1; fi
  if [ $r -gt 0 ]; then dd bs=$r count=1 iflag=fullblock status=none || return 1; fi; return 0; }
cnt() { printf 'C %s\n' "$(wc -c < "$1")"; cat -- "$1"; }
cntlast() { echo 'C -'; cat -- "$1"; }
dn() { dn=$1; while [ "${dn%/}" != "$dn" ] && [ "$dn" != / ]; do dn=${dn%/}; done
  case $dn in */*) dn=${dn%/*}; while [ "${dn%/}" != "$dn" ]; do dn=${dn%/}; done; dn=${dn:-/} ;; *) dn=. ;; esac; }
printf 'U '; umask
