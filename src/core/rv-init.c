/* rv-init.c: filling the flat parameter buffer, one layer at a time. */
#include "rv-init.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-rng.h"

static const char *const kind_names[RV_INIT_COUNT] = {
  [RV_INIT_CONST] = "const",
  [RV_INIT_NORMAL] = "normal",
  [RV_INIT_EQUAL_VAR] = "equal-var",
  [RV_INIT_XAVIER] = "xavier",
  [RV_INIT_KAIMING] = "kaiming",
  [RV_INIT_XAVIER_NORMAL] = "xavier-normal",
  [RV_INIT_KAIMING_UNIFORM] = "kaiming-uniform",
  [RV_INIT_ORTHOGONAL] = "orthogonal",
  [RV_INIT_LSUV] = "lsuv",
};

#define LSUV_TOLERANCE 0.1
#define LSUV_MAX_ITERATIONS 10

const char *
rv_init_kind_name (RvInitKind kind)
{
  g_return_val_if_fail (kind < RV_INIT_COUNT, "?");
  return kind_names[kind];
}

gboolean
rv_init_kind_takes_value (RvInitKind kind)
{
  return kind == RV_INIT_CONST || kind == RV_INIT_NORMAL;
}

gboolean
rv_init_parse (const char *spec, RvInit *out, GError **error)
{
  g_autofree char *name = g_strdup (spec ? spec : "");
  char *colon = strchr (name, ':');
  const char *value = NULL;
  if (colon)
    {
      *colon = '\0';
      value = colon + 1;
    }
  if (g_ascii_strcasecmp (name, "constant") == 0)
    strcpy (name, "const");

  for (int k = 0; k < RV_INIT_COUNT; k++)
    {
      if (g_ascii_strcasecmp (name, kind_names[k]) != 0)
        continue;
      out->kind = (RvInitKind) k;
      out->value = 0.0f;
      if (!rv_init_kind_takes_value (out->kind))
        {
          if (value)
            {
              g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                           "initializer \"%s\" takes no value", kind_names[k]);
              return FALSE;
            }
          return TRUE;
        }
      char *end = NULL;
      double v = value ? g_ascii_strtod (value, &end) : NAN;
      if (!value || *value == '\0' || *end != '\0' || !isfinite (v) || fabs (v) > 1e3
          || (out->kind == RV_INIT_NORMAL && v < 0))
        {
          g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                       out->kind == RV_INIT_CONST
                         ? "initializer \"const\" needs a fill value from -1000 to 1000, as in const:0.005"
                         : "initializer \"normal\" needs a standard deviation from 0 to 1000, as in normal:0.01");
          return FALSE;
        }
      out->value = (float) v;
      return TRUE;
    }

  g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
               "unknown initializer \"%s\" (known: const:V, normal:STD, equal-var, xavier, kaiming, "
               "xavier-normal, kaiming-uniform, orthogonal, lsuv)", spec ? spec : "");
  return FALSE;
}

char *
rv_init_to_string (const RvInit *init)
{
  if (rv_init_kind_takes_value (init->kind))
    {
      /* the shortest decimal that reads back as the same float */
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      for (int digits = 6; digits <= 9; digits++)
        {
          char format[8];
          g_snprintf (format, sizeof format, "%%.%dg", digits);
          g_ascii_formatd (buf, sizeof buf, format, init->value);
          if ((float) g_ascii_strtod (buf, NULL) == init->value)
            break;
        }
      return g_strdup_printf ("%s:%s", kind_names[init->kind], buf);
    }
  return g_strdup (kind_names[init->kind]);
}

double
rv_init_weight_std (const RvInit *init, RvActivation act, uint32_t l, uint32_t fan_in, uint32_t fan_out)
{
  const double gain = l == 0 ? 1.0 : rv_activation_gain (act);
  switch (init->kind)
    {
    case RV_INIT_CONST: return 0.0;
    case RV_INIT_NORMAL: return init->value;
    case RV_INIT_EQUAL_VAR: return 1.0 / sqrt (fan_in);
    case RV_INIT_XAVIER: return sqrt (6.0 / (fan_in + fan_out)) / sqrt (3.0);
    case RV_INIT_KAIMING: return (l == 0 ? 1.0 : G_SQRT2) / sqrt (fan_in);
    case RV_INIT_XAVIER_NORMAL: return gain * sqrt (2.0 / (fan_in + fan_out));
    case RV_INIT_KAIMING_UNIFORM: return gain * sqrt (3.0 / fan_in) / sqrt (3.0);
    case RV_INIT_ORTHOGONAL: return gain / sqrt (MAX (fan_in, fan_out));
    case RV_INIT_LSUV: return NAN;
    case RV_INIT_COUNT:
    default: g_return_val_if_reached (NAN);
    }
}

/* The gain for Linear l: its input is an activation's output except for the
 * first layer, whose input is the normalized image. */
static double
layer_gain (const RvNet *net, uint32_t l)
{
  return l == 0 ? 1.0 : rv_activation_gain (net->cfg.act);
}

/* Orthonormalizes the rows of a[rows, cols] (rows <= cols) in place by
 * Gram-Schmidt, done twice per row so rounding does not erode orthogonality. */
static void
orthonormalize_rows (double *a, int rows, int cols)
{
  double *c = g_new (double, MAX (rows, 1));
  for (int i = 0; i < rows; i++)
    {
      double *ai = a + (size_t) i * cols;
      for (int pass = 0; pass < 2 && i > 0; pass++)
        {
          /* c = Q a_i, then a_i -= Q^T c, with Q the rows done so far */
          cblas_dgemv (CblasRowMajor, CblasNoTrans, i, cols, 1.0, a, cols, ai, 1, 0.0, c, 1);
          cblas_dgemv (CblasRowMajor, CblasTrans, i, cols, -1.0, a, cols, c, 1, 1.0, ai, 1);
        }
      double norm = cblas_dnrm2 (cols, ai, 1);
      cblas_dscal (cols, 1.0 / norm, ai, 1);
    }
  g_free (c);
}

/* w[out, in] = gain · a random semi-orthogonal matrix: orthonormal rows when
 * out <= in, orthonormal columns otherwise. */
static void
fill_orthogonal (float *w, uint32_t out, uint32_t in, double gain, uint64_t seed, uint64_t stream)
{
  gboolean wide = out <= in;
  int rows = (int) (wide ? out : in), cols = (int) (wide ? in : out);
  size_t n = (size_t) out * in;
  double *a = g_new (double, n);
  for (size_t i = 0; i < n; i++)
    a[i] = rv_rng_normal (seed, stream, i);
  orthonormalize_rows (a, rows, cols);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      {
        double v = gain * a[(size_t) r * cols + c];
        if (wide)
          w[(size_t) r * in + c] = (float) v;
        else
          w[(size_t) c * in + r] = (float) v;
      }
  g_free (a);
}

static double
variance_of (const float *x, size_t n)
{
  double mean = 0.0, m2 = 0.0;
  for (size_t i = 0; i < n; i++)
    mean += x[i];
  mean /= (double) n;
  for (size_t i = 0; i < n; i++)
    m2 += (x[i] - mean) * (x[i] - mean);
  return m2 / (double) n;
}

/* LSUV: starting from orthogonal weights, rescale each layer in turn until
 * its output variance on the probe batch is 1 within the tolerance. */
static gboolean
apply_lsuv (RvNet *net, const float *probe_x, uint32_t probe_batch, GError **error)
{
  if (probe_x == NULL || probe_batch < 2)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_ARGUMENT,
                   "initializer \"lsuv\" needs a probe batch of at least 2 images");
      return FALSE;
    }
  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      size_t n_w = rv_net_weight_count (net, l);
      float *w = net->params + net->w_off[l];
      for (int it = 0; it < LSUV_MAX_ITERATIONS; it++)
        {
          rv_net_forward (net, probe_x, probe_batch);
          double var = variance_of (net->z[l], (size_t) probe_batch * rv_net_fan_out (net, l));
          if (!(var > 1e-30) || !isfinite (var) || fabs (var - 1.0) < LSUV_TOLERANCE)
            break; /* a dead layer cannot be rescaled to unit variance; leave it */
          float scale = (float) (1.0 / sqrt (var));
          for (size_t i = 0; i < n_w; i++)
            w[i] *= scale;
        }
    }
  return TRUE;
}

gboolean
rv_init_apply (RvNet *net, const RvInit *init, uint64_t seed,
               const float *probe_x, uint32_t probe_batch, GError **error)
{
  g_return_val_if_fail (init->kind < RV_INIT_COUNT, FALSE);

  for (uint32_t l = 0; l < net->cfg.n_linear; l++)
    {
      const uint32_t fan_in = rv_net_fan_in (net, l), fan_out = rv_net_fan_out (net, l);
      const size_t n_w = rv_net_weight_count (net, l);
      const uint64_t w_stream = RV_STREAM_INIT + 2 * (uint64_t) l;
      const uint64_t b_stream = w_stream + 1;
      float *w = net->params + net->w_off[l];
      float *b = net->params + net->b_off[l];
      const double gain = layer_gain (net, l);

      memset (b, 0, fan_out * sizeof (float));
      switch (init->kind)
        {
        case RV_INIT_CONST:
          for (size_t i = 0; i < n_w; i++)
            w[i] = init->value;
          for (uint32_t i = 0; i < fan_out; i++)
            b[i] = init->value;
          break;
        case RV_INIT_NORMAL:
          rv_rng_fill_normal (w, n_w, seed, w_stream, 0.0f, init->value);
          rv_rng_fill_normal (b, fan_out, seed, b_stream, 0.0f, init->value);
          break;
        case RV_INIT_EQUAL_VAR:
          rv_rng_fill_normal (w, n_w, seed, w_stream, 0.0f, (float) (1.0 / sqrt (fan_in)));
          break;
        case RV_INIT_XAVIER:
          {
            float a = (float) sqrt (6.0 / (fan_in + fan_out));
            rv_rng_fill_uniform (w, n_w, seed, w_stream, -a, a);
          }
          break;
        case RV_INIT_KAIMING:
          /* as the tutorial: the first layer's input is no ReLU output */
          rv_rng_fill_normal (w, n_w, seed, w_stream, 0.0f,
                              (float) ((l == 0 ? 1.0 : G_SQRT2) / sqrt (fan_in)));
          break;
        case RV_INIT_XAVIER_NORMAL:
          rv_rng_fill_normal (w, n_w, seed, w_stream, 0.0f,
                              (float) (gain * sqrt (2.0 / (fan_in + fan_out))));
          break;
        case RV_INIT_KAIMING_UNIFORM:
          {
            float a = (float) (gain * sqrt (3.0 / fan_in));
            rv_rng_fill_uniform (w, n_w, seed, w_stream, -a, a);
          }
          break;
        case RV_INIT_ORTHOGONAL:
          fill_orthogonal (w, fan_out, fan_in, gain, seed, w_stream);
          break;
        case RV_INIT_LSUV:
          fill_orthogonal (w, fan_out, fan_in, 1.0, seed, w_stream);
          break;
        case RV_INIT_COUNT:
        default:
          g_return_val_if_reached (FALSE);
        }
    }

  if (init->kind == RV_INIT_LSUV)
    return apply_lsuv (net, probe_x, probe_batch, error);
  return TRUE;
}
