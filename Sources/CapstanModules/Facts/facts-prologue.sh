# shellcheck shell=sh
R=${CAPSTAN_FACTS_ROOT:-}
# shellcheck disable=SC2034 # S and FIB are read by the sections that follow
P=$R/proc S=$R/sys FIB=
echo '==root=='
echo "$R"
echo '==uname=='
[ -r "$P"/sys/kernel/arch ] || uname -m
