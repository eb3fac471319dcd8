/* rv-cli-sharpness.c: `ravine-cli sharpness`, the top eigenvalue of the
 * loss's Hessian at a saved run's best parameters or at a weights file's
 * (rv-sharpness.h).  The exact Hessian-vector products run on the CPU. */
#include "rv-cli.h"

#include <math.h>
#include <stdio.h>

#include "rv-cli-geometry.h"
#include "rv-error.h"
#include "rv-sharpness.h"

#define COMMAND "sharpness"

static void
add_number (JsonBuilder *b, const char *member, double v)
{
  json_builder_set_member_name (b, member);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

int
rv_cli_sharpness (int argc, char **argv)
{
  g_autofree char *out = NULL, *name = NULL, *images_text = NULL, *iters_text = NULL, *tol_text = NULL;
  g_autofree char *seed_text = NULL, *data = NULL, *weights = NULL, *act = NULL;
  gboolean json = FALSE, synthetic = FALSE;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder of the saved run", "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the saved run", "NAME" },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights, "Instead of a run: a model's weights, a safetensors file "
      "of Linear layers", "FILE" },
    { "act", 0, 0, G_OPTION_ARG_STRING, &act, "With --weights, the activation when no FILE's .config is beside it "
      "(relu)", "NAME" },
    { "images", 0, 0, G_OPTION_ARG_STRING, &images_text, "The first N training images (2048)", "N" },
    { "iters", 0, 0, G_OPTION_ARG_STRING, &iters_text, "At most N Lanczos steps, each one Hessian-vector product (100)", "N" },
    { "tol", 0, 0, G_OPTION_ARG_STRING, &tol_text, "Stop at a relative change of the eigenvalue below TOL (1e-4)", "TOL" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Seed of the starting vector (1)", "N" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set (for runs trained on it)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Estimates the largest eigenvalue of the Hessian of a saved run's loss at its "
                     "best parameters, or of a model's at its weights (Lanczos iteration on Hessian-vector products).", entries, &argc, &argv))
    return RV_EXIT_USAGE;

  g_autoptr (GError) error = NULL;
  RvSharpnessConfig cfg;
  guint64 images = 2048, v = 0;
  rv_sharpness_config_init_default (&cfg);
  if (images_text && !rv_cli_parse_uint ("--images", images_text, 1, 60000, &images, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (iters_text && !rv_cli_parse_uint ("--iters", iters_text, 1, 100000, &v, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (iters_text)
    cfg.max_iters = (uint32_t) v;
  if (tol_text && !rv_cli_parse_double ("--tol", tol_text, 0.0, 1.0, &cfg.tol, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (seed_text && !rv_cli_parse_uint ("--seed", seed_text, 0, G_MAXINT64, &cfg.seed, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  g_auto (RvCliGeometry) geo = { .best = NULL };
  const RvCliGeometrySource src = { .out = out, .name = name, .weights = weights, .act = act };
  int status = rv_cli_geometry_open (&geo, COMMAND, &src, data, synthetic, (uint32_t) images, "cpu");
  if (status != RV_EXIT_OK)
    return status;

  RvSharpnessResult res;
  g_autoptr (GTimer) clock = g_timer_new ();
  if (!rv_sharpness_top_eigenvalue (geo.loss_set, geo.best->params, &cfg, &res, NULL, &error))
    return rv_cli_failure (COMMAND, error);
  double seconds = g_timer_elapsed (clock, NULL);
  if (!res.converged)
    fprintf (stderr, "ravine-cli %s: not converged after %u iterations (relative change %.3g > %g)\n", COMMAND,
             res.iterations, res.relative_change, cfg.tol);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_number (b, "top_eigenvalue", res.top_eigenvalue);
      json_builder_set_member_name (b, "iterations");
      json_builder_add_int_value (b, res.iterations);
      add_number (b, "relative_change", res.relative_change);
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      rv_cli_print_json (root);
    }
  else
    printf ("%s: top Hessian eigenvalue %.6g after %u iterations (relative change %.3g) on %u images in %.1f s\n",
            geo.name, res.top_eigenvalue, res.iterations, res.relative_change, (uint32_t) images, seconds);
  return rv_cli_finish_output (COMMAND);
}
