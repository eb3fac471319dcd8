/* bench-training-page.c (`meson test --benchmark`): how much slower one
 * training epoch is with the Training page open, watching the run with its
 * histograms on at the default cadence (about twice a second), than the same
 * epoch trained directly as `ravine-cli train` does.  Prints the figures; the
 * target is a ratio of at most 1.15.  The two are timed in rounds
 * (RAVINE_BENCH_ROUNDS, 3 by default), the order flipped every round (direct
 * then page, page then direct, ...) so that a machine slowly getting busier
 * or quieter favours neither, and the round with the median ratio is
 * reported with every round's ratio and times, and the best page time over
 * the best direct time (which compares the two where the machine let each
 * run fastest: a shared host can slow everything by a third for seconds at
 * a time, which no one round can tell from the page's cost).  Beside the
 * timings, which a busy machine moves, it prints what moves less: the
 * frames drawn per second while the page trained, and the CPU seconds of the process's threads by
 * name (the run's, OpenBLAS's, the main thread's, a software GL renderer's
 * such as llvmpipe's). */
#include "rv-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app-test-util.h"
#include "rv-application.h"
#include "rv-init-page.h"
#include "rv-train-geometry.h"
#include "rv-training-page.h"
#include "rv-window.h"

static RvWindow *window;
static RvTrainingPage *page;

static gboolean
data_ready (gpointer data)
{
  return rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window))) != NULL;
}

static double
process_seconds (void)
{
  struct rusage use;
  getrusage (RUSAGE_SELF, &use);
  return use.ru_utime.tv_sec + use.ru_stime.tv_sec + (use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6;
}

static gboolean
settled (gpointer data)
{
  RvRunState s = rv_training_page_get_run_state (page, GPOINTER_TO_UINT (data));
  return s == RV_RUN_DONE || s == RV_RUN_DIVERGED || s == RV_RUN_CANCELLED || s == RV_RUN_FAILED;
}

static void
count_frame (GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
painted (gpointer data)
{
  return *(guint *) data > 0;
}

/* The first mapped label under widget, or NULL */
static GtkWidget *
find_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child);
      if (found)
        return found;
    }
  return NULL;
}

/* What one frame costs with nothing else to do, when only `widget`
 * changed (a label's text, else its opacity): wall milliseconds, and
 * through *cpu_ms the milliseconds of the process's CPU time (all threads:
 * the main one's layout and drawing, a software GL renderer's
 * rasterizing).  A frame where nothing changed draws nothing. */
static double
frame_cost (GtkWidget *widget, double *cpu_ms)
{
  g_autofree char *text = GTK_IS_LABEL (widget) ? g_strdup (gtk_label_get_label (GTK_LABEL (widget))) : NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint paints = 0;
  gulong id = g_signal_connect_after (clock, "paint", G_CALLBACK (count_frame), &paints);
  const int n = 20;
  double wall = 0.0, cpu = 0.0;
  for (int i = -2; i < n; i++)
    {
      paints = 0;
      struct rusage a, b;
      getrusage (RUSAGE_SELF, &a);
      gint64 t0 = g_get_monotonic_time ();
      if (text)
        gtk_label_set_label (GTK_LABEL (widget), i % 2 ? text : "·");
      else
        gtk_widget_set_opacity (widget, i % 2 ? 1.0 : 0.99);
      app_test_wait_for (painted, &paints, 5);
      gint64 t1 = g_get_monotonic_time ();
      getrusage (RUSAGE_SELF, &b);
      if (i < 0) /* the first frames may upload what the others reuse */
        continue;
      wall += (t1 - t0) / 1e3;
      cpu += (b.ru_utime.tv_sec - a.ru_utime.tv_sec + b.ru_stime.tv_sec - a.ru_stime.tv_sec) * 1e3
             + (b.ru_utime.tv_usec - a.ru_utime.tv_usec + b.ru_stime.tv_usec - a.ru_stime.tv_usec) / 1e3;
    }
  g_signal_handler_disconnect (clock, id);
  if (text)
    gtk_label_set_label (GTK_LABEL (widget), text);
  gtk_widget_set_opacity (widget, 1.0);
  *cpu_ms = cpu / n;
  return wall / n;
}

/* CPU seconds of each of this process's threads, summed by thread name
 * (Linux: /proc/self/task/N/stat; empty elsewhere): the main thread as
 * "main", the threads it started (OpenBLAS's) under the program's name,
 * numbered ones together (llvmpipe-0 and llvmpipe-1 as llvmpipe-). */
static GHashTable *
thread_seconds (void)
{
  GHashTable *by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  double tick = (double) sysconf (_SC_CLK_TCK);
  while (tasks && (tid = g_dir_read_name (tasks)))
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *text = NULL;
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      char *open = strchr (text, '('), *close = strrchr (text, ')');
      if (open == NULL || close == NULL)
        continue;
      /* the main thread shares its name with the threads it started (OpenBLAS's) */
      g_autofree char *name = atoi (tid) == getpid () ? g_strdup ("main") : g_strndup (open + 1, close - open - 1);
      g_strchomp (name);
      for (char *end = name + strlen (name); end > name && g_ascii_isdigit (end[-1]); end--)
        end[-1] = '\0';
      /* after the name: the state, then utime and stime as the 12th and 13th */
      g_auto (GStrv) fields = g_strsplit (close + 2, " ", 0);
      if (g_strv_length (fields) < 13)
        continue;
      double secs = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / tick;
      double *sum = g_hash_table_lookup (by_name, name);
      if (sum == NULL)
        {
          sum = g_new0 (double, 1);
          g_hash_table_insert (by_name, g_strdup (name), sum);
        }
      *sum += secs;
    }
  return by_name;
}

/* The CPU seconds each thread name spent between two thread_seconds; a
 * thread that ended in between (the run's own) is in "ended", the rest of
 * the process's time. */
static char *
thread_seconds_json (GHashTable *before, GHashTable *after, double process_seconds)
{
  GString *json = g_string_new ("{");
  double named = 0.0;
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, after);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      double *was = g_hash_table_lookup (before, key);
      double spent = *(double *) value - (was ? *was : 0.0);
      named += spent;
      if (spent >= 0.005)
        g_string_append_printf (json, "\"%s\": %.2f, ", (char *) key, spent);
    }
  g_string_append_printf (json, "\"ended\": %.2f, \"process\": %.2f}", process_seconds - named, process_seconds);
  return g_string_free (json, FALSE);
}

/* One round: the same epochs trained directly and on the page. */
typedef struct {
  double direct_seconds, page_seconds, ratio;
  guint frames;     /* frames painted while the page trained */
  guint snapshots;  /* snapshots the page received */
  char *cpu;        /* the CPU seconds by thread while the page trained, as JSON */
} BenchRound;

static int
compare_ratio (gconstpointer a, gconstpointer b)
{
  double x = ((const BenchRound *) a)->ratio, y = ((const BenchRound *) b)->ratio;
  return (x > y) - (x < y);
}

typedef struct {
  RvTrainer *trainer;
  RvTrainGeometry *geometry;
} DirectRun;

static void
feed_geometry (const RvTrainEvent *ev, gpointer user_data)
{
  DirectRun *direct = user_data;
  rv_train_geometry_on_event (direct->geometry, direct->trainer, ev);
}

/* As `ravine-cli train` runs it: no page, no snapshots for a view, the
 * parameter trajectory kept for the landscape, and everything saved as it
 * saves (the run, then the trajectory beside it), which the page does too. */
static double
time_direct (const RvTrainConfig *cfg, const RvDataset *data, const char *runs)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (RvTrainer) trainer = rv_trainer_new (cfg, data, &error);
  if (trainer == NULL)
    g_error ("%s", error->message);
  g_autoptr (RvTrainGeometry) geometry = rv_train_geometry_new ();
  if (!rv_train_geometry_keep_trajectory (geometry, trainer, NULL))
    g_error ("the trajectory is not kept");
  DirectRun direct = { trainer, geometry };
  if (!rv_trainer_run (trainer, feed_geometry, &direct, &error)
      || !rv_run_save (runs, "direct", cfg, rv_trainer_get_results (trainer), rv_trainer_get_best_net (trainer), &error)
      || !rv_train_geometry_save_trajectory (geometry, runs, "direct", rv_trainer_get_best_net (trainer), &error))
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The same epochs on the page, watched, histograms shown; the earlier
 * round's run is removed first, so that every round's page holds one run. */
static void
time_on_page (const RvTrainConfig *cfg, BenchRound *round)
{
  while (rv_training_page_get_n_runs (page) > 0)
    rv_training_page_remove (page, 0);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint frames = 0;
  /* frames that paint: a frame that only lays out draws nothing */
  gulong id = g_signal_connect_after (clock, "paint", G_CALLBACK (count_frame), &frames);
  g_autoptr (GHashTable) cpu_before = thread_seconds ();
  double process_before = process_seconds ();
  gint64 start = g_get_monotonic_time ();
  guint run = rv_training_page_add_run (page, "page", cfg, TRUE);
  rv_training_page_watch (page, run);
  if (!app_test_wait_for (settled, GUINT_TO_POINTER (run), 600))
    g_error ("the run did not finish");
  round->page_seconds = (g_get_monotonic_time () - start) / 1e6;
  round->frames = frames;
  round->snapshots = rv_training_page_get_n_snapshots (page);
  g_autoptr (GHashTable) cpu_after = thread_seconds ();
  round->cpu = thread_seconds_json (cpu_before, cpu_after, process_seconds () - process_before);
  g_signal_handler_disconnect (clock, id);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  const char *dir = g_getenv ("RAVINE_TEST_DATA_DIR");
  if (dir && g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_setenv ("RAVINE_DATA_DIR", dir, TRUE);
  g_autofree char *runs = g_dir_make_tmp ("ravine-bench-XXXXXX", NULL);
  g_setenv ("RAVINE_RUNS_DIR", runs, TRUE);
  gtk_init ();

  RvApplication *app = rv_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = rv_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 1000);
  rv_window_show_page (window, "training");
  gtk_window_present (GTK_WINDOW (window));
  page = RV_TRAINING_PAGE (rv_window_get_training_page (window));
  if (!app_test_wait_for (data_ready, NULL, 120))
    g_error ("the data did not load");
  const RvDataset *data = rv_init_page_get_dataset (RV_INIT_PAGE (rv_window_get_init_page (window)));

  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  /* RAVINE_BENCH_EPOCHS (default 1): a longer run, whose ratio moves less
   * with what else the machine does */
  const char *epochs = g_getenv ("RAVINE_BENCH_EPOCHS");
  cfg.epochs = epochs ? (uint32_t) CLAMP (g_ascii_strtoull (epochs, NULL, 10), 1, 100) : 1;

  const char *rounds_env = g_getenv ("RAVINE_BENCH_ROUNDS");
  const guint n_rounds = rounds_env ? (guint) CLAMP (g_ascii_strtoull (rounds_env, NULL, 10), 1, 20) : 3;
  BenchRound *rounds = g_new0 (BenchRound, n_rounds);
  for (guint r = 0; r < n_rounds; r++)
    {
      if (r % 2 == 0)
        rounds[r].direct_seconds = time_direct (&cfg, data, runs);
      time_on_page (&cfg, &rounds[r]);
      if (r % 2 == 1)
        rounds[r].direct_seconds = time_direct (&cfg, data, runs);
      rounds[r].ratio = rounds[r].page_seconds / rounds[r].direct_seconds;
    }
  g_autofree BenchRound *sorted = g_memdup2 (rounds, n_rounds * sizeof *rounds);
  qsort (sorted, n_rounds, sizeof *sorted, compare_ratio);
  const BenchRound *median = &sorted[(n_rounds - 1) / 2];
  GString *ratios = g_string_new ("[");
  double best_direct = G_MAXDOUBLE, best_page = G_MAXDOUBLE;
  for (guint r = 0; r < n_rounds; r++)
    {
      g_string_append_printf (ratios, "%s{\"direct\": %.3f, \"page\": %.3f, \"ratio\": %.3f}", r ? ", " : "",
                              rounds[r].direct_seconds, rounds[r].page_seconds, rounds[r].ratio);
      best_direct = MIN (best_direct, rounds[r].direct_seconds);
      best_page = MIN (best_page, rounds[r].page_seconds);
    }
  g_string_append (ratios, "]");

  /* With the runs ended: a frame where one label changed, and one where all
   * of the page did (which is what every frame costs where the renderer
   * cannot draw only what changed) */
  double label_cpu, page_cpu;
  double label_ms = frame_cost (find_label (GTK_WIDGET (page)), &label_cpu);
  double page_ms = frame_cost (GTK_WIDGET (page), &page_cpu);

  printf ("{\"data\": \"%s\", \"direct_seconds\": %.3f, \"page_seconds\": %.3f, \"snapshots\": %u, "
          "\"ratio\": %.3f, \"best_ratio\": %.3f, \"rounds\": %s, \"frames\": %u, \"frames_per_second\": %.1f, \"cpu_seconds\": %s, "
          "\"label_frame_ms\": %.1f, \"label_frame_cpu_ms\": %.1f, \"page_frame_ms\": %.1f, "
          "\"page_frame_cpu_ms\": %.1f}\n",
          data->synthetic ? "synthetic" : "fashion-mnist", median->direct_seconds, median->page_seconds,
          median->snapshots, median->ratio, best_page / best_direct, ratios->str, median->frames, median->frames / median->page_seconds,
          median->cpu, label_ms, label_cpu, page_ms, page_cpu);
  g_string_free (ratios, TRUE);
  for (guint r = 0; r < n_rounds; r++)
    g_free (rounds[r].cpu);
  g_free (rounds);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", runs);
  return system (rm) == 0 ? 0 : 1;
}
