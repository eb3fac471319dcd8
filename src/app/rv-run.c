/* rv-run.c: a run's view-facing state, with a notify per real change. */
#include "rv-config.h"

#include "rv-run.h"

#include <glib/gi18n.h>
#include <math.h>

#include "rv-plot.h"

struct _RvRun
{
  GObject parent_instance;

  char *name, *optimizer, *status;
  GdkRGBA color;
  RvRunState state;
  double progress, best_validation, test_accuracy;
  gboolean hidden, weights_only;
  guint session_index;
};

G_DEFINE_FINAL_TYPE (RvRun, rv_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_OPTIMIZER,
  PROP_COLOR,
  PROP_STATE,
  PROP_STATUS,
  PROP_PROGRESS,
  PROP_BEST_VALIDATION,
  PROP_TEST_ACCURACY,
  PROP_HIDDEN,
  PROP_WEIGHTS_ONLY,
  PROP_SESSION_INDEX,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
rv_run_finalize (GObject *object)
{
  RvRun *self = RV_RUN (object);

  g_free (self->name);
  g_free (self->optimizer);
  g_free (self->status);
  G_OBJECT_CLASS (rv_run_parent_class)->finalize (object);
}

static void
rv_run_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  RvRun *self = RV_RUN (object);

  switch (id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_OPTIMIZER:
      g_value_set_string (value, self->optimizer);
      break;
    case PROP_COLOR:
      g_value_set_boxed (value, &self->color);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_BEST_VALIDATION:
      g_value_set_double (value, self->best_validation);
      break;
    case PROP_TEST_ACCURACY:
      g_value_set_double (value, self->test_accuracy);
      break;
    case PROP_HIDDEN:
      g_value_set_boolean (value, self->hidden);
      break;
    case PROP_WEIGHTS_ONLY:
      g_value_set_boolean (value, self->weights_only);
      break;
    case PROP_SESSION_INDEX:
      g_value_set_uint (value, self->session_index);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
rv_run_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  RvRun *self = RV_RUN (object);

  switch (id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_OPTIMIZER:
      self->optimizer = g_value_dup_string (value);
      break;
    case PROP_COLOR:
      if (g_value_get_boxed (value))
        self->color = *(const GdkRGBA *) g_value_get_boxed (value);
      break;
    case PROP_STATE:
      rv_run_set_state (self, g_value_get_int (value));
      break;
    case PROP_STATUS:
      rv_run_set_status (self, g_value_get_string (value));
      break;
    case PROP_PROGRESS:
      rv_run_set_progress (self, g_value_get_double (value));
      break;
    case PROP_BEST_VALIDATION:
      rv_run_set_best_validation (self, g_value_get_double (value));
      break;
    case PROP_TEST_ACCURACY:
      rv_run_set_test_accuracy (self, g_value_get_double (value));
      break;
    case PROP_HIDDEN:
      rv_run_set_hidden (self, g_value_get_boolean (value));
      break;
    case PROP_WEIGHTS_ONLY:
      rv_run_set_weights_only (self, g_value_get_boolean (value));
      break;
    case PROP_SESSION_INDEX:
      rv_run_set_session_index (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
rv_run_class_init (RvRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags fixed = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags changing = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = rv_run_finalize;
  object_class->get_property = rv_run_get_property;
  object_class->set_property = rv_run_set_property;
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, fixed);
  props[PROP_OPTIMIZER] = g_param_spec_string ("optimizer", NULL, NULL, NULL, fixed);
  props[PROP_COLOR] = g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA, fixed);
  props[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, RV_RUN_QUEUED, RV_RUN_FAILED, RV_RUN_QUEUED, changing);
  props[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, changing);
  props[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, changing);
  /* a new run starts at NaN (unknown), which no spec can have as its default */
  props[PROP_BEST_VALIDATION] = g_param_spec_double ("best-validation", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE,
                                                     0.0, changing);
  props[PROP_TEST_ACCURACY] = g_param_spec_double ("test-accuracy", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                                                   changing);
  props[PROP_HIDDEN] = g_param_spec_boolean ("hidden", NULL, NULL, FALSE, changing);
  props[PROP_WEIGHTS_ONLY] = g_param_spec_boolean ("weights-only", NULL, NULL, FALSE, changing);
  props[PROP_SESSION_INDEX] = g_param_spec_uint ("session-index", NULL, NULL, 0, G_MAXUINT, G_MAXUINT, changing);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
rv_run_init (RvRun *self)
{
  self->state = RV_RUN_QUEUED;
  self->best_validation = NAN;
  self->test_accuracy = NAN;
  self->session_index = G_MAXUINT;
}

RvRun *
rv_run_new (const char *name, const char *optimizer, const GdkRGBA *color)
{
  return g_object_new (RV_TYPE_RUN, "name", name, "optimizer", optimizer, "color", color, NULL);
}

const char *
rv_run_get_name (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), NULL);
  return self->name;
}

const char *
rv_run_get_optimizer (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), NULL);
  return self->optimizer;
}

const GdkRGBA *
rv_run_get_color (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), NULL);
  return &self->color;
}

RvRunState
rv_run_get_state (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), RV_RUN_FAILED);
  return self->state;
}

void
rv_run_set_state (RvRun *self, RvRunState state)
{
  g_return_if_fail (RV_IS_RUN (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

const char *
rv_run_get_status (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), NULL);
  return self->status;
}

void
rv_run_set_status (RvRun *self, const char *status)
{
  g_return_if_fail (RV_IS_RUN (self));
  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
}

double
rv_run_get_progress (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), 0.0);
  return self->progress;
}

void
rv_run_set_progress (RvRun *self, double fraction)
{
  g_return_if_fail (RV_IS_RUN (self));
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->progress == fraction)
    return;
  self->progress = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROGRESS]);
}

/* NaN means "not known", and equals itself here. */
static gboolean
set_double (RvRun *self, double *field, double value, GParamSpec *pspec)
{
  if (*field == value || (isnan (*field) && isnan (value)))
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
  return TRUE;
}

double
rv_run_get_best_validation (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), NAN);
  return self->best_validation;
}

void
rv_run_set_best_validation (RvRun *self, double accuracy)
{
  g_return_if_fail (RV_IS_RUN (self));
  set_double (self, &self->best_validation, accuracy, props[PROP_BEST_VALIDATION]);
}

double
rv_run_get_test_accuracy (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), NAN);
  return self->test_accuracy;
}

void
rv_run_set_test_accuracy (RvRun *self, double accuracy)
{
  g_return_if_fail (RV_IS_RUN (self));
  set_double (self, &self->test_accuracy, accuracy, props[PROP_TEST_ACCURACY]);
}

gboolean
rv_run_get_hidden (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), FALSE);
  return self->hidden;
}

void
rv_run_set_hidden (RvRun *self, gboolean hidden)
{
  g_return_if_fail (RV_IS_RUN (self));
  hidden = !!hidden;
  if (self->hidden == hidden)
    return;
  self->hidden = hidden;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HIDDEN]);
}

gboolean
rv_run_get_weights_only (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), FALSE);
  return self->weights_only;
}

void
rv_run_set_weights_only (RvRun *self, gboolean weights_only)
{
  g_return_if_fail (RV_IS_RUN (self));
  weights_only = !!weights_only;
  if (self->weights_only == weights_only)
    return;
  self->weights_only = weights_only;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WEIGHTS_ONLY]);
}

guint
rv_run_get_session_index (RvRun *self)
{
  g_return_val_if_fail (RV_IS_RUN (self), G_MAXUINT);
  return self->session_index;
}

void
rv_run_set_session_index (RvRun *self, guint index)
{
  g_return_if_fail (RV_IS_RUN (self));
  if (self->session_index == index)
    return;
  self->session_index = index;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSION_INDEX]);
}

char *
rv_run_format_accuracy (double fraction)
{
  g_autofree char *number = rv_plot_format_number ("%.2f", 100 * fraction);

  /* Translators: a percentage; use your language's spacing ("89,05 %") */
  return g_strdup_printf (_("%s %%"), number);
}

char *
rv_run_dup_cell (RvRun *self, RvRunColumn column)
{
  g_return_val_if_fail (RV_IS_RUN (self), NULL);
  switch (column)
    {
    case RV_RUN_COLUMN_NAME:
      return g_strdup (self->name);
    case RV_RUN_COLUMN_OPTIMIZER:
      return g_strdup (self->optimizer ? self->optimizer : "–");
    case RV_RUN_COLUMN_BEST_VALIDATION:
      return isnan (self->best_validation) ? g_strdup ("–") : rv_run_format_accuracy (self->best_validation);
    case RV_RUN_COLUMN_TEST_ACCURACY:
      return isnan (self->test_accuracy) ? g_strdup ("–") : rv_run_format_accuracy (self->test_accuracy);
    case RV_RUN_COLUMN_STATUS:
      return g_strdup (self->status ? self->status : "");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
rv_run_column_property (RvRunColumn column)
{
  static const char *const names[RV_RUN_N_COLUMNS] = { "name", "optimizer", "best-validation", "test-accuracy",
                                                       "status" };
  g_return_val_if_fail (column < RV_RUN_N_COLUMNS, NULL);
  return names[column];
}
