/* rv-labels.h: the names people read for the core's choices, shared by the
 * pages so that a drop-down says the same thing everywhere. */
#pragma once

#include <gtk/gtk.h>

#include "rv-activation.h"
#include "rv-init.h"
#include "rv-optim.h"
#include "rv-surface.h"

G_BEGIN_DECLS

/* Translated display names ("ReLU", "Kaiming (normal)", "SGD with momentum (tutorial)"). */
const char *rv_label_activation (RvActivation act);
const char *rv_label_init (RvInitKind kind);
/* The initializer's rule for the weights and their σ, for the formula card. */
const char *rv_label_init_formula (RvInitKind kind);
const char *rv_label_optimizer (RvOptimKind kind);
/* A surface's translated name ("Pathological curvature"); the core's
 * display_name stays English for the CLI. */
const char *rv_label_surface (const RvSurface *surface);

/* Linear l's output as a chart names it: "Layer 4", and with its sizes
 * "Layer 4 (256 → 256)", translated (exports keep rv_probe_activation_name). */
char *rv_label_layer (uint32_t l);
char *rv_label_layer_sizes (uint32_t l, uint32_t fan_in, uint32_t fan_out);

/* Every name of a kind, in the core's enum order: a drop-down's model. */
GListModel *rv_labels_activations (void);
GListModel *rv_labels_inits (void);
GListModel *rv_labels_optimizers (void);

/* Pango markup: a dot in colour, then text (escaped), for run names. */
char *rv_label_swatch_markup (const GdkRGBA *color, const char *text);

G_END_DECLS
