#!/bin/sh
# `meson install --destdir` of the whole project puts every part where the
# desktop looks for it, all under the prefix: the programs, the desktop
# entry, the AppStream metadata, the icons, the settings schema, the manual
# page and a message catalogue for each language in po/LINGUAS.
#
# usage: check-install.sh BUILD SOURCE PREFIX BINDIR DATADIR MANDIR LOCALEDIR MESON
set -eu
build=$1 source=$2 prefix=$3 meson=$8

dest=$(mktemp -d "${TMPDIR:-/tmp}/ravine-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT
"$meson" install -C "$build" --no-rebuild --destdir "$dest" >"$dest.log" 2>&1 || {
  cat "$dest.log"; rm -f "$dest.log"; exit 1; }
rm -f "$dest.log"

# Meson's directory options are relative to the prefix unless absolute.
under() { case $1 in /*) echo "$dest$1" ;; *) echo "$dest$prefix/$1" ;; esac; }
bin=$(under "$4") data=$(under "$5") man=$(under "$6") locale=$(under "$7")

status=0
want() {
  if [ ! -s "$1" ]; then
    echo "not installed: ${1#"$dest"}"
    status=1
  fi
}
want "$bin/ravine"
want "$bin/ravine-cli"
want "$data/applications/io.github.ravine.Ravine.desktop"
want "$data/metainfo/io.github.ravine.Ravine.metainfo.xml"
want "$data/icons/hicolor/scalable/apps/io.github.ravine.Ravine.svg"
want "$data/icons/hicolor/symbolic/apps/io.github.ravine.Ravine-symbolic.svg"
want "$data/glib-2.0/schemas/io.github.ravine.Ravine.gschema.xml"
want "$man/man1/ravine-cli.1"
for lang in $(sed 's/#.*//' "$source/po/LINGUAS"); do
  want "$locale/$lang/LC_MESSAGES/ravine.mo"
done

outside=$(cd "$dest" && find . ! -type d | grep -v "^\.$prefix/" || true)
if [ -n "$outside" ]; then
  echo "installed outside $prefix:"
  echo "$outside"
  status=1
fi
exit $status
