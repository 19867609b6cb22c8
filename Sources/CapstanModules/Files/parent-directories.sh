# shellcheck shell=sh
# `mkparents DIR OWNER GROUP MODE` creates the directory DIR and its missing parents, as `copy` does
# (`makedirs`): each directory it created gets OWNER, GROUP and MODE (`attrs`, an empty one left
# alone), those that existed keep theirs (`ParentDirectories.create`). Fails with an `E` record.
mkparents() {
    new=''; x=$1
    while [ ! -e "$x" ]; do new="$x
$new"; x=$(dirname -- "$x"); done
    mkdir -p -- "$1" || { echo "E Error while creating directory: $1"; exit 0; }
    old_ifs=$IFS; IFS='
'
    for nd in $new; do IFS=$old_ifs; attrs "$nd" "$2" "$3" "$4"; done
    IFS=$old_ifs
}
