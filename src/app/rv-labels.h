/* rv-labels.h: the names people read for the core's choices, shared by the
 * pages so that a drop-down says the same thing everywhere. */
#pragma once

#include <gtk/gtk.h>

#include "rv-activation.h"
#include "rv-init.h"
#include "rv-optim.h"

G_BEGIN_DECLS

/* Translated display names ("ReLU", "Kaiming (normal)", "SGD with momentum (tutorial)"). */
const char *rv_label_activation (RvActivation act);
const char *rv_label_init (RvInitKind kind);
const char *rv_label_optimizer (RvOptimKind kind);

/* Every name of a kind, in the core's enum order: a drop-down's model. */
GListModel *rv_labels_activations (void);
GListModel *rv_labels_inits (void);
GListModel *rv_labels_optimizers (void);

/* Pango markup: a dot in colour, then text (escaped), for run names. */
char *rv_label_swatch_markup (const GdkRGBA *color, const char *text);

G_END_DECLS
