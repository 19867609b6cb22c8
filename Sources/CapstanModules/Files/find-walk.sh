# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (paths, maxdepth) are assigned before this body (FindModule)
# Lists what Python's os.walk would see under each of `paths` (one a line; `-H`: a symlink given as
# a path is walked, as os.walk walks it), as NUL-separated records: `N now`, then per path `R path
# isdir`, then per entry found `E depth type target-type mode uid gid size inode device links atime
# mtime ctime user group relative-path`. Unreadable folders are reported by find on standard error,
# as Python's os.walk reports them to its caller.
printf 'N\0%s\0' "$(date +%s.%N)"
printf '%s\n' "$paths" | while IFS= read -r root; do
    if [ -d "$root" ]; then
        printf 'R\0%s\0%s\0' "$root" 1
        # shellcheck disable=SC2086 # an empty $maxdepth is no argument at all
        find -H "$root" -mindepth 1 $maxdepth -printf \
            'E\0%d\0%y\0%Y\0%m\0%U\0%G\0%s\0%i\0%D\0%n\0%A@\0%T@\0%C@\0%u\0%g\0%P\0'
    else
        printf 'R\0%s\0%s\0' "$root" 0
    fi
done
