/* rv-window-setup.c: File → Save Setup… and Open Setup… (rv-setup.h): every
 * page's configuration gathered into one file, and put back from one.
 *
 * Opening checks the whole file before any page changes (rv_setup_read_file
 * refuses a bad one naming the member), then applies the pages in order; a
 * page that still refuses (the Training page before the data set has
 * loaded) does so before any page has changed. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-error-dialog.h"
#include "rv-init-page.h"
#include "rv-setup.h"
#include "rv-surfaces-page.h"
#include "rv-training-page.h"
#include "rv-window.h"

RvSetup *
rv_window_get_setup (RvWindow *self)
{
  RvSetup *setup = rv_setup_new ();
  setup->page = g_strdup (rv_window_get_page (self));
  setup->initialization = rv_setup_initialization_new ();
  rv_init_page_get_setup (RV_INIT_PAGE (rv_window_get_init_page (self)), setup->initialization);
  setup->training = rv_setup_training_new ();
  rv_training_page_get_setup (RV_TRAINING_PAGE (rv_window_get_training_page (self)), setup->training);
  setup->surfaces = rv_setup_surfaces_new ();
  rv_surfaces_page_get_setup (RV_SURFACES_PAGE (rv_window_get_surfaces_page (self)), setup->surfaces);
  return setup;
}

gboolean
rv_window_apply_setup (RvWindow *self, const RvSetup *setup, GError **error)
{
  /* The Training page first: it refuses (before the data set has loaded)
   * before it changes anything, and the others take any checked setup. */
  if (setup->training
      && !rv_training_page_apply_setup (RV_TRAINING_PAGE (rv_window_get_training_page (self)), setup->training,
                                        error))
    return FALSE;
  if (setup->surfaces
      && !rv_surfaces_page_apply_setup (RV_SURFACES_PAGE (rv_window_get_surfaces_page (self)), setup->surfaces,
                                        error))
    return FALSE;
  if (setup->initialization
      && !rv_init_page_apply_setup (RV_INIT_PAGE (rv_window_get_init_page (self)), setup->initialization, error))
    return FALSE;
  if (setup->page)
    rv_window_show_page (self, setup->page);
  return TRUE;
}

gboolean
rv_window_save_setup (RvWindow *self, const char *path, GError **error)
{
  g_autoptr (RvSetup) setup = rv_window_get_setup (self);
  return rv_setup_write_file (setup, path, error);
}

gboolean
rv_window_open_setup (RvWindow *self, const char *path, GError **error)
{
  g_autoptr (RvSetup) setup = rv_setup_read_file (path, error);
  return setup != NULL && rv_window_apply_setup (self, setup, error);
}

static void
add_setup_filter (GtkFileChooser *chooser)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Ravine setups"));
  gtk_file_filter_add_pattern (filter, "*.ravine");
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);
}

static void
setup_chosen (GtkNativeDialog *chooser, int response, RvWindow *self)
{
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autoptr (GFile) file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  g_autofree char *path = file ? g_file_get_path (file) : NULL;
  g_object_unref (chooser);
  if (path == NULL)
    return;
  g_autoptr (GError) error = NULL;
  if (saving)
    {
      /* the chooser does not add the extension; Open Setup… lists *.ravine */
      g_autofree char *named = g_str_has_suffix (path, ".ravine") ? g_strdup (path) : g_strconcat (path, ".ravine", NULL);
      if (!rv_window_save_setup (self, named, &error))
        rv_error_dialog_show (GTK_WIDGET (self), _("The setup could not be saved"), error);
    }
  else if (!rv_window_open_setup (self, path, &error))
    rv_error_dialog_show (GTK_WIDGET (self), _("The setup could not be opened"), error);
}

void
rv_window_choose_setup_file (RvWindow *self, gboolean save)
{
  /* GtkFileDialog needs GTK 4.10; Ravine builds on 4.8. */
  GtkFileChooserNative *chooser
    = gtk_file_chooser_native_new (save ? _("Save Setup") : _("Open Setup"), GTK_WINDOW (self),
                                   save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                   save ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_setup_filter (GTK_FILE_CHOOSER (chooser));
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("lecture.ravine"));
  g_signal_connect (chooser, "response", G_CALLBACK (setup_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
