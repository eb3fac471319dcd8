/* rv-cli-landscape.c: `ravine-cli landscape`, the loss of a saved run (or
 * of a weights file, any MLP checkpoint) on a plane through its best
 * parameters, written as DIR/NAME_landscape.safetensors (beside FILE, as
 * FILE less .safetensors + _landscape.safetensors; or --out-file PATH):
 *
 *   x.<parameter>, y.<parameter>  the directions, the checkpoint's names and
 *                                 shapes: a run's layers.2l.weight, a
 *                                 weights file's own (0.weight, fc1.bias)
 *   loss [grid, grid]             row i is beta[i], column j is alpha[j]
 *   alpha [grid], beta [grid]     −span .. +span
 *   path [n, 2], path_loss [n]    pca only: the snapshots in the plane, and
 *                                 each snapshot's own loss on the images
 *
 * A diverged cell (NaN or infinite loss) keeps its NaN or infinity in
 * `loss`; the metadata's "ravine.diverged" counts them and --json prints
 * them as null. */
#include "rv-cli.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "rv-cli-geometry.h"
#include "rv-error.h"
#include "rv-landscape.h"
#include "rv-pca.h"
#include "rv-run-trajectory.h"
#include "rv-safetensors.h"

#define COMMAND "landscape"

static volatile sig_atomic_t interrupted;

static void
on_interrupt (int signum)
{
  interrupted = 1;
}

typedef struct {
  GCancellable *cancellable;
  GTimer *clock;
  double first_pass_seconds;
  uint32_t last_pass;
} Progress;

static void
report_pass (Progress *p, uint32_t done, uint32_t total)
{
  fprintf (stderr, "ravine-cli %s: pass %u of %u done: %u of %u cells, %.1f s\n", COMMAND, p->last_pass + 1,
           RV_LANDSCAPE_PASSES, done, total, g_timer_elapsed (p->clock, NULL));
}

static void
on_cell (uint32_t i, uint32_t j, double loss, uint32_t pass, uint32_t done, uint32_t total, gpointer user_data)
{
  Progress *p = user_data;
  if (interrupted)
    g_cancellable_cancel (p->cancellable);
  /* Cells come pass by pass: a new pass means the last one is done. */
  if (pass != p->last_pass)
    {
      report_pass (p, done - 1, total);
      p->last_pass = pass;
    }
  if (pass == 0)
    p->first_pass_seconds = g_timer_elapsed (p->clock, NULL);
  if (done == total)
    report_pass (p, done, total);
}

/* JSON has no NaN or Infinity: a diverged figure is null. */
static void
add_float (JsonBuilder *b, float v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_float_array (JsonBuilder *b, const char *member, const float *v, size_t n)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (size_t i = 0; i < n; i++)
    add_float (b, v[i]);
  json_builder_end_array (b);
}

typedef struct {
  const char *name, *directions;
  uint32_t grid, images, n_path, diverged;
  double span;
  guint64 seed;
  const float *alpha, *beta, *loss, *path, *path_loss;
  const uint32_t *path_epochs;
  double seconds, first_pass_seconds;
} Landscape;

static void
print_json (const Landscape *l)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, l->name);
  json_builder_set_member_name (b, "directions");
  json_builder_add_string_value (b, l->directions);
  json_builder_set_member_name (b, "grid");
  json_builder_add_int_value (b, l->grid);
  json_builder_set_member_name (b, "span");
  json_builder_add_double_value (b, l->span);
  json_builder_set_member_name (b, "images");
  json_builder_add_int_value (b, l->images);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) l->seed);
  add_float_array (b, "alpha", l->alpha, l->grid);
  add_float_array (b, "beta", l->beta, l->grid);
  json_builder_set_member_name (b, "loss");
  json_builder_begin_array (b);
  for (uint32_t i = 0; i < l->grid; i++)
    {
      json_builder_begin_array (b);
      for (uint32_t j = 0; j < l->grid; j++)
        add_float (b, l->loss[(size_t) i * l->grid + j]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "diverged");
  json_builder_add_int_value (b, l->diverged);
  if (l->path)
    {
      json_builder_set_member_name (b, "path");
      json_builder_begin_array (b);
      for (uint32_t k = 0; k < l->n_path; k++)
        {
          json_builder_begin_array (b);
          add_float (b, l->path[2 * k]);
          add_float (b, l->path[2 * k + 1]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      add_float_array (b, "path_loss", l->path_loss, l->n_path);
      json_builder_set_member_name (b, "path_epochs");
      json_builder_begin_array (b);
      for (uint32_t k = 0; k < l->n_path; k++)
        json_builder_add_int_value (b, l->path_epochs[k]);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, l->seconds);
  json_builder_set_member_name (b, "first_pass_seconds");
  json_builder_add_double_value (b, l->first_pass_seconds);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  rv_cli_print_json (root);
}

static gboolean
write_file (const char *path, const RvCliGeometry *geo, const float *x, const float *y, const Landscape *l,
            GError **error)
{
  const RvNet *layout = geo->best;
  const uint32_t per = 2 * layout->cfg.n_linear;
  RvSafetensor tensors[5 + 4 * RV_MAX_LINEAR];
  size_t n = 0;
  memset (tensors, 0, sizeof tensors);

  tensors[n++] = (RvSafetensor) { .name = "alpha", .n_dims = 1, .shape = { l->grid }, .data = l->alpha };
  tensors[n++] = (RvSafetensor) { .name = "beta", .n_dims = 1, .shape = { l->grid }, .data = l->beta };
  tensors[n++] = (RvSafetensor) { .name = "loss", .n_dims = 2, .shape = { l->grid, l->grid }, .data = l->loss };
  if (l->path)
    {
      tensors[n++] = (RvSafetensor) { .name = "path", .n_dims = 2, .shape = { l->n_path, 2 }, .data = l->path };
      tensors[n++] = (RvSafetensor) { .name = "path_loss", .n_dims = 1, .shape = { l->n_path }, .data = l->path_loss };
    }
  const size_t named_from = n;
  for (int d = 0; d < 2; d++)
    for (uint32_t t = 0; t < per; t++)
      {
        uint32_t li = t / 2;
        const float *dir = d == 0 ? x : y;
        RvSafetensor *s = &tensors[n++];
        g_autofree char *own = rv_cli_geometry_tensor_name (geo, li, t % 2 == 1);
        if (t % 2 == 0)
          *s = (RvSafetensor) { .name = g_strdup_printf ("%c.%s", "xy"[d], own), .n_dims = 2,
                                .shape = { rv_net_fan_out (layout, li), rv_net_fan_in (layout, li) },
                                .data = dir + layout->w_off[li] };
        else
          *s = (RvSafetensor) { .name = g_strdup_printf ("%c.%s", "xy"[d], own), .n_dims = 1,
                                .shape = { rv_net_fan_out (layout, li) }, .data = dir + layout->b_off[li] };
      }

  g_autofree char *images = g_strdup_printf ("%u", l->images);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, l->seed);
  g_autofree char *diverged = g_strdup_printf ("%u", l->diverged);
  char span[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (span, sizeof span, l->span);
  g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (meta, "format", "ravine-landscape");
  g_hash_table_insert (meta, geo->from_weights ? "ravine.weights" : "ravine.run", (char *) l->name);
  g_hash_table_insert (meta, "ravine.directions", (char *) l->directions);
  g_hash_table_insert (meta, "ravine.images", images);
  g_hash_table_insert (meta, "ravine.seed", seed);
  g_hash_table_insert (meta, "ravine.span", span);
  g_hash_table_insert (meta, "ravine.diverged", diverged);
  gboolean ok = rv_safetensors_write (path, tensors, n, meta, error);
  for (size_t i = named_from; i < n; i++)
    g_free ((char *) tensors[i].name);
  return ok;
}

/* Whether the file at path is one of those the landscape is computed from,
 * which --out-file must not replace. */
static gboolean
is_an_input (const char *path, const char *weights, const char *out, const char *name)
{
  GStatBuf target, input;
  if (g_stat (path, &target) != 0)
    return FALSE;
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  if (weights)
    {
      g_ptr_array_add (inputs, g_strdup (weights));
      g_ptr_array_add (inputs, rv_mlp_weights_config_path (weights));
    }
  else
    for (const char **ext = (const char *[]) { ".safetensors", ".config", "_results.json", "_history.json",
                                               "_trajectory.safetensors", NULL }; *ext; ext++)
      g_ptr_array_add (inputs, rv_run_path (out, name, *ext));
  for (guint i = 0; i < inputs->len; i++)
    if (g_stat (g_ptr_array_index (inputs, i), &input) == 0 && input.st_dev == target.st_dev
        && input.st_ino == target.st_ino)
      return TRUE;
  return FALSE;
}

int
rv_cli_landscape (int argc, char **argv)
{
  g_autofree char *out = NULL, *name = NULL, *directions = NULL, *grid_text = NULL, *span_text = NULL;
  g_autofree char *images_text = NULL, *seed_text = NULL, *data = NULL, *device_name = NULL;
  g_autofree char *weights = NULL, *act = NULL, *out_file = NULL;
  gboolean json = FALSE, synthetic = FALSE;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder of the saved run", "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the saved run", "NAME" },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &weights, "Instead of a run: a model's weights, a safetensors file "
      "of Linear layers", "FILE" },
    { "act", 0, 0, G_OPTION_ARG_STRING, &act, "With --weights, the activation when no FILE's .config is beside it "
      "(relu)", "NAME" },
    { "out-file", 0, 0, G_OPTION_ARG_FILENAME, &out_file, "Save the landscape as PATH (default: beside the run "
      "or the weights file)", "PATH" },
    { "directions", 0, 0, G_OPTION_ARG_STRING, &directions, "random (filter-normalized) or pca (of the run's "
      "parameter snapshots) (random)", "random|pca" },
    { "grid", 0, 0, G_OPTION_ARG_STRING, &grid_text, "Cells per side (21)", "N" },
    { "span", 0, 0, G_OPTION_ARG_STRING, &span_text, "alpha and beta run from -SPAN to +SPAN (1.0)", "SPAN" },
    { "images", 0, 0, G_OPTION_ARG_STRING, &images_text, "The first N training images (2048)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Seed of the random directions (1)", "N" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder", "DIR" },
    { "synthetic", 0, 0, G_OPTION_ARG_NONE, &synthetic, "Use the synthetic data set (for runs trained on it)", NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device_name, "Evaluate on auto, cpu or cuda (auto)", "DEVICE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the grid (not the directions) as one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (COMMAND, "Computes the loss of a saved run (or of a model's weights) on a plane through its "
                     "best parameters and saves NAME_landscape.safetensors.", entries, &argc, &argv))
    return RV_EXIT_USAGE;

  g_autoptr (GError) error = NULL;
  guint64 grid = 21, images = 2048, seed = 1;
  double span = 1.0;
  gboolean pca = FALSE;
  if (directions && strcmp (directions, "pca") == 0)
    pca = TRUE;
  else if (directions && strcmp (directions, "random") != 0)
    return rv_cli_usage_error (COMMAND, "unknown directions \"%s\" (known: random, pca)", directions);
  if (pca && weights)
    return rv_cli_usage_error (COMMAND, "--directions pca needs a run's parameter snapshots, which a weights file "
                               "does not have; use --directions random with --weights");
  if (out_file && *out_file == '\0')
    return rv_cli_usage_error (COMMAND, "--out-file needs a path");
  if (grid_text && !rv_cli_parse_uint ("--grid", grid_text, 0, 1001, &grid, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (grid < 2)
    return rv_cli_usage_error (COMMAND, "--grid %s: a landscape needs at least 2 cells per side", grid_text);
  if (span_text && !rv_cli_parse_double ("--span", span_text, -G_MAXDOUBLE, G_MAXDOUBLE, &span, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (!(span > 0.0))
    return rv_cli_usage_error (COMMAND, "--span %s: the span must be positive", span_text);
  if (images_text && !rv_cli_parse_uint ("--images", images_text, 1, 60000, &images, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);
  if (seed_text && !rv_cli_parse_uint ("--seed", seed_text, 0, G_MAXINT64, &seed, &error))
    return rv_cli_usage_error (COMMAND, "%s", error->message);

  g_auto (RvCliGeometry) geo = { .best = NULL };
  const RvCliGeometrySource src = { .out = out, .name = name, .weights = weights, .act = act };
  int status = rv_cli_geometry_open (&geo, COMMAND, &src, data, synthetic, (uint32_t) images, device_name);
  if (status != RV_EXIT_OK)
    return status;
  if (out_file && is_an_input (out_file, weights, out, name))
    return rv_cli_usage_error (COMMAND, "--out-file %s is a file the landscape is computed from; save it elsewhere",
                               out_file);
  /* From here on NAME is the run's, or the weights file's. */
  g_free (name);
  name = g_strdup (geo.name);
  const RvNet *best = geo.best;
  const float *theta = best->params;
  const size_t d = best->n_params;
  g_autofree float *x = g_new (float, d);
  g_autofree float *y = g_new (float, d);
  g_autoptr (GTimer) clock = g_timer_new ();

  /* The path: each snapshot's place in the plane and its own loss. */
  g_autoptr (RvRunTrajectory) traj = NULL;
  g_autofree float *path = NULL, *path_loss = NULL;
  if (pca)
    {
      traj = rv_run_trajectory_load (out, name, best, &error);
      if (traj == NULL)
        return g_error_matches (error, RV_ERROR, RV_ERROR_ARGUMENT) ? rv_cli_usage_error (COMMAND, "%s", error->message)
                                                                    : rv_cli_failure (COMMAND, error);
      g_autofree double *coords = g_new (double, 2 * traj->n);
      double explained = 0.0;
      if (!rv_pca_plane ((const float *const *) traj->params, traj->n, d, theta, x, y, coords, &explained, &error))
        return rv_cli_usage_error (COMMAND, "%s: %s; use --directions random", name, error->message);
      path = g_new (float, 2 * traj->n);
      path_loss = g_new (float, traj->n);
      for (uint32_t k = 0; k < traj->n; k++)
        {
          double loss;
          path[2 * k] = (float) coords[2 * k];
          path[2 * k + 1] = (float) coords[2 * k + 1];
          if (!rv_loss_set_loss (geo.loss_set, traj->params[k], &loss, &error))
            return rv_cli_failure (COMMAND, error);
          path_loss[k] = (float) loss;
        }
      fprintf (stderr, "ravine-cli %s: %u snapshots; the two directions hold %.1f%% of their variance\n", COMMAND,
               traj->n, 100 * explained);
    }
  else
    {
      rv_landscape_random_direction (best, theta, seed, 0, x);
      rv_landscape_random_direction (best, theta, seed, 1, y);
    }

  g_autofree double *loss = g_new (double, grid * grid);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Progress progress = { .cancellable = cancellable, .clock = clock };
  struct sigaction sa = { .sa_handler = on_interrupt }, old_int, old_term;
  sigaction (SIGINT, &sa, &old_int);
  sigaction (SIGTERM, &sa, &old_term);
  gboolean ok = rv_landscape_compute (geo.loss_set, theta, x, y, (uint32_t) grid, span, loss, on_cell, &progress,
                                      cancellable, &error);
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  if (!ok)
    {
      if (g_error_matches (error, RV_ERROR, RV_ERROR_CANCELLED))
        {
          fprintf (stderr, "ravine-cli %s: %s; nothing was saved\n", COMMAND, error->message);
          return 130;
        }
      return rv_cli_failure (COMMAND, error);
    }
  double seconds = g_timer_elapsed (clock, NULL);

  g_autofree float *alpha = g_new (float, grid), *beta = g_new (float, grid);
  g_autofree float *loss_f = g_new (float, grid * grid);
  uint32_t diverged = 0;
  for (uint32_t k = 0; k < grid; k++)
    alpha[k] = beta[k] = (float) rv_landscape_coordinate (k, (uint32_t) grid, span);
  for (size_t c = 0; c < grid * grid; c++)
    {
      loss_f[c] = (float) loss[c];
      diverged += !isfinite (loss_f[c]);
    }
  Landscape l = {
    .name = name, .directions = pca ? "pca" : "random", .grid = (uint32_t) grid, .images = (uint32_t) images,
    .n_path = traj ? traj->n : 0, .diverged = diverged, .span = span, .seed = seed, .alpha = alpha, .beta = beta,
    .loss = loss_f, .path = path, .path_loss = path_loss, .path_epochs = traj ? traj->epochs : NULL,
    .seconds = seconds, .first_pass_seconds = progress.first_pass_seconds,
  };
  g_autofree char *file = NULL;
  if (out_file)
    file = g_strdup (out_file);
  else if (weights)
    {
      g_autofree char *stem = g_str_has_suffix (weights, ".safetensors")
                                ? g_strndup (weights, strlen (weights) - strlen (".safetensors"))
                                : g_strdup (weights);
      file = g_strconcat (stem, "_landscape.safetensors", NULL);
    }
  else
    file = rv_run_path (out, name, "_landscape.safetensors");
  if (!write_file (file, &geo, x, y, &l, &error))
    return rv_cli_failure (COMMAND, error);

  if (json)
    print_json (&l);
  else
    {
      float lo = INFINITY, hi = -INFINITY;
      for (size_t c = 0; c < grid * grid; c++)
        if (isfinite (loss_f[c]))
          {
            lo = MIN (lo, loss_f[c]);
            hi = MAX (hi, loss_f[c]);
          }
      printf ("%s: %s landscape of %ux%u cells on %u images in %.1f s (first pass %.1f s); loss %.4g to %.4g",
              name, l.directions, l.grid, l.grid, l.images, seconds, l.first_pass_seconds, lo, hi);
      if (diverged)
        printf (", %u cells diverged", diverged);
      printf ("; saved %s\n", file);
    }
  return rv_cli_finish_output (COMMAND);
}
