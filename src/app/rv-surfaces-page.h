/* rv-surfaces-page.h: the Loss surfaces page: optimizers racing over a
 * two-parameter surface, in a heat map and in 3-D at once. */
#pragma once

#include <adwaita.h>

#include "rv-curve-view.h"
#include "rv-stability.h"
#include "rv-stability-view.h"
#include "rv-surface-3d.h"
#include "rv-surface-map.h"
#include "rv-surface-model.h"
#include "rv-setup.h"

G_BEGIN_DECLS

#define RV_TYPE_SURFACES_PAGE (rv_surfaces_page_get_type ())
G_DECLARE_FINAL_TYPE (RvSurfacesPage, rv_surfaces_page, RV, SURFACES_PAGE, AdwBin)

typedef enum { RV_SURFACES_PRESET_RAVINE, RV_SURFACES_PRESET_STEEP } RvSurfacesPreset;

/* Sets up one of the tutorial's two experiments (surface, start, runs). */
void rv_surfaces_page_load_preset (RvSurfacesPage *self, RvSurfacesPreset preset);
/* Shows a surface from its default start, keeping the runs. */
void rv_surfaces_page_set_surface (RvSurfacesPage *self, const char *name);
/* Shows a surface typed as a formula (rv-expr.h), from its default start,
 * keeping the runs, and puts the formula in the chooser's "Custom formula…"
 * entry.  One that does not parse leaves the surface shown as it is, marks
 * the entry and says why beside it ("Not a formula: column 7: expected
 * ')'"), and returns FALSE with the parser's error. */
gboolean rv_surfaces_page_set_formula (RvSurfacesPage *self, const char *formula, GError **error);
/* The formula entry (Enter applies it) and its error label. */
GtkEntry *rv_surfaces_page_get_formula_entry (RvSurfacesPage *self);
GtkLabel *rv_surfaces_page_get_formula_error (RvSurfacesPage *self);
guint rv_surfaces_page_add_run (RvSurfacesPage *self, const RvOptimConfig *config);
void rv_surfaces_page_set_run_lr (RvSurfacesPage *self, guint run, double lr);
/* Sets a run's "momentum", "beta1" or "beta2"; FALSE (nothing changed)
 * when its kind has no such parameter or the value is outside [0, 1). */
gboolean rv_surfaces_page_set_run_beta (RvSurfacesPage *self, guint run, const char *param, double value);
/* The run's live sliders: lr on a log10 scale (a value x sets lr = 10^x to
 * three significant digits), and "momentum", "beta1", "beta2" (NULL when
 * the kind has none; a value sets β to three decimals). */
GtkRange *rv_surfaces_page_get_run_lr_slider (RvSurfacesPage *self, guint run);
GtkRange *rv_surfaces_page_get_run_beta_slider (RvSurfacesPage *self, guint run, const char *param);
/* The step inspector: the run it spells out (its arrows labelled on the
 * map), and the label with its numbers at the step shown. */
void rv_surfaces_page_set_inspector_run (RvSurfacesPage *self, guint run);
GtkLabel *rv_surfaces_page_get_inspector_numbers (RvSurfacesPage *self);
/* The stability map (in the controls' "Stability map" expander): the New
 * run optimizer over log lr x β on the surface shown, from the start, for
 * the page's steps, computed while it is shown; a click on a cell adds
 * that run.  The grid and base config of the map shown. */
RvStabilityView *rv_surfaces_page_get_stability (RvSurfacesPage *self);
void rv_surfaces_page_show_stability (RvSurfacesPage *self, gboolean shown);
const RvStabilityGrid *rv_surfaces_page_get_stability_grid (RvSurfacesPage *self, RvOptimConfig *base);
/* The step scrubber, from 0 to the number of steps: the step shown. */
GtkRange *rv_surfaces_page_get_step_slider (RvSurfacesPage *self);
void rv_surfaces_page_set_start (RvSurfacesPage *self, double w1, double w2);

/* Playback: the number of steps shown, and the animation. */
void rv_surfaces_page_set_playing (RvSurfacesPage *self, gboolean playing);
gboolean rv_surfaces_page_get_playing (RvSurfacesPage *self);
void rv_surfaces_page_step (RvSurfacesPage *self);
void rv_surfaces_page_reset (RvSurfacesPage *self);
void rv_surfaces_page_show_steps (RvSurfacesPage *self, guint n);

/* The status of a run: empty, or why it diverged. */
const char *rv_surfaces_page_get_run_status (RvSurfacesPage *self, guint run);
const RvOptimConfig *rv_surfaces_page_get_run_config (RvSurfacesPage *self, guint run);

RvSurfaceModel *rv_surfaces_page_get_model (RvSurfacesPage *self);
RvSurfaceMap *rv_surfaces_page_get_map (RvSurfacesPage *self);
RvSurface3d *rv_surfaces_page_get_3d (RvSurfacesPage *self);
/* The loss-per-step chart, and its "Log scale" check button. */
RvCurveView    *rv_surfaces_page_get_loss_view (RvSurfacesPage *self);
GtkCheckButton *rv_surfaces_page_get_loss_log  (RvSurfacesPage *self);

/* The flap holding the controls beside the views (folded over them when
 * the page is narrow); the window shows a toggle for it while folded. */
AdwFlap *rv_surfaces_page_get_flap (RvSurfacesPage *self);
/* How the map and the 3-D view are laid out now: side by side
 * (horizontal) or one above the other. */
GtkOrientation rv_surfaces_page_get_views_orientation (RvSurfacesPage *self);
/* The loss chart's "Press Play" note, shown while no step is revealed. */
GtkWidget *rv_surfaces_page_get_loss_placeholder (RvSurfacesPage *self);

/* Exports: "map", "3d" or "loss" as PNG, SVG or PDF by extension; the
 * trajectories as JSON (each run as `ravine-cli surface --json` prints it) or CSV. */
gboolean rv_surfaces_page_export_view (RvSurfacesPage *self, const char *which, const char *path, GError **error);
gboolean rv_surfaces_page_export_trajectories (RvSurfacesPage *self, const char *path, GError **error);

/* Setups (rv-setup.h): the page's surface, start, steps, runs and, when
 * zoomed or panned, its view; apply replaces them all (FALSE, nothing
 * changed, for a formula that does not parse or an unknown surface). */
void rv_surfaces_page_get_setup (RvSurfacesPage *self, RvSetupSurfaces *out);
gboolean rv_surfaces_page_apply_setup (RvSurfacesPage *self, const RvSetupSurfaces *setup, GError **error);

G_END_DECLS
