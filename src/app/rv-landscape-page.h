/* rv-landscape-page.h: the Landscape page: a saved run's real loss
 * landscape (rv-landscape-job.h) in the heat map and the 3-D view the toy
 * surfaces use, its training path projected onto the pca plane with the
 * loss along it, and the sharpness the run recorded while it trained with
 * the optimizer's stability threshold (2/η for plain SGD). */
#pragma once

#include <adwaita.h>

#include "rv-curve-view.h"
#include "rv-dataset.h"
#include "rv-landscape-job.h"
#include "rv-surface-3d.h"
#include "rv-surface-map.h"
#include "rv-surface-model.h"

G_BEGIN_DECLS

#define RV_TYPE_LANDSCAPE_PAGE (rv_landscape_page_get_type ())
G_DECLARE_FINAL_TYPE (RvLandscapePage, rv_landscape_page, RV, LANDSCAPE_PAGE, AdwBin)

/* The images the landscape is measured on (the first K of data's training
 * file; data must outlive the page's work, see _shutdown) and the folder
 * whose runs the chooser lists. */
void rv_landscape_page_set_data (RvLandscapePage *self, const RvDataset *data, const char *runs_dir);
/* The Preferences' device ("auto", "cpu" or "cuda") the next computation runs on. */
void rv_landscape_page_set_device (RvLandscapePage *self, const char *device);
/* Lists the runs folder's runs anew, keeping the chosen one when it is still there. */
void rv_landscape_page_rescan (RvLandscapePage *self);
/* Chooses run NAME of dir (adding it to the chooser); FALSE when there is no such run. */
gboolean rv_landscape_page_select_run (RvLandscapePage *self, const char *dir, const char *name);

/* Starts computing with the controls' settings (what Compute does); FALSE
 * when there is nothing to compute (no run or no data yet). */
gboolean rv_landscape_page_compute (RvLandscapePage *self);
void rv_landscape_page_cancel (RvLandscapePage *self);
/* The computation's state; RV_LANDSCAPE_JOB_DONE before the first one. */
RvLandscapeJobState rv_landscape_page_get_state (RvLandscapePage *self);
/* Stops the computation and waits for its thread (before the data goes). */
void rv_landscape_page_shutdown (RvLandscapePage *self);

AdwFlap *rv_landscape_page_get_flap (RvLandscapePage *self);
RvSurfaceModel *rv_landscape_page_get_model (RvLandscapePage *self);
RvSurfaceMap *rv_landscape_page_get_map (RvLandscapePage *self);
RvSurface3d *rv_landscape_page_get_3d (RvLandscapePage *self);
RvCurveView *rv_landscape_page_get_path_view (RvLandscapePage *self);
RvCurveView *rv_landscape_page_get_sharpness_view (RvLandscapePage *self);
/* The directions chooser (0 random, 1 pca) and the note beside it. */
GtkDropDown *rv_landscape_page_get_directions (RvLandscapePage *self);
GtkWidget *rv_landscape_page_get_pca_note (RvLandscapePage *self);
GtkLabel *rv_landscape_page_get_status (RvLandscapePage *self);
GtkWidget *rv_landscape_page_get_sharpness_placeholder (RvLandscapePage *self);

/* The stability threshold of plain gradient descent with kind at lr and
 * momentum μ, where the sharpness settles (Cohen et al., 2021): 2/η for
 * sgd, (2 + 2μ)/η for heavy-ball, (2 + 2μ)/((1 + 2μ) η) for nesterov,
 * (2 + 2μ)/((1 − μ) η) for the tutorial's momentum (an average of the
 * gradients, heavy-ball at (1 − μ) η); NaN for the adaptive kinds: the
 * core's rv_optim_stability_threshold. */
double rv_landscape_stability_threshold (RvOptimKind kind, double lr, double momentum);

G_END_DECLS
