/* rv-labels.c: display names of activations, initializers, optimizers,
 * surfaces and layers. */
#include "rv-config.h"

#include <glib/gi18n.h>

#include "rv-labels.h"

static const char *const activation_labels[RV_ACT_COUNT] = {
  [RV_ACT_IDENTITY] = N_("Identity"), [RV_ACT_TANH] = N_("Tanh"), [RV_ACT_RELU] = N_("ReLU"),
  [RV_ACT_LEAKY_RELU] = N_("Leaky ReLU"), [RV_ACT_ELU] = N_("ELU"), [RV_ACT_GELU] = N_("GELU"),
  [RV_ACT_SIGMOID] = N_("Sigmoid"), [RV_ACT_SILU] = N_("SiLU"),
};

static const char *const init_labels[RV_INIT_COUNT] = {
  [RV_INIT_CONST] = N_("Constant"),
  [RV_INIT_NORMAL] = N_("Constant variance (normal)"),
  [RV_INIT_EQUAL_VAR] = N_("Equal variance, 1/fan-in"),
  [RV_INIT_XAVIER] = N_("Xavier (uniform)"),
  [RV_INIT_KAIMING] = N_("Kaiming (normal)"),
  [RV_INIT_XAVIER_NORMAL] = N_("Xavier normal, with gain"),
  [RV_INIT_KAIMING_UNIFORM] = N_("Kaiming uniform, with gain"),
  [RV_INIT_ORTHOGONAL] = N_("Orthogonal, with gain"),
  [RV_INIT_LSUV] = N_("LSUV"),
};

static const char *const optimizer_labels[RV_OPTIM_COUNT] = {
  [RV_OPTIM_SGD] = N_("SGD"), [RV_OPTIM_MOMENTUM] = N_("SGD with momentum (tutorial)"),
  [RV_OPTIM_HEAVY_BALL] = N_("Heavy-ball momentum"), [RV_OPTIM_NESTEROV] = N_("Nesterov momentum"),
  [RV_OPTIM_RMSPROP] = N_("RMSProp"), [RV_OPTIM_ADAGRAD] = N_("Adagrad"), [RV_OPTIM_ADAM] = N_("Adam"),
  [RV_OPTIM_ADAMW] = N_("AdamW"),
};

const char *
rv_label_activation (RvActivation act)
{
  g_return_val_if_fail (act < RV_ACT_COUNT, "");
  return _(activation_labels[act]);
}

const char *
rv_label_init (RvInitKind kind)
{
  g_return_val_if_fail (kind < RV_INIT_COUNT, "");
  return _(init_labels[kind]);
}

/* Each initializer's rule for the weights, as the formula card states it
 * (g: the activation's gain, 1 for the first layer). */
static const char *const init_formulas[RV_INIT_COUNT] = {
  N_("every weight and bias set to the value: σ = 0, every unit computes the same"),
  N_("W, b ~ N(0, σ²), σ the value, the same for every layer"),
  N_("W ~ N(0, 1/fan_in): σ = 1/√fan_in"),
  N_("W ~ U(−a, a), a = √6/√(fan_in + fan_out): σ = a/√3"),
  N_("W ~ N(0, 2/fan_in): σ = √2/√fan_in, the first layer 1/√fan_in"),
  N_("W ~ N(0, σ²), σ = g·√2/√(fan_in + fan_out), g the activation's gain (1 for the first layer)"),
  N_("W ~ U(−a, a), a = g·√3/√fan_in: σ = g/√fan_in, g the activation's gain (1 for the first layer)"),
  N_("W = g · a random semi-orthogonal matrix: σ = g/√max(fan_in, fan_out), g the activation's gain (1 for the first layer)"),
  N_("orthogonal, then each layer scaled until its outputs have variance 1 on the probe batch: σ depends on the data"),
};

const char *
rv_label_init_formula (RvInitKind kind)
{
  g_return_val_if_fail (kind < RV_INIT_COUNT, "");
  return _(init_formulas[kind]);
}

const char *
rv_label_optimizer (RvOptimKind kind)
{
  g_return_val_if_fail (kind < RV_OPTIM_COUNT, "");
  return _(optimizer_labels[kind]);
}

/* Surfaces named after people (Rosenbrock, Beale, …) keep their names. */
static const struct { const char *name, *label; } surface_labels[] = {
  { "pathological", N_("Pathological curvature") },
  { "steep", N_("Steep optima") },
  { "saddle", N_("Saddle point") },
  { RV_SURFACE_EXPR_NAME, N_("Custom formula") },
};

const char *
rv_label_surface (const RvSurface *surface)
{
  g_return_val_if_fail (surface != NULL, "");
  for (gsize i = 0; i < G_N_ELEMENTS (surface_labels); i++)
    if (g_str_equal (surface->name, surface_labels[i].name))
      return _(surface_labels[i].label);
  return surface->display_name;
}

/* Linear l is module 2l of the network, as in the tutorial's PyTorch code. */
char *
rv_label_layer (uint32_t l)
{
  /* Translators: a layer of the network, "Layer 4" */
  return g_strdup_printf (_("Layer %u"), 2 * l);
}

char *
rv_label_layer_sizes (uint32_t l, uint32_t fan_in, uint32_t fan_out)
{
  /* Translators: a layer and its input and output widths, "Layer 2 (512 → 256)" */
  return g_strdup_printf (_("Layer %u (%u → %u)"), 2 * l, fan_in, fan_out);
}

static GListModel *
string_list (const char *const *labels, guint n)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, _(labels[i]));
  return G_LIST_MODEL (list);
}

GListModel *
rv_labels_activations (void)
{
  return string_list (activation_labels, RV_ACT_COUNT);
}

GListModel *
rv_labels_inits (void)
{
  return string_list (init_labels, RV_INIT_COUNT);
}

GListModel *
rv_labels_optimizers (void)
{
  return string_list (optimizer_labels, RV_OPTIM_COUNT);
}

char *
rv_label_swatch_markup (const GdkRGBA *color, const char *text)
{
  /* Pango wants #rrggbb, not the rgb() that gdk_rgba_to_string writes */
  return g_markup_printf_escaped ("<span foreground=\"#%02x%02x%02x\">●</span> %s",
                                  (int) (color->red * 255 + 0.5), (int) (color->green * 255 + 0.5),
                                  (int) (color->blue * 255 + 0.5), text);
}
