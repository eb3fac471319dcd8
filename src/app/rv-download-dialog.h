/* rv-download-dialog.h: fetching FashionMNIST, with progress and cancel. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RV_TYPE_DOWNLOAD_DIALOG (rv_download_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RvDownloadDialog, rv_download_dialog, RV, DOWNLOAD_DIALOG, AdwWindow)

/* A dialog that downloads the four files into dest_dir (from base_url, or
 * RAVINE_DATA_URL, or the official mirror) as soon as it is shown, and emits
 * "finished" (gboolean success) when done, failed or cancelled. */
RvDownloadDialog *rv_download_dialog_new (GtkWindow *parent, const char *dest_dir, const char *base_url);

/* Cancels a running download (the Cancel button does this). */
void rv_download_dialog_cancel (RvDownloadDialog *self);
/* The error of a failed or cancelled download, or NULL. */
const GError *rv_download_dialog_get_error (RvDownloadDialog *self);

G_END_DECLS
