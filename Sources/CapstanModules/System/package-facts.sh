# shellcheck shell=sh
# package_facts' one round trip for apt: every installed package as dpkg knows it, and the origin apt
# would give its installed version (the `Origin:` of the Release file of the first list holding that
# name, version and architecture; none is an empty origin, as for a package only dpkg knows) and
# its section there (an archive's override can differ from the section dpkg recorded).
# Output: `N ARCH` (the native architecture), `P STATUS<TAB>NAME<TAB>VERSION<TAB>ARCH<TAB>SECTION`
# per package, `O ORIGIN<TAB>NAME<TAB>VERSION<TAB>ARCH<TAB>SECTION` per list entry of an installed version.
command -v dpkg-query >/dev/null 2>&1 || { echo "M dpkg-query"; exit 0; }
command -v apt-get >/dev/null 2>&1 || command -v apt >/dev/null 2>&1 || { echo "M apt"; exit 0; }
echo "N $(dpkg --print-architecture)"
installed=$(dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${Section}\n') ||
    die "dpkg-query failed"
printf '%s\n' "$installed" | awk '{ print "P " $0 }'
lists=/var/lib/apt/lists
helper=/usr/lib/apt/apt-helper
[ -x "$helper" ] || exit 0
for f in "$lists"/*_Packages "$lists"/*_Packages.*; do
    [ -f "$f" ] || continue
    base=${f##*/}; base=${base%%_Packages*}
    # The Release file: the list's name up to its component (`..._dists_SUITE_`), or the flat repo's own.
    case $base in
        *_dists_*) rel=${base%_dists_*}_dists_; rest=${base#*_dists_}; rel=$rel${rest%%_*}_ ;;
        *) rel=${base}_ ;;
    esac
    origin=
    for r in "$lists/${rel}InRelease" "$lists/${rel}Release"; do
        [ -f "$r" ] || continue
        origin=$(awk '/^Origin: / { sub(/^Origin: /, ""); print; exit }' "$r")
        break
    done
    "$helper" cat-file "$f" 2>/dev/null | grep -E '^(Package|Version|Architecture|Section):|^$' |
        awk -v origin="$origin" -v installed="$installed" '
            BEGIN { n = split(installed, l, "\n"); for (i = 1; i <= n; i++) { split(l[i], f, "\t"); want[f[2] "\t" f[3] "\t" f[4]] = 1 } }
            /^Package: / { p = substr($0, 10) } /^Version: / { v = substr($0, 10) } /^Architecture: / { a = substr($0, 15) }
            /^Section: / { s = substr($0, 10) }
            function found() { if ((p "\t" v "\t" a) in want) print "O " origin "\t" p "\t" v "\t" a "\t" s }
            /^$/ { found(); p = v = a = s = "" }
            END { found() }'
done
