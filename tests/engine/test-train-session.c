/* test-train-session.c: the Training page's sessions without a window: a
 * paused run gives its core to a waiting one, a resumed one waits for a core,
 * a cancelled one restarts; every run's history arrives as it is recorded
 * and again, whole, with the results and when the run is reused from disk;
 * the UI is woken only when the queue was empty; a run with sharpness on
 * streams its points at the steps asked for, the last equal to the
 * sharpness of the saved checkpoint, and saves them, one without saves
 * none; every run's trajectory is saved and loads. */
#include <glib.h>
#include <math.h>
#include <stdlib.h>

#include "rv-error.h"
#include "rv-run-trajectory.h"
#include "rv-sharpness.h"
#include "rv-train-geometry.h"
#include "rv-train-session.h"

static RvDataset *data;
static char *save_dir;

static void
small_config (RvTrainConfig *cfg, uint32_t epochs)
{
  rv_train_config_init_default (cfg);
  const uint32_t hidden[] = { 16 };
  rv_net_config_init (&cfg->net, RV_ACT_RELU, hidden, 1);
  rv_optim_config_init (&cfg->optim, RV_OPTIM_SGD);
  cfg->optim.lr = 0.05;
  cfg->train_limit = 1000;
  cfg->batch_size = 50;
  cfg->epochs = epochs;
  cfg->history_every = 4;
}

typedef struct {
  gint notified;
  gint urgent;            /* of them, for a change of state */
  guint state_events;     /* STARTED, FINISHED and FAILED events taken */
  guint history[8];       /* HISTORY events per run */
  uint64_t last_step[8];  /* their last step */
} Seen;

static void
on_notify (gpointer user_data, gboolean urgent)
{
  Seen *seen = user_data;
  g_atomic_int_inc (&seen->notified);
  if (urgent)
    g_atomic_int_inc (&seen->urgent);
}

/* Waits for an event of kind for run; counts HISTORY events on the way.
 * The event is returned (free it). */
static RvRunEvent *
wait_for (RvTrainSession *s, Seen *seen, guint run, RvRunEventKind kind)
{
  for (int i = 0; i < 600; i++)
    {
      RvRunEvent *ev = rv_train_session_wait_event (s, 100);
      if (ev == NULL)
        continue;
      if (ev->kind == RV_RUN_EVENT_HISTORY)
        {
          g_assert_cmpuint (ev->step, >, seen->last_step[ev->run]);
          seen->last_step[ev->run] = ev->step;
          seen->history[ev->run]++;
        }
      if (ev->kind == RV_RUN_EVENT_STARTED || ev->kind == RV_RUN_EVENT_FINISHED || ev->kind == RV_RUN_EVENT_FAILED)
        seen->state_events++;
      if (ev->run == run && ev->kind == kind)
        return ev;
      rv_run_event_free (ev);
    }
  g_error ("no event %d for run %u within 60 s", kind, run);
}

static void
wait_state (RvTrainSession *s, guint run, RvRunState want)
{
  for (int i = 0; i < 6000 && rv_train_session_get_state (s, run) != want; i++)
    g_usleep (10000);
  g_assert_cmpint (rv_train_session_get_state (s, run), ==, want);
}

static void
test_pause_frees_core (void)
{
  Seen seen = { 0 };
  RvTrainSession *s = rv_train_session_new (data, save_dir);
  rv_train_session_set_max_active (s, 1);
  rv_train_session_set_notify (s, on_notify, &seen);
  RvTrainConfig long_run, short_run;
  small_config (&long_run, 100000);
  small_config (&short_run, 3);
  guint a = rv_train_session_add (s, "long", &long_run, TRUE);
  guint b = rv_train_session_add (s, "short", &short_run, TRUE);
  rv_run_event_free (wait_for (s, &seen, a, RV_RUN_EVENT_LOSSES));
  /* one core: the second run waits */
  g_assert_cmpint (rv_train_session_get_state (s, b), ==, RV_RUN_QUEUED);

  rv_train_session_set_paused (s, a, TRUE);
  rv_run_event_free (wait_for (s, &seen, b, RV_RUN_EVENT_STARTED));
  /* resumed while the other trains: it waits for the core */
  rv_train_session_set_paused (s, a, FALSE);
  g_assert_cmpint (rv_train_session_get_state (s, a), ==, RV_RUN_QUEUED);
  g_assert_cmpint (rv_train_session_get_state (s, b), ==, RV_RUN_TRAINING);

  RvRunEvent *done = wait_for (s, &seen, b, RV_RUN_EVENT_FINISHED);
  g_assert_no_error (done->error);
  /* 20 steps an epoch, 3 epochs, every 4th: steps 1, 5, ..., 57, and 60 */
  const RvHistory *h = done->results.history;
  g_assert_nonnull (h);
  g_assert_cmpuint (rv_history_get_n (h), ==, 16);
  g_assert_cmpuint (rv_history_get (h, 15)->step, ==, 60);
  g_assert_cmpuint (seen.history[b], ==, 16);
  g_assert_cmpuint (seen.last_step[b], ==, 60);
  rv_run_event_free (done);

  /* the core is free again: the resumed run goes on */
  wait_state (s, a, RV_RUN_TRAINING);
  rv_run_event_free (wait_for (s, &seen, a, RV_RUN_EVENT_LOSSES));
  rv_run_event_free (wait_for (s, &seen, a, RV_RUN_EVENT_LOSSES));

  /* cancelled, then restarted from its start */
  rv_train_session_cancel (s, a);
  RvRunEvent *failed = wait_for (s, &seen, a, RV_RUN_EVENT_FAILED);
  g_assert_cmpint (failed->state, ==, RV_RUN_CANCELLED);
  rv_run_event_free (failed);
  g_assert_false (rv_train_session_restart (s, b)); /* done: nothing to restart */
  g_assert_true (rv_train_session_restart (s, a));
  seen.last_step[a] = 0;
  rv_run_event_free (wait_for (s, &seen, a, RV_RUN_EVENT_STARTED));
  RvRunEvent *again = wait_for (s, &seen, a, RV_RUN_EVENT_HISTORY);
  g_assert_cmpuint (again->step, ==, 1);
  rv_run_event_free (again);
  rv_train_session_cancel (s, a);
  rv_run_event_free (wait_for (s, &seen, a, RV_RUN_EVENT_FAILED));

  /* reused from disk: the saved history comes with the results */
  guint c = rv_train_session_add (s, "short", &short_run, FALSE);
  RvRunEvent *reused = wait_for (s, &seen, c, RV_RUN_EVENT_FINISHED);
  g_assert_true (reused->reused);
  g_assert_no_error (reused->history_error);
  g_assert_nonnull (reused->results.history);
  g_assert_cmpuint (rv_history_get_n (reused->results.history), ==, 16);
  rv_run_event_free (reused);

  /* woken at least once, and never more often than there were events */
  g_assert_cmpint (g_atomic_int_get (&seen.notified), >, 0);
  rv_train_session_free (s);
  /* every change of state woke the UI as urgent, even behind other events
   * (counted once the runs' threads are gone, the notify left in place: a
   * thread notifies just after its event is queued, so the event may be
   * taken first) */
  g_assert_cmpuint (seen.state_events, >=, 4);
  g_assert_cmpint (g_atomic_int_get (&seen.urgent), >=, (gint) seen.state_events);
}

/* A saved run whose history file is broken is reused without it, and the
 * event says why. */
static void
test_broken_history (void)
{
  Seen seen = { 0 };
  RvTrainSession *s = rv_train_session_new (data, save_dir);
  RvTrainConfig cfg;
  small_config (&cfg, 1);
  guint a = rv_train_session_add (s, "broken", &cfg, TRUE);
  rv_run_event_free (wait_for (s, &seen, a, RV_RUN_EVENT_FINISHED));
  g_autofree char *file = g_build_filename (save_dir, "broken_history.json", NULL);
  g_assert_true (g_file_set_contents (file, "[1, 2", -1, NULL));
  guint b = rv_train_session_add (s, "broken", &cfg, FALSE);
  RvRunEvent *ev = wait_for (s, &seen, b, RV_RUN_EVENT_FINISHED);
  g_assert_true (ev->reused);
  g_assert_null (ev->results.history);
  g_assert_nonnull (ev->history_error);
  g_assert_nonnull (g_strstr_len (ev->history_error->message, -1, "broken_history.json"));
  g_assert_cmpuint (ev->results.val_scores->len, ==, 1);
  rv_run_event_free (ev);
  rv_train_session_free (s);
}

/* Trains `name` with sharpness every `every` steps (0: off) and returns its
 * points as the SHARPNESS events brought them (RvTrainSharpness), checking
 * that the results, live and on disk, hold the same. */
static GArray *
train_with_sharpness (const char *name, uint32_t epochs, guint every)
{
  RvTrainSession *s = rv_train_session_new (data, save_dir);
  rv_train_session_set_sharpness_every (s, every);
  RvTrainConfig cfg;
  small_config (&cfg, epochs);
  guint run = rv_train_session_add (s, name, &cfg, TRUE);
  GArray *points = g_array_new (FALSE, FALSE, sizeof (RvTrainSharpness));
  RvRunEvent *finished = NULL;
  for (int i = 0; i < 3000 && finished == NULL; i++)
    {
      RvRunEvent *ev = rv_train_session_wait_event (s, 100);
      if (ev == NULL)
        continue;
      g_assert_cmpint (ev->kind, !=, RV_RUN_EVENT_FAILED);
      if (ev->kind == RV_RUN_EVENT_SHARPNESS)
        {
          RvTrainSharpness p = { .step = ev->step, .top_eigenvalue = ev->top_eigenvalue };
          g_assert_cmpuint (ev->total_steps, ==, (uint64_t) 20 * epochs);
          g_array_append_val (points, p);
        }
      if (ev->kind == RV_RUN_EVENT_FINISHED && ev->run == run)
        finished = ev;
      else
        rv_run_event_free (ev);
    }
  g_assert_nonnull (finished);
  g_assert_no_error (finished->error);
  g_assert_no_error (finished->trajectory_error);

  RvTrainConfig saved;
  RvTrainResults res = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load (save_dir, name, &saved, &res, NULL, &error));
  g_assert_no_error (error);
  const GArray *lists[] = { finished->results.sharpness, res.sharpness };
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      if (every == 0)
        {
          g_assert_null (lists[l]);
          continue;
        }
      g_assert_nonnull (lists[l]);
      g_assert_cmpuint (lists[l]->len, ==, points->len);
      for (guint i = 0; i < points->len; i++)
        {
          const RvTrainSharpness *a = &g_array_index (points, RvTrainSharpness, i);
          const RvTrainSharpness *b = &g_array_index (lists[l], RvTrainSharpness, i);
          g_assert_cmpuint (a->step, ==, b->step);
          g_assert_cmpfloat_with_epsilon (a->top_eigenvalue, b->top_eigenvalue, 1e-6 * fabs (a->top_eigenvalue));
        }
    }
  rv_train_results_clear (&res);
  rv_run_event_free (finished);
  rv_train_session_free (s);
  return points;
}

/* The trajectory beside the run: epochs 0..epochs, the first the
 * initialization that a trainer of the same config starts from. */
static void
check_trajectory (const char *name, uint32_t epochs)
{
  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  g_autoptr (RvNet) net = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load (save_dir, name, &cfg, &res, &net, &error));
  rv_train_results_clear (&res);
  g_autoptr (RvRunTrajectory) traj = rv_run_trajectory_load (save_dir, name, net, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (traj->n, ==, epochs + 1);
  for (uint32_t k = 0; k <= epochs; k++)
    g_assert_cmpuint (traj->epochs[k], ==, k);
  small_config (&cfg, epochs);
  g_autoptr (RvTrainer) fresh = rv_trainer_new (&cfg, data, &error);
  g_assert_no_error (error);
  size_t n = 0;
  g_autofree float *init = rv_trainer_dup_params (fresh, &n);
  g_assert_cmpuint (n, ==, net->n_params);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpfloat (traj->params[0][i], ==, init[i]);
}

/* Every 5 steps of one epoch of 20: 0, 5, 10, 15, 20; the last is taken at
 * the parameters that are saved (one epoch: the best is the last), so it is
 * the sharpness of the saved checkpoint, measured here again. */
static void
test_sharpness_every (void)
{
  g_autoptr (GArray) points = train_with_sharpness ("sharp", 1, 5);
  g_assert_cmpuint (points->len, ==, 5);
  for (guint i = 0; i < points->len; i++)
    {
      const RvTrainSharpness *p = &g_array_index (points, RvTrainSharpness, i);
      g_assert_cmpuint (p->step, ==, 5 * i);
      g_assert_true (isfinite (p->top_eigenvalue) && p->top_eigenvalue > 0);
    }
  check_trajectory ("sharp", 1);

  RvTrainConfig cfg;
  RvTrainResults res = { 0 };
  g_autoptr (RvNet) net = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_run_load (save_dir, "sharp", &cfg, &res, &net, &error));
  rv_train_results_clear (&res);
  g_autoptr (RvNet) eval = rv_net_new (&cfg.net, rv_backend_cpu ());
  g_autoptr (RvLossSet) ls = rv_loss_set_new (eval, data->train_full, RV_TRAIN_SESSION_SHARPNESS_IMAGES, &error);
  g_assert_no_error (error);
  RvSharpnessConfig sc;
  rv_sharpness_config_init_default (&sc);
  sc.max_iters = RV_TRAIN_SHARPNESS_ITERS;
  sc.tol = RV_TRAIN_SHARPNESS_TOL;
  RvSharpnessResult sr;
  g_assert_true (rv_sharpness_top_eigenvalue (ls, net->params, &sc, &sr, NULL, &error));
  double last = g_array_index (points, RvTrainSharpness, 4).top_eigenvalue;
  g_assert_cmpfloat_with_epsilon (last, sr.top_eigenvalue, 1e-4 * sr.top_eigenvalue);
  /* and the start's is not the end's: the points follow the parameters */
  g_assert_cmpfloat (fabs (g_array_index (points, RvTrainSharpness, 0).top_eigenvalue - last), >, 1e-3 * last);
}

/* The automatic cadence: about 20 measurements after the start's, at
 * ceil(40 / 20) = 2 steps apart; and none at all with sharpness off. */
static void
test_sharpness_auto_and_off (void)
{
  g_autoptr (GArray) points = train_with_sharpness ("sharp-auto", 2, RV_TRAIN_SESSION_SHARPNESS_AUTO);
  g_assert_cmpuint (points->len, ==, 21);
  for (guint i = 0; i < points->len; i++)
    g_assert_cmpuint (g_array_index (points, RvTrainSharpness, i).step, ==, 2 * i);
  g_autoptr (GArray) none = train_with_sharpness ("sharp-off", 2, 0);
  g_assert_cmpuint (none->len, ==, 0);
  check_trajectory ("sharp-off", 2);
}

/* A run paused while it measures gives its core up and, resumed, still
 * delivers every point; a cancel during one ends the run. */
static void
test_sharpness_pause_cancel (void)
{
  Seen seen = { 0 };
  RvTrainSession *s = rv_train_session_new (data, save_dir);
  rv_train_session_set_max_active (s, 1);
  rv_train_session_set_sharpness_every (s, 1);
  RvTrainConfig cfg;
  small_config (&cfg, 1);
  guint run = rv_train_session_add (s, "sharp-pause", &cfg, TRUE);
  rv_run_event_free (wait_for (s, &seen, run, RV_RUN_EVENT_SHARPNESS));
  rv_train_session_set_paused (s, run, TRUE);
  wait_state (s, run, RV_RUN_PAUSED);
  g_usleep (200000);
  rv_train_session_set_paused (s, run, FALSE);
  guint n = 1;
  RvRunEvent *ev;
  while ((ev = wait_for (s, &seen, run, RV_RUN_EVENT_SHARPNESS)) && ev->step < 20)
    {
      g_assert_cmpuint (ev->step, ==, n);
      n++;
      rv_run_event_free (ev);
    }
  g_assert_cmpuint (ev->step, ==, 20);
  rv_run_event_free (ev);
  rv_run_event_free (wait_for (s, &seen, run, RV_RUN_EVENT_FINISHED));

  guint other = rv_train_session_add (s, "sharp-cancel", &cfg, TRUE);
  rv_run_event_free (wait_for (s, &seen, other, RV_RUN_EVENT_SHARPNESS));
  rv_train_session_cancel (s, other);
  ev = wait_for (s, &seen, other, RV_RUN_EVENT_FAILED);
  g_assert_cmpint (ev->state, ==, RV_RUN_CANCELLED);
  rv_run_event_free (ev);
  rv_train_session_free (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  data = rv_dataset_new_synthetic (2000, 200, 5);
  g_autoptr (GError) error = NULL;
  save_dir = g_dir_make_tmp ("ravine-session-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/train-session/pause-frees-core", test_pause_frees_core);
  g_test_add_func ("/train-session/broken-history", test_broken_history);
  g_test_add_func ("/train-session/sharpness-every", test_sharpness_every);
  g_test_add_func ("/train-session/sharpness-auto-and-off", test_sharpness_auto_and_off);
  g_test_add_func ("/train-session/sharpness-pause-cancel", test_sharpness_pause_cancel);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", save_dir);
  (void) system (cmd);
  rv_dataset_free (data);
  g_free (save_dir);
  return status;
}
