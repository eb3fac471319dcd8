#!/bin/sh
# data/ravine-cli.1 names every subcommand and every option that
# `ravine-cli ... --help` prints, and groff (where present) renders it
# without a warning.
#
# usage: check-man-page.sh RAVINE_CLI PAGE
set -eu
cli=$1 page=$2
status=0

# "  NAME   summary" lines of a usage text.
commands() { sed -n 's/^  \([a-z][a-z0-9-]*\)  .*/\1/p'; }

check() { # words of a command line, e.g. "dataset download"
  if ! grep -qF "ravine-cli $*" "$page"; then
    echo "$page: \"ravine-cli $*\" is not described"
    status=1
  fi
  help=$("$cli" "$@" --help)
  for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    [ "$opt" = --help ] && continue
    # In roff source, --lr is written \-\-lr.
    escaped=$(printf '%s' "$opt" | sed 's/-/\\-/g')
    if ! grep -qF -- "$escaped" "$page"; then
      echo "$page: ravine-cli $*: $opt is not documented"
      status=1
    fi
  done
}

for sub in $("$cli" --help | commands); do
  if [ "$sub" = dataset ]; then
    for action in $("$cli" dataset --help | commands); do
      check dataset "$action"
    done
  else
    check "$sub"
  fi
done

if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  if [ -n "$warnings" ]; then
    echo "$warnings"
    status=1
  fi
fi
exit $status
