/* rv-landscape-page.c: a saved run's loss landscape, its training path and
 * its sharpness.  The grid is computed by an RvLandscapeJob; the page wakes
 * only when the job has news (rv-wakeup.h) and shows what is there: a cell
 * not computed yet takes the value of the nearest computed one, so the
 * first pass already paints the whole map in coarse blocks that the later
 * passes refine; a diverged cell (NaN or infinite loss) is left blank, and
 * the status line counts them. */
#include "rv-config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "rv-curve-set.h"
#include "rv-labels.h"
#include "rv-landscape-page.h"
#include "rv-landscape.h"
#include "rv-plot.h"
#include "rv-run-files.h"
#include "rv-run-trajectory.h"
#include "rv-wakeup.h"

typedef struct {
  char *dir, *name;
} RunEntry;

struct _RvLandscapePage
{
  AdwBin parent_instance;

  GtkDropDown *run, *directions;
  GtkButton *open_run, *rescan, *compute, *cancel, *reset_view;
  GtkLabel *run_info, *pca_note, *status, *path_placeholder, *sharpness_placeholder;
  GtkSpinButton *grid, *span, *images, *seed;
  GtkCheckButton *log_color;
  RvSurfaceMap *map;
  RvSurface3d *view3d;
  RvCurveView *path_view, *sharpness_view;
  GtkStack *path_stack, *sharpness_stack;

  const RvDataset *data;
  RvDevice device;
  char *runs_dir;
  GPtrArray *runs;  /* RunEntry, as the chooser lists them */
  gboolean has_trajectory;
  gboolean filling;  /* the chooser is being refilled: no selection handling */

  RvSurfaceModel *model;
  RvSurface *surface;  /* the grid shown, NULL before the first news */
  RvCurveSet *path_curves, *sharpness_curves;
  RvLandscapeJob *job;
  char *job_name;
  GSource *wakeup;
  GTimer *clock;
  gboolean path_shown;
  gboolean new_surface;  /* the next news starts a new picture (another run or size) */
  double explained;  /* the pca plane's share of the path's variance, or NaN */
};

G_DEFINE_FINAL_TYPE (RvLandscapePage, rv_landscape_page, ADW_TYPE_BIN)

static void
run_entry_free (gpointer data)
{
  RunEntry *e = data;
  if (e == NULL)
    return;  /* moved to another array */
  g_free (e->dir);
  g_free (e->name);
  g_free (e);
}

double
rv_landscape_stability_threshold (RvOptimKind kind, double lr, double momentum)
{
  RvOptimConfig cfg;
  rv_optim_config_init (&cfg, kind);
  cfg.lr = lr;
  cfg.momentum = momentum;
  return rv_optim_stability_threshold (&cfg);
}

static const RunEntry *
selected_run (RvLandscapePage *self)
{
  guint i = gtk_drop_down_get_selected (self->run);
  return i < self->runs->len ? g_ptr_array_index (self->runs, i) : NULL;
}

static gboolean
computing (RvLandscapePage *self)
{
  return self->job && rv_landscape_job_get_state (self->job, NULL) == RV_LANDSCAPE_JOB_RUNNING;
}

static void
update_buttons (RvLandscapePage *self)
{
  gboolean busy = computing (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compute), !busy && selected_run (self) && self->data);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel), busy);
}

/* --- the chosen run: what it is, its snapshots, its sharpness --------------- */

static void
show_sharpness (RvLandscapePage *self, const RvTrainConfig *cfg, const RvTrainResults *res)
{
  rv_curve_set_clear (self->sharpness_curves);
  rv_curve_view_set_band (self->sharpness_view, 0, 0, NULL);
  const GArray *s = res ? res->sharpness : NULL;
  if (s == NULL || s->len == 0)
    {
      gtk_label_set_label (self->sharpness_placeholder,
                           _("No sharpness recorded: Track sharpness on the Training page, or ravine-cli train "
                             "--sharpness-every 50, records the Hessian's top eigenvalue as the run trains."));
      gtk_stack_set_visible_child (self->sharpness_stack, GTK_WIDGET (self->sharpness_placeholder));
      return;
    }
  gtk_stack_set_visible_child (self->sharpness_stack, GTK_WIDGET (self->sharpness_view));
  g_autofree double *x = g_new (double, s->len), *y = g_new (double, s->len);
  for (guint k = 0; k < s->len; k++)
    {
      const RvTrainSharpness *p = &g_array_index (s, RvTrainSharpness, k);
      x[k] = (double) p->step;
      y[k] = p->top_eigenvalue;
    }
  guint series = rv_curve_set_add_series (self->sharpness_curves, _("top eigenvalue λ"), NULL, FALSE);
  rv_curve_set_set_points (self->sharpness_curves, series, x, y, s->len);
  double limit = rv_landscape_stability_threshold (cfg->optim.kind, cfg->optim.lr, cfg->optim.momentum);
  if (isfinite (limit))
    {
      /* Translators: the stability threshold of gradient descent, η the learning rate */
      g_autofree char *name = cfg->optim.kind == RV_OPTIM_SGD ? g_strdup (_("2/η"))
                                                              : g_strdup (_("stability threshold"));
      guint line = rv_curve_set_add_series (self->sharpness_curves, name, NULL, TRUE);
      double lx[2] = { x[0], MAX (x[s->len - 1], x[0] + 1) }, ly[2] = { limit, limit };
      rv_curve_set_set_points (self->sharpness_curves, line, lx, ly, 2);
    }
}

static void
run_selected (RvLandscapePage *self)
{
  if (self->filling)
    return;
  const RunEntry *e = selected_run (self);
  self->has_trajectory = FALSE;
  if (e == NULL)
    {
      gtk_label_set_label (self->run_info, self->runs_dir
                           ? _("No saved runs here yet: train one on the Training page or with ravine-cli train.")
                           : "");
      show_sharpness (self, NULL, NULL);
    }
  else
    {
      RvTrainConfig cfg;
      RvTrainResults res = { 0 };
      g_autoptr (GError) error = NULL;
      if (!rv_run_load (e->dir, e->name, &cfg, &res, NULL, &error))
        {
          gtk_label_set_label (self->run_info, error->message);
          show_sharpness (self, NULL, NULL);
        }
      else
        {
          g_autofree char *traj = rv_run_path (e->dir, e->name, RV_RUN_TRAJECTORY_SUFFIX);
          self->has_trajectory = g_file_test (traj, G_FILE_TEST_IS_REGULAR);
          g_autofree char *lr = rv_plot_format_value (cfg.optim.lr);
          /* formatted here, as lr is: printf's %f would follow LC_NUMERIC, not the language */
          g_autofree char *acc = rv_plot_format_number ("%.1f", 100 * res.test_acc);
          /* Translators: optimizer, learning rate, epochs, test accuracy in percent */
          g_autofree char *info = g_strdup_printf (_("%s, lr %s, %u epochs, test accuracy %s %%"),
                                                   rv_label_optimizer (cfg.optim.kind), lr, cfg.epochs, acc);
          gtk_label_set_label (self->run_info, info);
          show_sharpness (self, &cfg, &res);
          rv_train_results_clear (&res);
        }
    }
  /* pca needs the snapshots `ravine-cli train` and the Training page keep */
  gboolean pca_ok = e && self->has_trajectory;
  if (!pca_ok && gtk_drop_down_get_selected (self->directions) == 1)
    gtk_drop_down_set_selected (self->directions, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->directions), pca_ok);
  gtk_label_set_label (self->pca_note, _("PCA needs the run's parameter snapshots, which this run has not kept: "
                                         "the Training page and ravine-cli train keep them (unless "
                                         "--no-trajectory); retrain it to get them."));
  gtk_widget_set_visible (GTK_WIDGET (self->pca_note), e && !pca_ok);
  update_buttons (self);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

/* The chooser lists the runs folder's runs, then runs opened from elsewhere. */
static void
fill_chooser (RvLandscapePage *self, const char *keep_dir, const char *keep_name)
{
  g_autoptr (GPtrArray) others = g_ptr_array_new_with_free_func (run_entry_free);
  for (guint i = 0; i < self->runs->len; i++)
    {
      RunEntry *e = g_ptr_array_index (self->runs, i);
      if (g_strcmp0 (e->dir, self->runs_dir) != 0)
        {
          RunEntry *copy = g_new0 (RunEntry, 1);
          copy->dir = g_strdup (e->dir);
          copy->name = g_strdup (e->name);
          g_ptr_array_add (others, copy);
        }
    }
  g_ptr_array_set_size (self->runs, 0);

  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = self->runs_dir ? g_dir_open (self->runs_dir, 0, NULL) : NULL;
  if (dir)
    {
      const char *file;
      while ((file = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (file, ".config") && strlen (file) > strlen (".config"))
          {
            g_autofree char *name = g_strndup (file, strlen (file) - strlen (".config"));
            if (rv_run_exists (self->runs_dir, name))
              g_ptr_array_add (names, g_steal_pointer (&name));
          }
      g_dir_close (dir);
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      RunEntry *e = g_new0 (RunEntry, 1);
      e->dir = g_strdup (self->runs_dir);
      e->name = g_strdup (g_ptr_array_index (names, i));
      g_ptr_array_add (self->runs, e);
    }
  for (guint i = 0; i < others->len; i++)
    g_ptr_array_add (self->runs, g_steal_pointer (&others->pdata[i]));

  GtkStringList *labels = gtk_string_list_new (NULL);
  guint keep = GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < self->runs->len; i++)
    {
      RunEntry *e = g_ptr_array_index (self->runs, i);
      if (g_strcmp0 (e->dir, self->runs_dir) == 0)
        gtk_string_list_append (labels, e->name);
      else
        {
          g_autofree char *folder = g_path_get_basename (e->dir);
          g_autofree char *label = g_strdup_printf ("%s (%s)", e->name, folder);
          gtk_string_list_append (labels, label);
        }
      if (g_strcmp0 (e->dir, keep_dir) == 0 && g_strcmp0 (e->name, keep_name) == 0)
        keep = i;
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->run, G_LIST_MODEL (labels));
  g_object_unref (labels);
  gtk_drop_down_set_selected (self->run, keep != GTK_INVALID_LIST_POSITION ? keep : 0);
  self->filling = FALSE;
  run_selected (self);
}

void
rv_landscape_page_rescan (RvLandscapePage *self)
{
  const RunEntry *e = selected_run (self);
  g_autofree char *dir = e ? g_strdup (e->dir) : NULL;
  g_autofree char *name = e ? g_strdup (e->name) : NULL;
  fill_chooser (self, dir, name);
}

gboolean
rv_landscape_page_select_run (RvLandscapePage *self, const char *dir, const char *name)
{
  if (!rv_run_exists (dir, name))
    return FALSE;
  gboolean listed = FALSE;
  for (guint i = 0; i < self->runs->len && !listed; i++)
    {
      RunEntry *e = g_ptr_array_index (self->runs, i);
      listed = g_strcmp0 (e->dir, dir) == 0 && g_strcmp0 (e->name, name) == 0;
    }
  if (!listed)
    {
      RunEntry *e = g_new0 (RunEntry, 1);
      e->dir = g_strdup (dir);
      e->name = g_strdup (name);
      g_ptr_array_add (self->runs, e);
    }
  fill_chooser (self, dir, name);
  return TRUE;
}

void
rv_landscape_page_set_data (RvLandscapePage *self, const RvDataset *data, const char *runs_dir)
{
  if (self->data != data)
    rv_landscape_page_shutdown (self);  /* its images were the old data's */
  self->data = data;
  g_free (self->runs_dir);
  self->runs_dir = g_strdup (runs_dir);
  rv_landscape_page_rescan (self);
}

void
rv_landscape_page_set_device (RvLandscapePage *self, const char *device)
{
  if (!device || !rv_device_from_name (device, &self->device))
    self->device = RV_DEVICE_AUTO;
}

static void
run_file_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  RvLandscapePage *self = RV_LANDSCAPE_PAGE (user_data);
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autofree char *base = path ? g_path_get_basename (path) : NULL;
      g_autofree char *dir = path ? g_path_get_dirname (path) : NULL;
      if (base && g_str_has_suffix (base, ".config"))
        base[strlen (base) - strlen (".config")] = '\0';
      if (base == NULL || !rv_landscape_page_select_run (self, dir, base))
        {
          g_autofree char *text = g_strdup_printf (_("%s is not a saved run (a NAME.config beside NAME.safetensors)"),
                                                   path ? path : "?");
          gtk_label_set_label (self->status, text);
        }
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
open_run_clicked (RvLandscapePage *self)
{
  GtkFileChooserNative *chooser
    = gtk_file_chooser_native_new (_("Open Saved Run"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Saved runs (NAME.config)"));
  gtk_file_filter_add_pattern (filter, "*.config");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  if (self->runs_dir)
    {
      g_autoptr (GFile) folder = g_file_new_for_path (self->runs_dir);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  g_signal_connect (chooser, "response", G_CALLBACK (run_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- the computation ------------------------------------------------------ */

/* What the views show of the grid so far: each cell not computed yet takes
 * the value of the nearest computed cell (within the coarse pass's spacing),
 * so that the picture is whole from the first pass on. */
static void
fill_uncomputed (const double *loss, const gboolean *computed, guint n, double *out)
{
  const int reach = 4;
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        gsize c = (gsize) i * n + j;
        out[c] = loss[c];
        if (computed[c])
          continue;
        int best = G_MAXINT;
        out[c] = NAN;
        for (int di = -reach; di <= reach; di++)
          for (int dj = -reach; dj <= reach; dj++)
            {
              int a = (int) i + di, b = (int) j + dj, d = di * di + dj * dj;
              if (a < 0 || b < 0 || a >= (int) n || b >= (int) n || d >= best)
                continue;
              if (computed[(gsize) a * n + b])
                {
                  best = d;
                  out[c] = loss[(gsize) a * n + b];
                }
            }
      }
}

static void
show_path (RvLandscapePage *self)
{
  const double *path, *path_loss;
  const guint32 *epochs;
  double explained;
  guint n = rv_landscape_job_get_path (self->job, &path, &path_loss, &epochs, &explained);
  if (n == 0 || self->path_shown)
    return;
  self->path_shown = TRUE;
  g_autofree RvTrajectoryPoint *points = g_new (RvTrajectoryPoint, n);
  g_autofree double *x = g_new (double, n);
  for (guint k = 0; k < n; k++)
    {
      points[k] = (RvTrajectoryPoint) { .w1 = path[2 * k], .w2 = path[2 * k + 1], .loss = path_loss[k] };
      x[k] = epochs[k];
    }
  rv_surface_model_clear_runs (self->model);
  guint run = rv_surface_model_add_run (self->model, _("Training path"), NULL);
  rv_surface_model_set_run_points (self->model, run, points, n);
  rv_curve_set_clear (self->path_curves);
  guint series = rv_curve_set_add_series (self->path_curves, _("loss on the images"), NULL, FALSE);
  rv_curve_set_set_points (self->path_curves, series, x, path_loss, n);
  gtk_stack_set_visible_child (self->path_stack, GTK_WIDGET (self->path_view));
  self->explained = explained;
}

static void
show_grid (RvLandscapePage *self)
{
  const guint n = rv_landscape_job_get_grid (self->job);
  const double span = rv_landscape_job_get_span (self->job);
  const gsize cells = (gsize) n * n;
  g_autofree double *loss = g_new (double, cells), *shown = g_new (double, cells);
  g_autofree gboolean *computed = g_new (gboolean, cells);
  rv_landscape_job_read (self->job, loss, computed);
  gboolean any = FALSE;
  for (gsize c = 0; c < cells && !any; c++)
    any = computed[c];
  if (!any)
    return;
  fill_uncomputed (loss, computed, n, shown);
  const double range[2][2] = { { -span, span }, { -span, span } };
  if (self->surface && self->new_surface)
    {
      rv_surface_model_set_surface (self->model, NULL, 0);
      g_clear_pointer (&self->surface, rv_surface_free);
    }
  if (self->surface == NULL)
    {
      static const char *const axes[2] = { "α", "β" };
      /* Translators: the run's name */
      g_autofree char *title = g_strdup_printf (_("Loss landscape of %s"), self->job_name);
      self->surface = rv_surface_new_from_grid (title, n, range, shown, axes);
    }
  else
    rv_surface_set_grid_values (self->surface, shown);
  self->new_surface = FALSE;
  /* the same surface resampled: the 3-D view keeps its camera */
  rv_surface_model_set_surface (self->model, self->surface, n);
}

static void
show_status (RvLandscapePage *self, RvLandscapeJobState state, const char *message, guint passes)
{
  const guint n = rv_landscape_job_get_grid (self->job);
  const gsize cells = (gsize) n * n;
  g_autofree double *loss = g_new (double, cells);
  g_autofree gboolean *computed = g_new (gboolean, cells);
  rv_landscape_job_read (self->job, loss, computed);
  guint done = 0, diverged = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (gsize c = 0; c < cells; c++)
    if (computed[c])
      {
        done++;
        if (!isfinite (loss[c]))
          diverged++;
        else
          {
            lo = MIN (lo, loss[c]);
            hi = MAX (hi, loss[c]);
          }
      }
  g_autoptr (GString) text = g_string_new (NULL);
  switch (state)
    {
    case RV_LANDSCAPE_JOB_RUNNING:
      /* Translators: pass number, passes, cells done, cells in all */
      g_string_printf (text, _("Pass %u of %u: %u of %u cells"), MIN (passes + 1, RV_LANDSCAPE_PASSES),
                       RV_LANDSCAPE_PASSES, done, (guint) cells);
      break;
    case RV_LANDSCAPE_JOB_DONE:
      {
        g_autofree char *seconds = rv_plot_format_number ("%.1f", g_timer_elapsed (self->clock, NULL));
        /* Translators: cells per side twice, seconds */
        g_string_printf (text, _("%u × %u cells in %s s"), n, n, seconds);
      }
      break;
    case RV_LANDSCAPE_JOB_CANCELLED:
      g_string_printf (text, _("Cancelled after %u of %u cells"), done, (guint) cells);
      break;
    case RV_LANDSCAPE_JOB_FAILED:
    default:
      g_string_printf (text, _("Could not compute the landscape: %s"), message ? message : "");
      break;
    }
  if (lo <= hi && state != RV_LANDSCAPE_JOB_FAILED)
    {
      g_autofree char *a = rv_plot_format_value (lo), *b = rv_plot_format_value (hi);
      g_string_append_printf (text, _("; loss %s to %s"), a, b);
    }
  if (isfinite (self->explained))
    /* Translators: a percentage */
    g_string_append_printf (text, _("; the plane holds %.0f %% of the path's variance"), 100 * self->explained);
  if (diverged)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "; %u cell diverged (left blank)",
                                               "; %u cells diverged (left blank)", diverged), diverged);
  gtk_label_set_label (self->status, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status), text->str);
}

static gboolean
drain (gpointer data)
{
  RvLandscapePage *self = RV_LANDSCAPE_PAGE (data);
  if (self->job == NULL)
    return G_SOURCE_CONTINUE;
  g_autofree char *message = NULL;
  RvLandscapeJobState state = rv_landscape_job_get_state (self->job, &message);
  guint passes = rv_landscape_job_get_passes (self->job);
  show_path (self);
  show_grid (self);
  show_status (self, state, message, passes);
  update_buttons (self);
  return G_SOURCE_CONTINUE;
}

gboolean
rv_landscape_page_compute (RvLandscapePage *self)
{
  const RunEntry *e = selected_run (self);
  if (e == NULL || self->data == NULL)
    return FALSE;
  rv_landscape_page_shutdown (self);
  guint images = (guint) gtk_spin_button_get_value_as_int (self->images);
  if (images > self->data->train_full->n)
    {
      g_autofree char *text = g_strdup_printf (_("%u images: the training file holds %u"), images,
                                               self->data->train_full->n);
      gtk_label_set_label (self->status, text);
      return FALSE;
    }
  RvLandscapeRequest request = {
    .dir = e->dir, .name = e->name,
    .pca = gtk_drop_down_get_selected (self->directions) == 1 && self->has_trajectory,
    .grid = (guint) gtk_spin_button_get_value_as_int (self->grid),
    .span = gtk_spin_button_get_value (self->span),
    .images = images,
    .seed = (guint64) gtk_spin_button_get_value (self->seed),
    .set = self->data->train_full,
    .device = self->device,
  };
  rv_surface_model_clear_runs (self->model);
  rv_curve_set_clear (self->path_curves);
  gtk_label_set_label (self->path_placeholder, request.pca ? _("Projecting the training path…")
                                                           : _("The training path shows with PCA directions"));
  gtk_stack_set_visible_child (self->path_stack, GTK_WIDGET (self->path_placeholder));
  self->path_shown = FALSE;
  self->new_surface = TRUE;  /* the last picture stays until the first cells arrive */
  self->explained = NAN;
  g_free (self->job_name);
  self->job_name = g_strdup (e->name);
  g_timer_start (self->clock);
  self->job = rv_landscape_job_new (&request, rv_wakeup_signal, self->wakeup);
  gtk_label_set_label (self->status, _("Loading the run…"));
  update_buttons (self);
  return TRUE;
}

void
rv_landscape_page_cancel (RvLandscapePage *self)
{
  if (self->job)
    rv_landscape_job_cancel (self->job);
}

RvLandscapeJobState
rv_landscape_page_get_state (RvLandscapePage *self)
{
  return self->job ? rv_landscape_job_get_state (self->job, NULL) : RV_LANDSCAPE_JOB_DONE;
}

void
rv_landscape_page_shutdown (RvLandscapePage *self)
{
  g_clear_pointer (&self->job, rv_landscape_job_free);
  if (self->compute)
    update_buttons (self);
}

/* --- the page --------------------------------------------------------------- */

AdwFlap *
rv_landscape_page_get_flap (RvLandscapePage *self)
{
  /* the template's root, AdwBin's child: not bound, or it would be unparented twice */
  return ADW_FLAP (adw_bin_get_child (ADW_BIN (self)));
}

RvSurfaceModel *
rv_landscape_page_get_model (RvLandscapePage *self)
{
  return self->model;
}

RvSurfaceMap *
rv_landscape_page_get_map (RvLandscapePage *self)
{
  return self->map;
}

RvSurface3d *
rv_landscape_page_get_3d (RvLandscapePage *self)
{
  return self->view3d;
}

RvCurveView *
rv_landscape_page_get_path_view (RvLandscapePage *self)
{
  return self->path_view;
}

RvCurveView *
rv_landscape_page_get_sharpness_view (RvLandscapePage *self)
{
  return self->sharpness_view;
}

GtkDropDown *
rv_landscape_page_get_directions (RvLandscapePage *self)
{
  return self->directions;
}

GtkWidget *
rv_landscape_page_get_pca_note (RvLandscapePage *self)
{
  return GTK_WIDGET (self->pca_note);
}

GtkLabel *
rv_landscape_page_get_status (RvLandscapePage *self)
{
  return self->status;
}

GtkWidget *
rv_landscape_page_get_sharpness_placeholder (RvLandscapePage *self)
{
  return GTK_WIDGET (self->sharpness_placeholder);
}

static void
log_color_toggled (RvLandscapePage *self)
{
  gboolean on = gtk_check_button_get_active (self->log_color);
  rv_surface_map_set_log_color (self->map, on);
  rv_surface_3d_set_log_color (self->view3d, on);
}

static void
rv_landscape_page_dispose (GObject *object)
{
  RvLandscapePage *self = RV_LANDSCAPE_PAGE (object);
  g_clear_pointer (&self->job, rv_landscape_job_free);
  if (self->wakeup)
    {
      g_source_destroy (self->wakeup);
      g_clear_pointer (&self->wakeup, g_source_unref);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RV_TYPE_LANDSCAPE_PAGE);
  if (self->model)
    rv_surface_model_set_surface (self->model, NULL, 0);
  g_clear_pointer (&self->surface, rv_surface_free);
  g_clear_object (&self->model);
  g_clear_object (&self->path_curves);
  g_clear_object (&self->sharpness_curves);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->runs_dir, g_free);
  g_clear_pointer (&self->job_name, g_free);
  g_clear_pointer (&self->clock, g_timer_destroy);
  G_OBJECT_CLASS (rv_landscape_page_parent_class)->dispose (object);
}

static void
rv_landscape_page_class_init (RvLandscapePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  G_OBJECT_CLASS (klass)->dispose = rv_landscape_page_dispose;
  g_type_ensure (RV_TYPE_SURFACE_MAP);
  g_type_ensure (RV_TYPE_SURFACE_3D);
  g_type_ensure (RV_TYPE_CURVE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ravine/Ravine/ui/rv-landscape-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RvLandscapePage, name)
  BIND (run); BIND (directions); BIND (open_run); BIND (rescan); BIND (compute); BIND (cancel);
  BIND (reset_view); BIND (run_info); BIND (pca_note); BIND (status); BIND (path_placeholder);
  BIND (sharpness_placeholder); BIND (grid); BIND (span); BIND (images); BIND (seed); BIND (log_color);
  BIND (map); BIND (view3d); BIND (path_view); BIND (sharpness_view); BIND (path_stack); BIND (sharpness_stack);
#undef BIND
  gtk_widget_class_bind_template_child_full (widget_class, "form", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "views", FALSE, 0);
}

static void
rv_landscape_page_init (RvLandscapePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->runs = g_ptr_array_new_with_free_func (run_entry_free);
  self->clock = g_timer_new ();
  self->explained = NAN;
  self->model = rv_surface_model_new ();
  self->path_curves = rv_curve_set_new ();
  self->sharpness_curves = rv_curve_set_new ();
  /* the job itself sends news at most twice a second, and at each pass's end */
  self->wakeup = rv_wakeup_new (drain, self, "ravine landscape news", 0);
  rv_chart_set_model (RV_CHART (self->map), self->model);
  rv_surface_3d_set_model (self->view3d, self->model);
  /* the grid's own square, −span .. span, whatever the path does */
  rv_surface_map_set_fit_runs (self->map, FALSE);
  rv_chart_set_model (RV_CHART (self->path_view), self->path_curves);
  rv_curve_view_set_title (self->path_view, _("Loss along the training path"));
  rv_curve_view_set_x_title (self->path_view, _("epoch"));
  rv_curve_view_set_y_title (self->path_view, _("loss"));
  rv_curve_view_set_x_integer (self->path_view, TRUE);
  gtk_label_set_label (self->path_placeholder, _("The training path shows with PCA directions"));
  gtk_stack_set_visible_child (self->path_stack, GTK_WIDGET (self->path_placeholder));
  rv_chart_set_model (RV_CHART (self->sharpness_view), self->sharpness_curves);
  rv_curve_view_set_title (self->sharpness_view, _("Sharpness during training"));
  rv_curve_view_set_x_title (self->sharpness_view, _("step"));
  rv_curve_view_set_y_title (self->sharpness_view, _("top eigenvalue"));
  rv_curve_view_set_x_integer (self->sharpness_view, TRUE);

  g_signal_connect_swapped (self->run, "notify::selected", G_CALLBACK (run_selected), self);
  g_signal_connect_swapped (self->open_run, "clicked", G_CALLBACK (open_run_clicked), self);
  g_signal_connect_swapped (self->rescan, "clicked", G_CALLBACK (rv_landscape_page_rescan), self);
  g_signal_connect_swapped (self->compute, "clicked", G_CALLBACK (rv_landscape_page_compute), self);
  g_signal_connect_swapped (self->cancel, "clicked", G_CALLBACK (rv_landscape_page_cancel), self);
  g_signal_connect_swapped (self->reset_view, "clicked", G_CALLBACK (rv_surface_3d_reset_camera), self->view3d);
  g_signal_connect_swapped (self->log_color, "toggled", G_CALLBACK (log_color_toggled), self);
  run_selected (self);
}
