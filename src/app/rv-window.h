/* rv-window.h: the main window. */
#pragma once

#include <adwaita.h>

#include "rv-application.h"
#include "rv-download-dialog.h"
#include "rv-setup.h"

G_BEGIN_DECLS

#define RV_TYPE_WINDOW (rv_window_get_type ())
G_DECLARE_FINAL_TYPE (RvWindow, rv_window, RV, WINDOW, AdwApplicationWindow)

RvWindow *rv_window_new (RvApplication *app);

/* Shows "initialization", "training" or "surfaces". */
void rv_window_show_page (RvWindow *self, const char *name);
const char *rv_window_get_page (RvWindow *self);

/* The Initialization page, for tests. */
GtkWidget *rv_window_get_init_page (RvWindow *self);
GtkWidget *rv_window_get_training_page (RvWindow *self);
GtkWidget *rv_window_get_surfaces_page (RvWindow *self);
GtkWidget *rv_window_get_landscape_page (RvWindow *self);
GtkWidget *rv_window_get_lesson_panel (RvWindow *self);

/* The header's toggle for the visible page's controls (its AdwFlap): shown
 * while that flap is folded over the content. */
GtkWidget *rv_window_get_controls_button (RvWindow *self);

/* The focus view (win.focus-chart; double click or Enter on a chart, Esc
 * back): chart, an RvChart on a page, alone filling the window.  FALSE
 * where its place on the page could not be kept to put it back. */
gboolean rv_window_focus_chart (RvWindow *self, GtkWidget *chart);
/* Puts the chart shown alone back where it was; nothing without one. */
void rv_window_unfocus_chart (RvWindow *self);
GtkWidget *rv_window_get_focused_chart (RvWindow *self);

/* Starts the download of FashionMNIST into the data folder, in a progress
 * dialog (the banner's button asks first); when it succeeds the pages reload. */
RvDownloadDialog *rv_window_download_data (RvWindow *self);

/* Setups (rv-window-setup.c): what every page shows now, and putting a
 * setup back (the whole file checked first; FALSE with an error, nothing
 * changed, where a page cannot take it).  choose asks for a file to save
 * to (save) or open, and reports a failure in a dialog. */
RvSetup *rv_window_get_setup (RvWindow *self);
gboolean rv_window_apply_setup (RvWindow *self, const RvSetup *setup, GError **error);
gboolean rv_window_save_setup (RvWindow *self, const char *path, GError **error);
gboolean rv_window_open_setup (RvWindow *self, const char *path, GError **error);
void rv_window_choose_setup_file (RvWindow *self, gboolean save);

G_END_DECLS
