/* rv-setup.h: a setup, every page's configuration in one file (".ravine").
 *
 * A setup is what a teacher prepares and shares: which page is shown, the
 * Initialization page's network, initializer, view and display options with
 * its labelled pins, the Training page's runs (each with the configuration
 * a run's NAME.config holds) and chart options, and the Loss surfaces page's
 * surface, start point, runs, step count and view range.  The file is JSON:
 *
 *   {"format": "ravine-setup", "version": 1, "page": "surfaces",
 *    "initialization": {...}, "training": {...}, "surfaces": {...}}
 *
 * each page object optional (a page the file leaves out is left as it is).
 * The page objects are also what a lesson step's "setup" holds for its page
 * (rv-lesson.h), so a teacher writes the same thing in both.  Everything is
 * checked when the file is read; the error names the file, the member path
 * ("surfaces.runs[1].lr") and the fault, and nothing of a bad file is used.
 *
 * The text a setup is written as is canonical (members in a fixed order,
 * numbers in their shortest exact form), so open → save gives back the
 * bytes of a file Ravine wrote.  GLib, json-glib and the core only. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "rv-optim.h"
#include "rv-train.h"

G_BEGIN_DECLS

#define RV_SETUP_MAX_BYTES (4 * 1024 * 1024)
#define RV_SETUP_MAX_RUNS 32     /* per page */
#define RV_SETUP_MAX_PINS 8
#define RV_SETUP_MAX_STEPS 100000
#define RV_SETUP_MAX_TEXT 200    /* characters: names, labels and specs */

/* One network and initializer, as the Initialization page configures it. */
typedef struct {
  char *activation;  /* "relu", … (rv-activation.h) */
  char *init;        /* as `ravine-cli init-stats --init` takes it */
  char *hidden;      /* "512,256,256,128" */
} RvSetupNetwork;

/* A comparison pinned on the depth chart. */
typedef struct {
  char *label;
  RvSetupNetwork network;
} RvSetupPin;

typedef struct {
  RvSetupNetwork network;
  char *view;        /* weights, gradients, activations, post-activations or depth */
  gboolean kde, density, log_y, same_x_range;
  GPtrArray *pins;   /* RvSetupPin *, at most RV_SETUP_MAX_PINS */
  int overlay;       /* the pin drawn over the histograms as B (A/B), or -1 */
} RvSetupInitialization;

typedef struct {
  char *name;        /* the run's file name (rv-run-files.h) */
  RvTrainConfig config;
} RvSetupTrainingRun;

typedef struct {
  GPtrArray *runs;   /* RvSetupTrainingRun * */
  char *watched;     /* a run's name, or NULL */
  gboolean loss_log_y;
  gboolean wall_clock;  /* the loss against seconds instead of steps */
} RvSetupTraining;

typedef struct {
  char *surface;       /* a built-in surface's name, or NULL with surface_expr */
  char *surface_expr;  /* a formula (rv-expr.h), or NULL with surface */
  double start[2];     /* w1, w2 */
  guint steps;         /* steps each run takes, 1 … RV_SETUP_MAX_STEPS */
  GArray *runs;        /* RvOptimConfig */
  gboolean has_view;   /* else the view fits the runs */
  double view[4];      /* w1 from, w1 to, w2 from, w2 to */
} RvSetupSurfaces;

typedef struct {
  char *page;          /* "initialization", "training", "surfaces", "landscape" or NULL */
  RvSetupInitialization *initialization;  /* NULL: not in the setup */
  RvSetupTraining *training;
  RvSetupSurfaces *surfaces;
} RvSetup;

/* TRUE for a view of the Initialization page: weights, gradients,
 * activations, post-activations or depth. */
gboolean rv_setup_is_view (const char *name);

RvSetup *rv_setup_new (void);
void rv_setup_free (RvSetup *setup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvSetup, rv_setup_free)

/* Page objects with the defaults a page starts with (the tutorial's network
 * and Kaiming; no runs; the ravine surface's start and 100 steps), for the
 * pages to fill in. */
RvSetupInitialization *rv_setup_initialization_new (void);
RvSetupTraining *rv_setup_training_new (void);
RvSetupSurfaces *rv_setup_surfaces_new (void);
void rv_setup_add_pin (RvSetupInitialization *init, const char *label, const char *activation,
                       const char *init_spec, const char *hidden);
void rv_setup_add_training_run (RvSetupTraining *training, const char *name, const RvTrainConfig *config);

/* Parses and checks a setup held in memory; source names it in messages. */
RvSetup *rv_setup_parse (const char *data, gsize length, const char *source, GError **error);
/* Reads a setup file: a regular file of at most RV_SETUP_MAX_BYTES. */
RvSetup *rv_setup_read_file (const char *path, GError **error);

/* One page object of a setup, from a lesson step's "setup" (where names
 * the step in messages): the same members as in a setup file, and the
 * members listed in extra (NULL-terminated, may be NULL), which the caller
 * reads itself.  What the object leaves out takes the page's default. */
RvSetupInitialization *rv_setup_initialization_from_json (JsonObject *o, const char *const *extra,
                                                          const char *where, GError **error);
RvSetupTraining *rv_setup_training_from_json (JsonObject *o, const char *const *extra, const char *where,
                                              GError **error);
RvSetupSurfaces *rv_setup_surfaces_from_json (JsonObject *o, const char *const *extra, const char *where,
                                              GError **error);
void rv_setup_initialization_free (RvSetupInitialization *init);
void rv_setup_training_free (RvSetupTraining *training);
void rv_setup_surfaces_free (RvSetupSurfaces *surfaces);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvSetupInitialization, rv_setup_initialization_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvSetupTraining, rv_setup_training_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvSetupSurfaces, rv_setup_surfaces_free)

/* The canonical text (pretty-printed, ending in a newline). */
char *rv_setup_to_data (const RvSetup *setup);
/* Writes it to path, whole or not at all (rv-atomic-file.h). */
gboolean rv_setup_write_file (const RvSetup *setup, const char *path, GError **error);

G_END_DECLS
