/* rv-error-dialog.h: telling the user that something they asked for failed. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A message dialog over widget's window: heading, then the error's message. */
void rv_error_dialog_show (GtkWidget *widget, const char *heading, const GError *error);

G_END_DECLS
