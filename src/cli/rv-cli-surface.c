/* rv-cli-surface.c: `ravine-cli surface`: optimizer trajectories on the
 * two-parameter loss surfaces (named, or typed with --expr), the surfaces
 * sampled on a grid, and their list.
 *
 * Trajectories and grids can hold millions of numbers, so their JSON is
 * streamed to stdout rather than built as a JsonNode tree first (about a
 * hundred bytes a number); the small parts go through rv-json. */
#include "rv-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rv-error.h"
#include "rv-json.h"
#include "rv-optim.h"
#include "rv-surface.h"
#include "rv-trajectory.h"

#define COMMAND "surface"
#define MAX_STEPS 1000000
#define MIN_GRID 2
#define MAX_GRID 2000

/* Exact: "%.17g" always reads back as the same double; "%.15g" first, so
 * that 0.1 stays 0.1 rather than 0.10000000000000001 (trying 16 as well
 * would cost a third more time on a 2000 x 2000 grid for little).  JSON has
 * no inf or nan: null. */
static void
format_number (char buf[G_ASCII_DTOSTR_BUF_SIZE], double v)
{
  if (!isfinite (v))
    {
      g_strlcpy (buf, "null", G_ASCII_DTOSTR_BUF_SIZE);
      return;
    }
  g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.17g", v);
}

static void
put_number (FILE *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  format_number (buf, v);
  fputs (buf, out);
}

/* A small JSON value, written by rv_json_to_string. */
static void
put_node (FILE *out, JsonNode *node)
{
  g_autofree char *text = rv_json_to_string (node, FALSE);
  fputs (text, out);
}

static void
put_string (FILE *out, const char *s)
{
  g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), s);
  put_node (out, node);
}

static void
put_numbers (FILE *out, const double *v, gsize n)
{
  fputc ('[', out);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        fputc (',', out);
      put_number (out, v[i]);
    }
  fputc (']', out);
}

static void
put_range (FILE *out, const RvSurface *s)
{
  fputc ('[', out);
  put_numbers (out, s->range[0], 2);
  fputc (',', out);
  put_numbers (out, s->range[1], 2);
  fputc (']', out);
}

/* "surface":NAME, and "expr":FORMULA for a typed surface. */
static void
put_surface_name (FILE *out, const RvSurface *s)
{
  fputs ("\"surface\":", out);
  put_string (out, s->name);
  if (s->expr != NULL)
    {
      fputs (",\"expr\":", out);
      put_string (out, s->formula);
    }
}

/* "Rosenbrock (rosenbrock)" or "Custom formula (w1^2 + w2^2)" */
static char *
surface_title (const RvSurface *s)
{
  return g_strdup_printf ("%s (%s)", s->display_name, s->expr != NULL ? s->formula : s->name);
}

static int
finish_output (void)
{
  return rv_cli_finish_output (COMMAND);
}

static char *
surface_names (void)
{
  guint n;
  const RvSurface *list = rv_surface_list (&n);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", list[i].name);
  return g_string_free (s, FALSE);
}

static char *
optimizer_names (void)
{
  GString *s = g_string_new (NULL);
  for (int k = 0; k < RV_OPTIM_COUNT; k++)
    g_string_append_printf (s, "%s%s", k ? ", " : "", rv_optim_kind_name ((RvOptimKind) k));
  return g_string_free (s, FALSE);
}

/* "adam lr=1 beta1=0.9 beta2=0.999 eps=1e-08", from the JSON form so that the
 * two never disagree. */
static char *
optimizer_summary (const RvOptimConfig *config)
{
  g_autoptr (JsonNode) node = rv_optim_config_to_json (config);
  JsonObject *o = json_node_get_object (node);
  GString *s = g_string_new (rv_optim_kind_name (config->kind));
  g_autoptr (GList) members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    if (strcmp (l->data, "name") != 0)
      g_string_append_printf (s, " %s=%g", (const char *) l->data,
                              json_object_get_double_member (o, l->data));
  return g_string_free (s, FALSE);
}

static int
run_list (gboolean json)
{
  guint n;
  const RvSurface *list = rv_surface_list (&n);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "surfaces");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          const RvSurface *s = &list[i];
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, s->name);
          json_builder_set_member_name (b, "display_name");
          json_builder_add_string_value (b, s->display_name);
          json_builder_set_member_name (b, "formula");
          json_builder_add_string_value (b, s->formula);
          json_builder_set_member_name (b, "range");
          json_builder_begin_array (b);
          for (int d = 0; d < 2; d++)
            {
              json_builder_begin_array (b);
              json_builder_add_double_value (b, s->range[d][0]);
              json_builder_add_double_value (b, s->range[d][1]);
              json_builder_end_array (b);
            }
          json_builder_end_array (b);
          json_builder_set_member_name (b, "start");
          json_builder_begin_array (b);
          json_builder_add_double_value (b, s->start[0]);
          json_builder_add_double_value (b, s->start[1]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "minimum");
          if (s->has_minimum)
            {
              json_builder_begin_array (b);
              json_builder_add_double_value (b, s->minimum[0]);
              json_builder_add_double_value (b, s->minimum[1]);
              json_builder_add_double_value (b, s->minimum_value);
              json_builder_end_array (b);
            }
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      rv_cli_print_json (root);
      return finish_output ();
    }

  printf ("%-13s %-24s %-30s %-14s %s\n", "NAME", "TITLE", "RANGE (w1; w2)", "START", "MINIMUM");
  for (guint i = 0; i < n; i++)
    {
      const RvSurface *s = &list[i];
      g_autofree char *range = g_strdup_printf ("[%g, %g]; [%g, %g]", s->range[0][0], s->range[0][1],
                                                s->range[1][0], s->range[1][1]);
      g_autofree char *start = g_strdup_printf ("(%g, %g)", s->start[0], s->start[1]);
      g_autofree char *minimum = s->has_minimum
        ? g_strdup_printf ("%.6g at (%g, %g)", s->minimum_value, s->minimum[0], s->minimum[1])
        : g_strdup ("none");
      printf ("%-13s %-24s %-30s %-14s %s\n", s->name, s->display_name, range, start, minimum);
    }
  return finish_output ();
}

static int
run_grid (const RvSurface *s, guint n, gboolean json)
{
  g_autofree double *w1 = g_new (double, n);
  g_autofree double *w2 = g_new (double, n);
  g_autofree double *loss = g_new (double, (gsize) n * n);
  rv_surface_sample_grid (s, n, w1, w2, loss);

  if (json)
    {
      /* loss[j][i] = f(w1[i], w2[j]): one row per w2 */
      fputc ('{', stdout);
      put_surface_name (stdout, s);
      fputs (",\"range\":", stdout);
      put_range (stdout, s);
      printf (",\"grid\":%u,\"w1\":", n);
      put_numbers (stdout, w1, n);
      fputs (",\"w2\":", stdout);
      put_numbers (stdout, w2, n);
      fputs (",\"loss\":[", stdout);
      for (guint j = 0; j < n; j++)
        {
          if (j > 0)
            fputc (',', stdout);
          put_numbers (stdout, loss + (gsize) j * n, n);
        }
      fputs ("]}\n", stdout);
      return finish_output ();
    }

  g_autofree char *title = surface_title (s);
  printf ("surface  %s\n", title);
  printf ("grid     %u x %u; a row per w2, a column per w1\n\n", n, n);
  printf ("%12s", "w2 \\ w1");
  for (guint i = 0; i < n; i++)
    printf (" %12.6g", w1[i]);
  putchar ('\n');
  for (guint j = 0; j < n; j++)
    {
      printf ("%12.6g", w2[j]);
      for (guint i = 0; i < n; i++)
        printf (" %12.6g", loss[(gsize) j * n + i]);
      putchar ('\n');
    }
  return finish_output ();
}

static int
run_trajectory (const RvSurface *s, const RvOptimConfig *config, double start_w1, double start_w2,
                guint steps, gboolean json)
{
  g_autofree RvTrajectoryPoint *points = g_new (RvTrajectoryPoint, steps);
  g_autoptr (GError) error = NULL;
  guint n = 0;

  if (!rv_trajectory_run (s, config, start_w1, start_w2, steps, points, &n, &error)
      && !g_error_matches (error, RV_ERROR, RV_ERROR_DIVERGED))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  if (json)
    {
      g_autoptr (JsonNode) optimizer = rv_optim_config_to_json (config);
      double start[2] = { start_w1, start_w2 };
      fputc ('{', stdout);
      put_surface_name (stdout, s);
      fputs (",\"optimizer\":", stdout);
      put_node (stdout, optimizer);
      fputs (",\"start\":", stdout);
      put_numbers (stdout, start, 2);
      printf (",\"steps\":%u", steps);
      if (error)
        {
          printf (",\"diverged_at\":%u,\"error\":", n);
          put_string (stdout, error->message);
        }
      fputs (",\"points\":[", stdout);
      for (guint i = 0; i < n; i++)
        {
          double p[3] = { points[i].w1, points[i].w2, points[i].loss };
          if (i > 0)
            fputc (',', stdout);
          put_numbers (stdout, p, 3);
        }
      fputs ("]}\n", stdout);
    }
  else
    {
      g_autofree char *summary = optimizer_summary (config);
      g_autofree char *title = surface_title (s);
      printf ("surface    %s\n", title);
      printf ("optimizer  %s\n\n", summary);
      printf ("%8s %16s %16s %16s\n", "step", "w1", "w2", "loss");
      for (guint i = 0; i < n; i++)
        printf ("%8u %16.9g %16.9g %16.9g\n", i, points[i].w1, points[i].w2, points[i].loss);
    }

  int status = finish_output ();
  if (error)
    return rv_cli_failure (COMMAND, error);
  return status;
}

/* "W1,W2" as two finite numbers. */
static gboolean
parse_start (const char *text, double *w1, double *w2, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) != 2
      || !rv_cli_parse_double ("--start", parts[0], -G_MAXDOUBLE, G_MAXDOUBLE, w1, NULL)
      || !rv_cli_parse_double ("--start", parts[1], -G_MAXDOUBLE, G_MAXDOUBLE, w2, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--start expects two numbers W1,W2, not \"%s\"", text);
      return FALSE;
    }
  return TRUE;
}

/* "X0,X1,Y0,Y1" as two finite, non-empty intervals. */
static gboolean
parse_range (const char *text, double range[2][2], GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  gboolean ok = g_strv_length (parts) == 4;
  for (int k = 0; ok && k < 4; k++)
    ok = rv_cli_parse_double ("--range", parts[k], -G_MAXDOUBLE, G_MAXDOUBLE, &range[k / 2][k % 2], NULL);
  if (!ok || !(range[0][0] < range[0][1]) || !(range[1][0] < range[1][1]))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--range expects four numbers W1MIN,W1MAX,W2MIN,W2MAX with each minimum below its maximum, "
                   "not \"%s\"", text);
      return FALSE;
    }
  return TRUE;
}

int
rv_cli_surface (int argc, char **argv)
{
  g_autofree char *surface_name = NULL;
  g_autofree char *expr_text = NULL;
  g_autofree char *range_text = NULL;
  g_autofree char *optimizer_name = NULL;
  g_autofree char *lr_text = NULL;
  g_autofree char *momentum_text = NULL;
  g_autofree char *beta1_text = NULL;
  g_autofree char *beta2_text = NULL;
  g_autofree char *eps_text = NULL;
  g_autofree char *alpha_text = NULL;
  g_autofree char *wd_text = NULL;
  g_autofree char *clip_text = NULL;
  g_autofree char *steps_text = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *grid_text = NULL;
  gboolean list = FALSE, json = FALSE;

  GOptionEntry entries[] = {
    { "surface", 's', 0, G_OPTION_ARG_STRING, &surface_name, "The loss surface (see --list)", "NAME" },
    { "expr", 'e', 0, G_OPTION_ARG_STRING, &expr_text,
      "A surface typed as a formula in w1 and w2 instead, e.g. \"w1^2 + 10*w2^2\"", "FORMULA" },
    { "range", 0, 0, G_OPTION_ARG_STRING, &range_text,
      "--expr: the surface's range (default -2,2,-2,2); the start defaults to an eighth in from its "
      "top-left corner", "W1MIN,W1MAX,W2MIN,W2MAX" },
    { "optimizer", 'o', 0, G_OPTION_ARG_STRING, &optimizer_name,
      "sgd, momentum, heavy-ball, nesterov, rmsprop, adagrad, adam or adamw", "NAME" },
    { "lr", 0, 0, G_OPTION_ARG_STRING, &lr_text, "The learning rate (required with --optimizer)", "X" },
    { "momentum", 0, 0, G_OPTION_ARG_STRING, &momentum_text,
      "momentum, heavy-ball, nesterov: the momentum (default 0.9)", "B" },
    { "beta1", 0, 0, G_OPTION_ARG_STRING, &beta1_text, "adam, adamw: the first-moment decay (default 0.9)", "B1" },
    { "beta2", 0, 0, G_OPTION_ARG_STRING, &beta2_text,
      "adam, adamw: the second-moment decay (default 0.999)", "B2" },
    { "eps", 0, 0, G_OPTION_ARG_STRING, &eps_text,
      "rmsprop, adagrad, adam, adamw: added to the root (default 1e-8; adagrad 1e-10)", "E" },
    { "alpha", 0, 0, G_OPTION_ARG_STRING, &alpha_text, "rmsprop: the squared-average decay (default 0.99)", "A" },
    { "weight-decay", 0, 0, G_OPTION_ARG_STRING, &wd_text, "adamw: the decoupled weight decay (default 0.01)", "WD" },
    { "clip", 0, 0, G_OPTION_ARG_STRING, &clip_text, "Clip the gradient to this global norm (0: off)", "C" },
    { "steps", 'n', 0, G_OPTION_ARG_STRING, &steps_text, "Points to record, one update each (default 100)", "N" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text, "The starting point (default: the surface's)", "W1,W2" },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid_text, "Sample the surface on an N x N grid over its range instead", "N" },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "List the surfaces", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  g_autofree char *surfaces = surface_names ();
  g_autofree char *optimizers = optimizer_names ();
  g_autofree char *summary = g_strdup_printf (
    "Runs an optimizer on a two-parameter loss surface and prints its path: each\n"
    "point and its loss before the update, as the tutorial's train_curve does.\n"
    "With --grid, prints the surface sampled over its range instead.\n\n"
    "Surfaces: %s.\nOptimizers: %s.\n\n"
    "A formula (--expr) uses w1, w2, numbers (1.5, 2e-3), + - * / ^ (right-associative,\n"
    "above unary minus: -w1^2 = -(w1^2)), parentheses, pi, e and the functions\n"
    "sin cos tan exp log sqrt abs tanh sigmoid.\n\n"
    "Example: ravine-cli surface --surface pathological --optimizer adam --lr 1 --json\n"
    "         ravine-cli surface --expr \"(w1-1)^2 + 100*(w2-w1^2)^2\" --optimizer sgd --lr 0.001",
    surfaces, optimizers);
  if (!rv_cli_parse (COMMAND, summary, entries, &argc, &argv))
    return RV_EXIT_USAGE;

  /* The optimizer's options, by the hyper-parameter each one sets. */
  const struct {
    const char *option, *param, *text;
  } hypers[] = {
    { "--lr", "lr", lr_text },
    { "--momentum", "momentum", momentum_text },
    { "--beta1", "beta1", beta1_text },
    { "--beta2", "beta2", beta2_text },
    { "--eps", "eps", eps_text },
    { "--alpha", "alpha", alpha_text },
    { "--weight-decay", "weight_decay", wd_text },
    { "--clip", "clip_norm", clip_text },
  };
  gboolean any_hyper = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (hypers); i++)
    any_hyper |= hypers[i].text != NULL;
  gboolean any_run = optimizer_name || any_hyper || steps_text || start_text;

  if (list)
    {
      if (surface_name || expr_text || range_text || grid_text || any_run)
        return rv_cli_usage_error (COMMAND, "--list takes no other options but --json");
      return run_list (json);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (RvSurface) typed = NULL;
  const RvSurface *surface;
  if (expr_text != NULL)
    {
      if (surface_name != NULL)
        return rv_cli_usage_error (COMMAND, "--surface and --expr: give one surface");
      double range[2][2];
      if (range_text && !parse_range (range_text, range, &error))
        return rv_cli_usage_error (COMMAND, "%s", error->message);
      typed = rv_surface_new_from_expr (expr_text, range_text ? range : NULL, &error);
      if (typed == NULL)
        return rv_cli_usage_error (COMMAND, "--expr: %s", error->message);
      surface = typed;
    }
  else
    {
      if (range_text != NULL)
        return rv_cli_usage_error (COMMAND, "--range applies to --expr only");
      if (surface_name == NULL)
        return rv_cli_usage_error (COMMAND, "missing --surface NAME (one of: %s) or --expr FORMULA", surfaces);
      surface = rv_surface_lookup (surface_name);
      if (surface == NULL)
        return rv_cli_usage_error (COMMAND, "unknown surface \"%s\" (one of: %s)", surface_name, surfaces);
    }

  if (grid_text)
    {
      guint64 n;
      if (any_run)
        return rv_cli_usage_error (COMMAND, "--grid samples the surface: it takes no optimizer options");
      if (!rv_cli_parse_uint ("--grid", grid_text, MIN_GRID, MAX_GRID, &n, &error))
        return rv_cli_usage_error (COMMAND, "%s", error->message);
      return run_grid (surface, (guint) n, json);
    }

  if (optimizer_name == NULL)
    return rv_cli_usage_error (COMMAND, "missing --optimizer NAME (one of: %s), or --grid N", optimizers);
  RvOptimKind kind;
  if (!rv_optim_kind_from_name (optimizer_name, &kind))
    return rv_cli_usage_error (COMMAND, "unknown optimizer \"%s\" (one of: %s)", optimizer_name, optimizers);
  if (lr_text == NULL)
    return rv_cli_usage_error (COMMAND, "missing --lr X: the learning rate");

  RvOptimConfig config;
  rv_optim_config_init (&config, kind);
  double *slots[] = { &config.lr, &config.momentum, &config.beta1, &config.beta2, &config.eps,
                      &config.alpha, &config.weight_decay, &config.clip_norm };
  G_STATIC_ASSERT (G_N_ELEMENTS (slots) == G_N_ELEMENTS (hypers));
  for (gsize i = 0; i < G_N_ELEMENTS (hypers); i++)
    {
      if (hypers[i].text == NULL)
        continue;
      if (!rv_optim_kind_uses (kind, hypers[i].param))
        return rv_cli_usage_error (COMMAND, "%s does not apply to the %s optimizer",
                                   hypers[i].option, optimizer_name);
      if (!rv_cli_parse_double (hypers[i].option, hypers[i].text, -G_MAXDOUBLE, G_MAXDOUBLE,
                                slots[i], &error))
        return rv_cli_usage_error (COMMAND, "%s", error->message);
    }
  if (!rv_optim_config_validate (&config, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  guint64 steps = 100;
  if (steps_text && !rv_cli_parse_uint ("--steps", steps_text, 1, MAX_STEPS, &steps, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  double w1 = surface->start[0], w2 = surface->start[1];
  if (start_text && !parse_start (start_text, &w1, &w2, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  return run_trajectory (surface, &config, w1, w2, (guint) steps, json);
}
