#!/bin/sh
# No translatable string formats a number with decimals through printf
# (%.1f, %g, %e …): printf follows LC_NUMERIC, which stays C where only
# LANGUAGE=de is set, so German text would read "86.9 %" beside "0,01".
# Such numbers are formatted first (rv_plot_format_number and its kin) and
# go in as %s.  %.0f shows no separator and may stay.  The sources and the
# catalogues are both read: a msgstr could bring one back.
top=$1
cd "$top" || exit 1
float='%[-+ #0]*[0-9]*(\.[0-9]*)?[fFeEgGaA]'
# "%%" is a percent sign, not a conversion, and %.0f may stay: both are
# dropped before the search (so they are missing from the lines it lists)
strip() { sed -E -e 's/%%//g' -e 's/%[-+ #0]*[0-9]*\.0[fF]//g'; }
status=0
found=$(grep -nE '(N_|_|C_|ngettext) ?\("' src/app/*.c src/charts/*.c src/engine/*.c | strip | grep -E "\"[^\"]*$float")
if [ -n "$found" ]; then
  echo "translatable strings that printf a number with decimals (format it, then pass it as %s):"
  echo "$found"
  status=1
fi
for po in po/*.po; do
  found=$(grep -nE '^(msgid|msgstr(\[[0-9]\])?) |^"' "$po" | strip | grep -E "\"[^\"]*$float")
  if [ -n "$found" ]; then
    echo "$po: entries that printf a number with decimals:"
    echo "$found"
    status=1
  fi
done
exit $status
