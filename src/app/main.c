/* main.c: start Ravine. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "rv-application.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* RAVINE_LOCALEDIR points at catalogues that are not installed: the build
   * tree's po/ folder, for uninstalled runs (meson devenv) and the tests. */
  const char *localedir = g_getenv ("RAVINE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Without its schema GSettings would abort; say what is wrong instead. */
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  if (schema == NULL)
    {
      fprintf (stderr, _("ravine: the settings schema %s is not installed; run “meson install”, "
                         "or start Ravine from its build folder with “meson devenv -C build ./src/app/ravine”\n"),
               APP_ID);
      return 1;
    }

  g_autoptr (RvApplication) app = rv_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
