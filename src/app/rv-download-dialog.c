/* rv-download-dialog.c: the download's progress window.  The download runs
 * in the core (rv-download.c), which never leaves a half-written file. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-download.h"
#include "rv-download-dialog.h"

struct _RvDownloadDialog
{
  AdwWindow parent_instance;

  GtkLabel *status;
  GtkProgressBar *progress;
  GtkButton *button;
  GCancellable *cancellable;
  char *dest_dir, *base_url;
  GError *error;
  gboolean running;
};

G_DEFINE_FINAL_TYPE (RvDownloadDialog, rv_download_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_progress (const RvDownloadStatus *st, gpointer user_data)
{
  RvDownloadDialog *self = user_data;
  g_autofree char *done = g_format_size (st->done);
  g_autofree char *total = g_format_size (st->total);
  g_autofree char *text = st->stage == RV_DOWNLOAD_STAGE_RETRYING
    /* TRANSLATORS: the file's name, then what went wrong (from the download, in English) */
    ? g_strdup_printf (_("%s: %s; trying again…"), st->file, st->retry_reason)
    : g_strdup_printf (_("%s (file %u of %u) · %s of %s"), st->file, st->file_index + 1, st->n_files, done, total);
  gtk_label_set_label (self->status, text);
  if (st->total > 0)
    gtk_progress_bar_set_fraction (self->progress, (double) st->done / st->total);
  else
    gtk_progress_bar_pulse (self->progress);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RvDownloadDialog *self = user_data;
  gboolean ok = rv_download_fashion_mnist_finish (result, &self->error);
  self->running = FALSE;
  gtk_progress_bar_set_fraction (self->progress, ok ? 1.0 : gtk_progress_bar_get_fraction (self->progress));
  gtk_label_set_label (self->status, ok ? _("FashionMNIST is downloaded and checked.") : self->error->message);
  if (!ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  gtk_button_set_label (self->button, _("_Close"));
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, ok);
  g_object_unref (self);
}

static void
button_clicked (RvDownloadDialog *self)
{
  if (self->running)
    rv_download_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

void
rv_download_dialog_cancel (RvDownloadDialog *self)
{
  g_cancellable_cancel (self->cancellable);
}

const GError *
rv_download_dialog_get_error (RvDownloadDialog *self)
{
  return self->error;
}

static void
rv_download_dialog_map (GtkWidget *widget)
{
  RvDownloadDialog *self = RV_DOWNLOAD_DIALOG (widget);
  GTK_WIDGET_CLASS (rv_download_dialog_parent_class)->map (widget);
  if (!self->running && self->error == NULL)
    {
      self->running = TRUE;
      rv_download_fashion_mnist_async (self->base_url, self->dest_dir, self->cancellable, on_progress, self,
                                       on_done, g_object_ref (self));
    }
}

static gboolean
rv_download_dialog_close_request (GtkWindow *window)
{
  RvDownloadDialog *self = RV_DOWNLOAD_DIALOG (window);
  /* closing the window cancels; the core keeps the .part to resume later */
  if (self->running)
    rv_download_dialog_cancel (self);
  return GTK_WINDOW_CLASS (rv_download_dialog_parent_class)->close_request (window);
}

static void
rv_download_dialog_finalize (GObject *object)
{
  RvDownloadDialog *self = RV_DOWNLOAD_DIALOG (object);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self->dest_dir);
  g_free (self->base_url);
  G_OBJECT_CLASS (rv_download_dialog_parent_class)->finalize (object);
}

static void
rv_download_dialog_class_init (RvDownloadDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rv_download_dialog_finalize;
  GTK_WIDGET_CLASS (klass)->map = rv_download_dialog_map;
  GTK_WINDOW_CLASS (klass)->close_request = rv_download_dialog_close_request;
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
rv_download_dialog_init (RvDownloadDialog *self)
{
  self->cancellable = g_cancellable_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  GtkWidget *title = gtk_label_new (_("Downloading FashionMNIST"));
  gtk_widget_add_css_class (title, "title-3");
  gtk_box_append (GTK_BOX (box), title);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));
  self->status = GTK_LABEL (gtk_label_new (_("Connecting…")));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_max_width_chars (self->status, 50);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));
  self->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_widget_set_halign (GTK_WIDGET (self->button), GTK_ALIGN_END);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (button_clicked), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_title (GTK_WINDOW (self), _("Download FashionMNIST"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 460, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Download progress"), -1);
}

RvDownloadDialog *
rv_download_dialog_new (GtkWindow *parent, const char *dest_dir, const char *base_url)
{
  RvDownloadDialog *self = g_object_new (RV_TYPE_DOWNLOAD_DIALOG, "transient-for", parent, NULL);
  self->dest_dir = g_strdup (dest_dir);
  self->base_url = g_strdup (base_url);
  return self;
}
