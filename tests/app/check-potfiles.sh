#!/bin/sh
# Every source file with translatable strings is listed in po/POTFILES.in,
# so xgettext (and the translators) see every user-visible string.
top=$1
cd "$top" || exit 1
missing=0
for f in $(grep -lE '(^|[^a-zA-Z0-9_])(N_|_|C_) ?\("' src/app/*.c src/charts/*.c src/engine/*.c) $(grep -l 'translatable="yes"' ui/*.ui); do
  if ! grep -qx "$f" po/POTFILES.in; then
    echo "$f has translatable strings but is not in po/POTFILES.in"
    missing=1
  fi
done
exit $missing
