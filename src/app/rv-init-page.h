/* rv-init-page.h: the Initialization page, the tutorial's first half:
 * choose an activation and an initializer, and see every layer's weights,
 * gradients and activations, and their variances across depth. */
#pragma once

#include <adwaita.h>

#include "rv-curve-view.h"
#include "rv-histogram-grid.h"
#include "rv-probe.h"
#include "rv-setup.h"

G_BEGIN_DECLS

#define RV_TYPE_INIT_PAGE (rv_init_page_get_type ())
G_DECLARE_FINAL_TYPE (RvInitPage, rv_init_page, RV, INIT_PAGE, AdwBin)

/* Starts the page's worker (which loads the data from data_dir, or the usual
 * places) and restores the controls from settings. */
void rv_init_page_start (RvInitPage *self, GSettings *settings, const char *data_dir);

/* Loads the data again (after a download), with a new worker; the old data
 * stays alive until the page is disposed, for runs still training on it. */
void rv_init_page_reload_data (RvInitPage *self, const char *data_dir);

/* One line on the data in use and how to get the real set; NULL until the
 * worker has loaded it.  "data-changed" is emitted when it changes. */
/* The folder the real data was read from; NULL while unknown or synthetic. */
const char *rv_init_page_get_data_source (RvInitPage *self);
char *rv_init_page_describe_data (RvInitPage *self);
gboolean rv_init_page_is_synthetic (RvInitPage *self);
/* The data set the page's worker loaded; NULL until "data-changed". */
const RvDataset *rv_init_page_get_dataset (RvInitPage *self);

/* Sets the controls, as a lesson step does: activation and initializer by
 * the CLI's names ("relu", "const:0.005"), hidden sizes ("512,256"), and the
 * view ("weights", "gradients", "activations", "post-activations" or
 * "depth"); NULL leaves one as it is.  An initializer or hidden sizes replace a loaded model.  FALSE with an error for a name the page does not know. */
gboolean rv_init_page_configure (RvInitPage *self, const char *activation, const char *init, const char *hidden,
                                 const char *view, GError **error);

/* Sets the histograms' display options, as the Display menu does. */
void rv_init_page_set_display (RvInitPage *self, gboolean kde, gboolean density, gboolean log_y,
                               gboolean same_x_range);

void rv_init_page_reroll_seed (RvInitPage *self);
/* Pins: configurations kept on the depth chart, dashed, each in its own
 * colour and labelled in the legend, to compare with what is shown.  pin
 * adds the shown one (the oldest goes when RV_SETUP_MAX_PINS are there);
 * clear_pin removes all, remove_pin one (index oldest first).  The label
 * is the last pin's ("Identity, xavier"), or NULL when there is none. */
void rv_init_page_pin (RvInitPage *self);
void rv_init_page_clear_pin (RvInitPage *self);
void rv_init_page_remove_pin (RvInitPage *self, guint index);
guint rv_init_page_get_n_pins (RvInitPage *self);
const char *rv_init_page_get_pin_label (RvInitPage *self);
/* A/B: pin index (oldest first) drawn over every histogram panel as B, an
 * outline on the bars of what the controls show (A), with a legend naming
 * both; -1 or an index past the pins: none.  The Pins menu's radio items
 * (action init.overlay) set the page's "overlay" property, this.  Removing
 * the pin ends the overlay. */
void rv_init_page_set_overlay (RvInitPage *self, int index);
int  rv_init_page_get_overlay (RvInitPage *self);

/* The page's configuration as a setup holds it (rv-setup.h): the controls'
 * network, the view, the display options and the pins (a loaded model's
 * pins left out: a setup names no files).  out is filled in, replacing
 * what it held. */
void rv_init_page_get_setup (RvInitPage *self, RvSetupInitialization *out);
/* Configures the page from a setup: its network, view and display options,
 * and its pins, each re-created by probing its network with the page's
 * batch and seed on the worker (one after another, then the network
 * shown).  FALSE with an error, and nothing changed, for a setup the page
 * cannot show. */
gboolean rv_init_page_apply_setup (RvInitPage *self, const RvSetupInitialization *setup, GError **error);

/* Shows the model in a weights file (rv-mlp-weights.h: a PyTorch MLP's
 * state_dict) in place of an initialized network: its histograms and depth
 * chart, probed on the worker with the page's batch and seed, and the
 * activation control when no config is beside the file.  A file that does
 * not load is reported in an error dialog and the page goes back to the
 * initializers.  close goes back to them; get is the file shown, or NULL. */
void rv_init_page_open_weights (RvInitPage *self, const char *path);
void rv_init_page_close_weights (RvInitPage *self);
const char *rv_init_page_get_weights (RvInitPage *self);
/* The same through a file chooser (*.safetensors). */
void rv_init_page_choose_weights_file (RvInitPage *self);

/* Writes the visible plot (PNG, SVG or PDF by extension): a layer's
 * histogram, or with layer -1 the whole grid or the depth chart. */
gboolean rv_init_page_export_plot (RvInitPage *self, const char *path, int layer, GError **error);
/* Writes the numbers as JSON (as `ravine-cli init-stats --json`) or CSV. */
gboolean rv_init_page_export_numbers (RvInitPage *self, const char *path, GError **error);
/* The same, through a file chooser. */
void rv_init_page_choose_plot_file (RvInitPage *self);
void rv_init_page_choose_numbers_file (RvInitPage *self);

/* What is shown: the configuration and result of the latest probe (NULL
 * before the first), and the serial of the latest request and of the shown
 * result ("result-shown" is emitted when it changes). */
const RvProbeConfig *rv_init_page_get_config (RvInitPage *self);
const RvProbeResult *rv_init_page_get_result (RvInitPage *self);
guint64 rv_init_page_get_requested_serial (RvInitPage *self);
guint64 rv_init_page_get_shown_serial (RvInitPage *self);
RvHistogramGrid *rv_init_page_get_grid (RvInitPage *self, RvProbeKind kind);
RvCurveView *rv_init_page_get_depth_view (RvInitPage *self);
/* The flap holding the controls beside the content (folded over it when
 * the page is narrow); the window shows a toggle for it while folded. */
AdwFlap *rv_init_page_get_flap (RvInitPage *self);

/* The formula card: the chosen initializer's rule and each layer's σ (for
 * tests, σ of Linear l as the card computes it; NaN when it depends on the data). */
GtkLabel *rv_init_page_get_formula_card (RvInitPage *self);
double rv_init_page_get_formula_sigma (RvInitPage *self, uint32_t l);

G_END_DECLS
