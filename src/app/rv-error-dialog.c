/* rv-error-dialog.c: one way to report a failed export, open or save. */
#include "rv-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rv-error-dialog.h"

void
rv_error_dialog_show (GtkWidget *widget, const char *heading, const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
