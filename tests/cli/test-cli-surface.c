/* test-cli-surface.c: `ravine-cli surface` prints what the core computes,
 * shapes its grid as documented and refuses bad arguments with status 2. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "rv-error.h"
#include "rv-surface.h"
#include "rv-trajectory.h"

static const char *cli_path;

typedef struct {
  int status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* Runs "ravine-cli surface ARGS..." (NULL-terminated). */
static void
run_cli (CliResult *r, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) cli_path);
  g_ptr_array_add (argv, (char *) "surface");
  va_list args;
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  /* descriptors left open: GLib then spawns with posix_spawn(), without
   * fork() and OpenBLAS's fork handler, which can hang joining its threads */
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_LEAVE_DESCRIPTORS_OPEN, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static double
number_at (JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element (a, i);
  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  return json_node_get_double (n);
}

/* The points in the output, exactly those of the core's own run. */
static void
check_points (JsonObject *o, const char *surface, const RvOptimConfig *c,
              double w1, double w2, guint steps, guint want_n)
{
  g_autofree RvTrajectoryPoint *want = g_new0 (RvTrajectoryPoint, steps);
  guint n = 0;
  rv_trajectory_run (rv_surface_lookup (surface), c, w1, w2, steps, want, &n, NULL);
  g_assert_cmpuint (n, ==, want_n);

  g_assert_cmpstr (json_object_get_string_member (o, "surface"), ==, surface);
  JsonArray *points = json_object_get_array_member (o, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonArray *p = json_array_get_array_element (points, i);
      g_assert_cmpuint (json_array_get_length (p), ==, 3);
      g_assert_cmpfloat (number_at (p, 0), ==, want[i].w1);
      g_assert_cmpfloat (number_at (p, 1), ==, want[i].w2);
      g_assert_cmpfloat (number_at (p, 2), ==, want[i].loss);
    }
}

static void
test_tutorial_runs (void)
{
  /* Adam lr 1 on the pathological curvature, from its default start. */
  g_auto (CliResult) r = { 0 };
  run_cli (&r, "--surface", "pathological", "--optimizer", "adam", "--lr", "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_autoptr (JsonNode) root = parse_json (r.out);
  JsonObject *o = json_node_get_object (root);
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAM);
  c.lr = 1;
  check_points (o, "pathological", &c, 5, 5, 100, 100);
  JsonObject *opt = json_object_get_object_member (o, "optimizer");
  g_assert_cmpstr (json_object_get_string_member (opt, "name"), ==, "adam");
  g_assert_cmpfloat (json_object_get_double_member (opt, "lr"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (opt, "beta2"), ==, 0.999);
  g_assert_false (json_object_has_member (o, "diverged_at"));

  /* Momentum on the steep optima, every option spelled out. */
  g_auto (CliResult) m = { 0 };
  run_cli (&m, "--surface", "steep", "--optimizer", "momentum", "--lr", "1", "--momentum", "0.9",
           "--steps", "250", "--start", "0,0", "--clip", "5", "--json", NULL);
  g_assert_cmpint (m.status, ==, 0);
  g_autoptr (JsonNode) mroot = parse_json (m.out);
  rv_optim_config_init (&c, RV_OPTIM_MOMENTUM);
  c.lr = 1;
  c.momentum = 0.9;
  c.clip_norm = 5;
  check_points (json_node_get_object (mroot), "steep", &c, 0, 0, 250, 250);
}

static void
test_options (void)
{
  /* Adam's every hyper-parameter, a start, a few steps. */
  g_auto (CliResult) r = { 0 };
  run_cli (&r, "--surface", "rosenbrock", "--optimizer", "adamw", "--lr", "0.05", "--beta1", "0.8",
           "--beta2", "0.99", "--eps", "1e-6", "--weight-decay", "0.1", "--steps", "7",
           "--start", "-1.25,2.5", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse_json (r.out);
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_ADAMW);
  c.lr = 0.05;
  c.beta1 = 0.8;
  c.beta2 = 0.99;
  c.eps = 1e-6;
  c.weight_decay = 0.1;
  check_points (json_node_get_object (root), "rosenbrock", &c, -1.25, 2.5, 7, 7);

  g_auto (CliResult) rms = { 0 };
  run_cli (&rms, "--surface", "beale", "--optimizer", "rmsprop", "--lr", "0.01", "--alpha", "0.9",
           "--steps", "30", "--json", NULL);
  g_assert_cmpint (rms.status, ==, 0);
  g_autoptr (JsonNode) rroot = parse_json (rms.out);
  rv_optim_config_init (&c, RV_OPTIM_RMSPROP);
  c.lr = 0.01;
  c.alpha = 0.9;
  check_points (json_node_get_object (rroot), "beale", &c, 1, 1.5, 30, 30);

  /* Without --json: a readable table, a line per point after the header. */
  g_auto (CliResult) t = { 0 };
  run_cli (&t, "--surface", "saddle", "--optimizer", "nesterov", "--lr", "0.1", "--steps", "5", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "nesterov lr=0.1 momentum=0.9"));
  g_auto (GStrv) lines = g_strsplit (t.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3 + 1 + 5 + 1);
}

static void
test_diverged (void)
{
  g_auto (CliResult) r = { 0 };
  run_cli (&r, "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "1e6", "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "ravine-cli surface: diverged at step "));
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, strlen (r.err) - 1);  /* one line */

  g_autoptr (JsonNode) root = parse_json (r.out);
  JsonObject *o = json_node_get_object (root);
  guint at = (guint) json_object_get_int_member (o, "diverged_at");
  g_assert_cmpuint (at, >, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "error"), "diverged at step"));
  RvOptimConfig c;
  rv_optim_config_init (&c, RV_OPTIM_SGD);
  c.lr = 1e6;
  check_points (o, "rosenbrock", &c, -1.5, 2, 100, at);
}

static void
test_grid (void)
{
  g_auto (CliResult) r = { 0 };
  run_cli (&r, "--surface", "steep", "--grid", "7", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse_json (r.out);
  JsonObject *o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "surface"), ==, "steep");
  g_assert_cmpint (json_object_get_int_member (o, "grid"), ==, 7);
  JsonArray *range = json_object_get_array_member (o, "range");
  g_assert_cmpuint (json_array_get_length (range), ==, 2);
  g_assert_cmpfloat (number_at (json_array_get_array_element (range, 1), 0), ==, -2);

  double w1[7], w2[7], loss[49];
  rv_surface_sample_grid (rv_surface_lookup ("steep"), 7, w1, w2, loss);
  JsonArray *a1 = json_object_get_array_member (o, "w1");
  JsonArray *a2 = json_object_get_array_member (o, "w2");
  JsonArray *rows = json_object_get_array_member (o, "loss");
  g_assert_cmpuint (json_array_get_length (a1), ==, 7);
  g_assert_cmpuint (json_array_get_length (a2), ==, 7);
  g_assert_cmpuint (json_array_get_length (rows), ==, 7);
  for (guint j = 0; j < 7; j++)
    {
      g_assert_cmpfloat (number_at (a1, j), ==, w1[j]);
      g_assert_cmpfloat (number_at (a2, j), ==, w2[j]);
      JsonArray *row = json_array_get_array_element (rows, j);
      g_assert_cmpuint (json_array_get_length (row), ==, 7);
      for (guint i = 0; i < 7; i++)
        g_assert_cmpfloat (number_at (row, i), ==, loss[j * 7 + i]);
    }

  g_auto (CliResult) t = { 0 };
  run_cli (&t, "--surface", "himmelblau", "--grid", "3", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "170"));  /* f(0, 0), the centre */
}

static void
test_list (void)
{
  g_auto (CliResult) r = { 0 };
  run_cli (&r, "--list", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse_json (r.out);
  JsonArray *list = json_object_get_array_member (json_node_get_object (root), "surfaces");
  guint n;
  const RvSurface *surfaces = rv_surface_list (&n);
  g_assert_cmpuint (json_array_get_length (list), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *s = json_array_get_object_element (list, i);
      g_assert_cmpstr (json_object_get_string_member (s, "name"), ==, surfaces[i].name);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (s, "start")), ==, 2);
    }

  g_auto (CliResult) t = { 0 };
  run_cli (&t, "--list", NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "rastrigin"));
}


/* The points of two outputs, to rel relative. */
static void
check_same_points (JsonObject *a, JsonObject *b, double rel)
{
  JsonArray *pa = json_object_get_array_member (a, "points");
  JsonArray *pb = json_object_get_array_member (b, "points");
  g_assert_cmpuint (json_array_get_length (pa), ==, json_array_get_length (pb));
  for (guint i = 0; i < json_array_get_length (pa); i++)
    for (guint d = 0; d < 3; d++)
      {
        double x = number_at (json_array_get_array_element (pa, i), d);
        double y = number_at (json_array_get_array_element (pb, i), d);
        if (!(fabs (x - y) <= rel * MAX (fabs (x), fabs (y))))
          g_error ("point %u, coordinate %u: %.17g and %.17g", i, d, x, y);
      }
}

/* A built-in surface typed as a formula gives the built-in's trajectory. */
static void
test_expr_matches_named (void)
{
  static const struct { const char *name, *formula, *optimizer, *lr; } cases[] = {
    { "rosenbrock", "(w1-1)^2 + 100*(w2-w1^2)^2", "sgd", "0.001" },
    { "rosenbrock", "(w1-1)^2 + 100*(w2-w1^2)^2", "adam", "0.05" },
    { "pathological", "tanh(w1)^2 + 0.01*abs(w1) + sigmoid(w2)", "momentum", "10" },
    { "pathological", "tanh(w1)^2 + 0.01*abs(w1) + sigmoid(w2)", "adam", "1" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const RvSurface *named = rv_surface_lookup (cases[k].name);
      g_autofree char *start = g_strdup_printf ("%g,%g", named->start[0], named->start[1]);
      g_auto (CliResult) a = { 0 };
      g_auto (CliResult) b = { 0 };
      run_cli (&a, "--surface", cases[k].name, "--optimizer", cases[k].optimizer, "--lr", cases[k].lr,
               "--json", NULL);
      run_cli (&b, "--expr", cases[k].formula, "--optimizer", cases[k].optimizer, "--lr", cases[k].lr,
               "--start", start, "--json", NULL);
      g_assert_cmpint (a.status, ==, 0);
      g_assert_cmpint (b.status, ==, 0);
      g_assert_cmpstr (b.err, ==, "");
      g_autoptr (JsonNode) ra = parse_json (a.out);
      g_autoptr (JsonNode) rb = parse_json (b.out);
      JsonObject *oa = json_node_get_object (ra), *ob = json_node_get_object (rb);
      g_assert_cmpstr (json_object_get_string_member (ob, "surface"), ==, "expr");
      g_assert_cmpstr (json_object_get_string_member (ob, "expr"), ==, cases[k].formula);
      g_assert_cmpint (json_array_get_length (json_object_get_array_member (ob, "points")), ==, 100);
      check_same_points (oa, ob, 1e-9);
    }
}

/* The default start and range; a grid over --range is the formula there. */
static void
test_expr_grid_and_range (void)
{
  g_auto (CliResult) r = { 0 };
  run_cli (&r, "--expr", "w1^2 + 10*w2^2", "--optimizer", "sgd", "--lr", "0.01", "--steps", "2", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) root = parse_json (r.out);
  JsonArray *p0 = json_array_get_array_element (json_object_get_array_member (json_node_get_object (root),
                                                                               "points"), 0);
  g_assert_cmpfloat (number_at (p0, 0), ==, -1.5);
  g_assert_cmpfloat (number_at (p0, 1), ==, 1.5);
  g_assert_cmpfloat (number_at (p0, 2), ==, 1.5 * 1.5 + 10 * 1.5 * 1.5);
  /* one SGD step on by the gradient (2 w1, 20 w2), in float */
  JsonArray *p1 = json_array_get_array_element (json_object_get_array_member (json_node_get_object (root),
                                                                               "points"), 1);
  g_assert_cmpfloat (number_at (p1, 0), ==, (float) (-1.5f - 0.01f * (float) (2 * -1.5)));
  g_assert_cmpfloat (number_at (p1, 1), ==, (float) (1.5f - 0.01f * (float) (20 * 1.5)));

  g_auto (CliResult) g = { 0 };
  run_cli (&g, "--expr", "sin(w1) * exp(w2)", "--grid", "5", "--range", "0,4,-1,1", "--json", NULL);
  g_assert_cmpint (g.status, ==, 0);
  g_autoptr (JsonNode) groot = parse_json (g.out);
  JsonObject *o = json_node_get_object (groot);
  g_assert_cmpstr (json_object_get_string_member (o, "expr"), ==, "sin(w1) * exp(w2)");
  JsonArray *w1 = json_object_get_array_member (o, "w1"), *w2 = json_object_get_array_member (o, "w2");
  JsonArray *loss = json_object_get_array_member (o, "loss");
  g_assert_cmpfloat (number_at (w1, 0), ==, 0);
  g_assert_cmpfloat (number_at (w1, 4), ==, 4);
  g_assert_cmpfloat (number_at (w2, 0), ==, -1);
  g_assert_cmpfloat (number_at (w2, 4), ==, 1);
  for (guint j = 0; j < 5; j++)
    for (guint i = 0; i < 5; i++)
      {
        double want = sin (number_at (w1, i)) * exp (number_at (w2, j));
        double got = number_at (json_array_get_array_element (loss, j), i);
        g_assert_cmpfloat_with_epsilon (got, want, 1e-15 * (1 + fabs (want)));
      }
}

/* A malformed formula: status 2, one line naming the column. */
static void
test_expr_errors (void)
{
  static const struct { const char *formula, *message; } cases[] = {
    { "(w1 + 2", "ravine-cli surface: --expr: column 8: expected ')'\n" },
    { "w1 +* 2", "ravine-cli surface: --expr: column 5: expected a number, w1, w2, a function or '('\n" },
    { "x^2", "ravine-cli surface: --expr: column 1: unknown name 'x' (expected w1, w2, pi, e or a function)\n" },
    { "", "ravine-cli surface: --expr: column 1: the formula is empty\n" },
    { "w1 w2", "ravine-cli surface: --expr: column 4: expected an operator or the end of the formula\n" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_auto (CliResult) r = { 0 };
      run_cli (&r, "--expr", cases[k].formula, "--optimizer", "sgd", "--lr", "1", "--json", NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_cmpstr (r.err, ==, cases[k].message);
      g_auto (CliResult) g = { 0 };
      run_cli (&g, "--expr", cases[k].formula, "--grid", "3", NULL);
      g_assert_cmpint (g.status, ==, 2);
      g_assert_cmpstr (g.err, ==, cases[k].message);
    }
}

static void
test_bad_arguments (void)
{
  static const char *const cases[][12] = {
    { NULL },
    { "--surface", "everest", "--optimizer", "sgd", "--lr", "1" },
    { "--surface", "steep", "--optimizer", "adamax", "--lr", "1" },
    { "--surface", "steep", "--optimizer", "sgd" },
    { "--surface", "steep", "--lr", "1" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "fast" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "0" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "-1" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "inf" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--beta1", "0.9" },
    { "--surface", "steep", "--optimizer", "adam", "--lr", "1", "--beta1", "1" },
    { "--surface", "steep", "--optimizer", "momentum", "--lr", "1", "--momentum", "x" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--start", "1" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--start", "a,b" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--start", "1,2,3" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--start", "1," },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--start", "1e39,0" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--steps", "0" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--steps", "1000001" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--steps", "-3" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--clip", "-1" },
    { "--surface", "steep", "--grid", "1" },
    { "--surface", "steep", "--grid", "2001" },
    { "--surface", "steep", "--grid", "ten" },
    { "--surface", "steep", "--grid", "10", "--optimizer", "sgd" },
    { "--list", "--surface", "steep" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "stray" },
    { "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--bogus" },
    { "--surface", "steep", "--expr", "w1", "--optimizer", "sgd", "--lr", "1" },
    { "--surface", "steep", "--range", "0,1,0,1", "--optimizer", "sgd", "--lr", "1" },
    { "--expr", "w1", "--range", "0,1,0", "--optimizer", "sgd", "--lr", "1" },
    { "--expr", "w1", "--range", "1,0,0,1", "--grid", "3" },
    { "--expr", "w1", "--range", "0,1,0,inf", "--grid", "3" },
    { "--expr", "w1", "--range", "0,1,0,1e309", "--grid", "3" },
    { "--list", "--expr", "w1" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const char *const *a = cases[k];
      g_auto (CliResult) r = { 0 };
      run_cli (&r, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], NULL);
      g_test_message ("case %zu: %s", k, r.err);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_prefix (r.err, "ravine-cli surface: "));
      g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, strlen (r.err) - 1);
    }

  /* The edges of the ranges are fine. */
  g_auto (CliResult) one = { 0 };
  run_cli (&one, "--surface", "steep", "--optimizer", "sgd", "--lr", "1", "--steps", "1", "--json", NULL);
  g_assert_cmpint (one.status, ==, 0);
  g_auto (CliResult) two = { 0 };
  run_cli (&two, "--surface", "steep", "--grid", "2", "--json", NULL);
  g_assert_cmpint (two.status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    {
      g_printerr ("usage: %s PATH-TO-RAVINE-CLI\n", argv[0]);
      return 1;
    }
  cli_path = argv[1];
  g_test_add_func ("/cli/surface/tutorial-runs", test_tutorial_runs);
  g_test_add_func ("/cli/surface/options", test_options);
  g_test_add_func ("/cli/surface/diverged", test_diverged);
  g_test_add_func ("/cli/surface/grid", test_grid);
  g_test_add_func ("/cli/surface/list", test_list);
  g_test_add_func ("/cli/surface/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/surface/expr-matches-named", test_expr_matches_named);
  g_test_add_func ("/cli/surface/expr-grid-and-range", test_expr_grid_and_range);
  g_test_add_func ("/cli/surface/expr-errors", test_expr_errors);
  return g_test_run ();
}
