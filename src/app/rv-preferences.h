/* rv-preferences.h: the Preferences window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A new Preferences window bound to settings. */
GtkWindow *rv_preferences_new (GSettings *settings);

G_END_DECLS
