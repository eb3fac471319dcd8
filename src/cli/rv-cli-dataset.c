/* rv-cli-dataset.c: `ravine-cli dataset download|verify|info`: fetch the
 * four FashionMNIST files, check them against their SHA-256 sums, and say
 * where Ravine looks for them and what it finds there. */
#include "rv-cli.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv-dataset-files.h"
#include "rv-download.h"
#include "rv-error.h"
#include "rv-file.h"

#define EXIT_CANCELLED 130 /* as a shell reports a Ctrl-C */

/* Sizes as "26.4 MB", in plain ASCII: progress often lands in logs. */
static char *
format_size (guint64 bytes)
{
  if (bytes >= 1000 * 1000)
    return g_strdup_printf ("%.1f MB", (double) bytes / 1e6);
  if (bytes >= 1000)
    return g_strdup_printf ("%.1f kB", (double) bytes / 1e3);
  return g_strdup_printf ("%" G_GUINT64_FORMAT " bytes", bytes);
}

/* ---- download ---- */

typedef struct {
  GMainLoop *loop;
  GError *error;
  gboolean tty;
  gboolean bar_shown;   /* a progress line waits to be ended */
  guint last_file;      /* the file of the previous status, or G_MAXUINT */
  RvDownloadStage last_stage;
  int last_decile;      /* the last tenth of the total printed as a line */
} Download;

static gboolean
on_signal (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_CONTINUE;
}

static void
end_bar (Download *d)
{
  if (d->bar_shown)
    fputc ('\n', stderr);
  d->bar_shown = FALSE;
}

static void
draw_bar (Download *d, const RvDownloadStatus *s)
{
  double frac = s->total > 0 ? (double) s->done / (double) s->total : 0.0;
  frac = CLAMP (frac, 0.0, 1.0);
  char bar[31];
  int filled = (int) (frac * 30);
  for (int i = 0; i < 30; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[30] = '\0';
  g_autofree char *done = format_size (s->done);
  g_autofree char *total = format_size (s->total);
  if (s->stage == RV_DOWNLOAD_STAGE_RETRYING)
    {
      /* The reason is worth a line of its own, kept above the bar. */
      fprintf (stderr, "\r\033[K%s: %s; trying again\n", s->file, s->retry_reason);
    }
  const char *what = s->stage == RV_DOWNLOAD_STAGE_CHECKING ? "checking "
                     : s->stage == RV_DOWNLOAD_STAGE_RETRYING ? "retrying " : "";
  fprintf (stderr, "\r\033[K[%s] %3.0f%%  %s of %s  %s%s (%u/%u)", bar, 100 * frac, done, total, what,
           s->file, s->file_index + 1, s->n_files);
  d->bar_shown = TRUE;
}

/* Not a terminal: a line per event worth a line, and one per tenth. */
static void
print_line (Download *d, const RvDownloadStatus *s)
{
  g_autofree char *size = format_size (s->file_size);
  switch (s->stage)
    {
    case RV_DOWNLOAD_STAGE_CHECKING:
      fprintf (stderr, "%s: checking the copy already there\n", s->file);
      break;
    case RV_DOWNLOAD_STAGE_RETRYING:
      fprintf (stderr, "%s: %s; trying again\n", s->file, s->retry_reason);
      break;
    case RV_DOWNLOAD_STAGE_FINISHED:
      if (d->last_stage == RV_DOWNLOAD_STAGE_CHECKING && d->last_file == s->file_index)
        fprintf (stderr, "%s: already there, SHA-256 OK\n", s->file);
      else
        fprintf (stderr, "%s: done, %s, SHA-256 checked\n", s->file, size);
      break;
    case RV_DOWNLOAD_STAGE_RECEIVING:
      if (s->file_index != d->last_file || d->last_stage != RV_DOWNLOAD_STAGE_RECEIVING)
        {
          if (s->resumed_at > 0)
            {
              g_autofree char *done = format_size (s->resumed_at);
              fprintf (stderr, "%s: resuming at %s of %s\n", s->file, done, size);
            }
          else
            fprintf (stderr, "%s: downloading %s\n", s->file, s->file_size ? size : "(size not known yet)");
        }
      break;
    }
  int decile = s->total > 0 ? (int) (10 * s->done / s->total) : 0;
  if (s->stage == RV_DOWNLOAD_STAGE_RECEIVING && decile > d->last_decile && decile < 10)
    {
      g_autofree char *done = format_size (s->done);
      g_autofree char *total = format_size (s->total);
      fprintf (stderr, "%.0f%% (%s of %s)\n", floor (100.0 * (double) s->done / (double) s->total), done, total);
      d->last_decile = decile;
    }
}

static void
on_progress (const RvDownloadStatus *s, gpointer data)
{
  Download *d = data;
  if (d->tty)
    draw_bar (d, s);
  else
    print_line (d, s);
  d->last_file = s->file_index;
  d->last_stage = s->stage;
  fflush (stderr);
}

static void
on_downloaded (GObject *source, GAsyncResult *result, gpointer data)
{
  Download *d = data;
  rv_download_fashion_mnist_finish (result, &d->error);
  g_main_loop_quit (d->loop);
}

static int
dataset_download (int argc, char **argv)
{
  const char *command = "dataset download";
  g_autofree char *url = NULL, *data = NULL;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Where the files are (default: $RAVINE_DATA_URL, then "
      RV_DOWNLOAD_DEFAULT_URL ")", "BASE" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "Folder to put them in (default: $RAVINE_DATA_DIR, then the user cache)", "DIR" },
    { NULL }
  };
  if (!rv_cli_parse (command, "Downloads the four FashionMNIST files (about 30 MB) and checks each against its "
                     "SHA-256 before keeping it.\nFiles already there and intact are kept; an interrupted "
                     "download resumes where it stopped.\nCtrl-C cancels.", entries, &argc, &argv))
    return RV_EXIT_USAGE;
  /* An empty value is a mistake (an unset variable in a script), not a
   * wish for the default internet mirror or folder. */
  if (url != NULL && *url == '\0')
    return rv_cli_usage_error (command, "--url is empty; give a base URL such as %s", RV_DOWNLOAD_DEFAULT_URL);
  if (data != NULL && *data == '\0')
    return rv_cli_usage_error (command, "--data is empty; give the folder to put the files in");

  g_autofree char *dir = rv_dataset_find_dir (data);
  const char *base = rv_download_base_url (url);
  fprintf (stderr, "Downloading FashionMNIST from %s\n  into %s\n", base, dir);

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Download d = { .loop = loop, .tty = isatty (STDERR_FILENO), .last_file = G_MAXUINT };
  guint sigint = g_unix_signal_add (SIGINT, on_signal, cancellable);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, cancellable);
  rv_download_fashion_mnist_async (base, dir, cancellable, on_progress, &d, on_downloaded, &d);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  end_bar (&d);

  g_autoptr (GError) error = d.error;
  if (error != NULL)
    {
      if (g_error_matches (error, RV_ERROR, RV_ERROR_ARGUMENT))
        return rv_cli_usage_error (command, "%s", error->message);
      rv_cli_failure (command, error);
      return g_error_matches (error, RV_ERROR, RV_ERROR_CANCELLED) ? EXIT_CANCELLED : RV_EXIT_FAILURE;
    }

  printf ("FashionMNIST is ready in %s (4 files, SHA-256 checked).\n", dir);
  g_autofree char *usual = rv_dataset_find_dir (NULL);
  if (strcmp (usual, dir) != 0)
    printf ("Ravine looks in %s by default: give --data %s or set RAVINE_DATA_DIR=%s.\n", usual, dir, dir);
  return rv_cli_finish_output (command);
}

/* ---- verify ---- */

static int
dataset_verify (int argc, char **argv)
{
  const char *command = "dataset verify";
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder (default: $RAVINE_DATA_DIR, then the user cache)", "DIR" },
    { NULL }
  };
  if (!rv_cli_parse (command, "Checks the four FashionMNIST files against the SHA-256 sums of the official files, "
                     "one line each.\nExits with 1 if any is missing or different.", entries, &argc, &argv))
    return RV_EXIT_USAGE;
  if (data != NULL && *data == '\0')
    return rv_cli_usage_error (command, "--data is empty; give the FashionMNIST folder");

  RvDataFrom from;
  g_autofree char *dir = rv_dataset_find_dir_from (data, &from);
  /* No folder at all: four MISSING lines would hide that. */
  if (!rv_file_exists_at_all (dir))
    {
      fprintf (stderr, "ravine-cli %s: the FashionMNIST folder %s%s does not exist "
               "(ravine-cli dataset download fetches the files into it)\n", command, dir,
               from == RV_DATA_FROM_OPTION ? " (given with --data)"
               : from == RV_DATA_FROM_ENV ? " (named by RAVINE_DATA_DIR)" : "");
      return RV_EXIT_FAILURE;
    }
  g_autoptr (GError) dir_error = NULL;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) && !rv_dataset_check_dir (dir, &dir_error))
    return rv_cli_failure (command, dir_error);
  const RvDatasetFile *files = rv_dataset_files_official ();
  guint bad = 0;
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_autoptr (GError) error = NULL;
      switch (rv_dataset_file_check (dir, &files[i], NULL, NULL, &error))
        {
        case RV_DATASET_FILE_OK:
          printf ("%s: OK\n", files[i].name);
          break;
        case RV_DATASET_FILE_MISSING:
          printf ("%s: MISSING\n", files[i].name);
          bad++;
          break;
        case RV_DATASET_FILE_MISMATCH:
        case RV_DATASET_FILE_UNREADABLE:
          printf ("%s: FAILED\n", files[i].name);
          fprintf (stderr, "ravine-cli %s: %s\n", command, error->message);
          bad++;
          break;
        }
    }
  if (rv_cli_finish_output (command) != RV_EXIT_OK)
    return RV_EXIT_FAILURE;
  if (bad > 0)
    {
      fprintf (stderr, "ravine-cli %s: %u of %u files in %s are missing or damaged "
               "(ravine-cli dataset download fetches them again)\n", command, bad, RV_DATASET_N_FILES, dir);
      return RV_EXIT_FAILURE;
    }
  printf ("All %u files in %s match their SHA-256 sums.\n", RV_DATASET_N_FILES, dir);
  return rv_cli_finish_output (command);
}

/* ---- info ---- */

typedef struct {
  const RvDatasetFile *file;
  RvDatasetFileState state;
  gboolean present;     /* something is there, usable or not */
  guint64 size;
  gboolean header_ok;
  RvIdxHeader header;
  char *sha256;         /* NULL when it could not be read */
  gboolean sum_ok;
  char *problem;        /* what is wrong besides a mismatch ("is a FIFO, not a regular file"), or NULL */
} FileInfo;

static void
file_info_collect (FileInfo *fi, const char *dir, const RvDatasetFile *file)
{
  memset (fi, 0, sizeof *fi);
  fi->file = file;
  g_autofree char *path = g_build_filename (dir, file->name, NULL);
  g_autoptr (GError) error = NULL;
  fi->state = rv_dataset_file_check (dir, file, NULL, &fi->sha256, &error);
  fi->present = fi->state != RV_DATASET_FILE_MISSING;
  fi->sum_ok = fi->state == RV_DATASET_FILE_OK;
  if (fi->state == RV_DATASET_FILE_UNREADABLE)
    {
      /* "NAME: PROBLEM": the name is shown beside it already. */
      gsize n = strlen (file->name);
      const char *m = error->message;
      fi->problem = g_strdup (strncmp (m, file->name, n) == 0 && m[n] == ':' ? m + n + 2 : m);
      return;
    }
  if (fi->state == RV_DATASET_FILE_MISSING)
    return;
  GStatBuf st;
  if (g_stat (path, &st) == 0)
    fi->size = (guint64) st.st_size;
  fi->header_ok = rv_dataset_file_peek_header (path, &fi->header, NULL);
}

static char *
describe_header (const FileInfo *fi)
{
  if (!fi->header_ok)
    return g_strdup ("not an IDX file");
  if (fi->header.n_dims == 3)
    return g_strdup_printf ("%u images of %ux%u", fi->header.dims[0], fi->header.dims[1], fi->header.dims[2]);
  return g_strdup_printf ("%u labels", fi->header.dims[0]);
}

/* The verdict, in the words of what ravine-cli train would do here. */
static void
print_verdict (RvDataPlan plan, const GError *plan_error, gboolean complete, const char *data)
{
  g_autofree char *fetch = g_strdup_printf ("\"ravine-cli dataset download%s%s\" fetches the files (from %s)",
                                            data ? " --data " : "", data ? data : "", rv_download_base_url (NULL));
  switch (plan)
    {
    case RV_DATA_PLAN_FILES:
      if (complete)
        printf ("Complete: the app and ravine-cli train on FashionMNIST from here.\n");
      else
        printf ("Not the official files: ravine-cli trains on them as they are and stops at one that is not a "
                "valid IDX file. %s.\n", fetch);
      break;
    case RV_DATA_PLAN_SYNTHETIC:
      printf ("Not there: Ravine uses its synthetic data set instead. %s.\n", fetch);
      break;
    case RV_DATA_PLAN_ERROR:
      printf ("Incomplete: ravine-cli train and init-stats stop with an error here (%s); the app falls back to "
              "its synthetic data set. %s.\n", plan_error->message, fetch);
      break;
    }
}

static void
print_info_text (const char *dir, const char *data, const char *env, const char *cache,
                 const FileInfo *infos, gboolean complete, RvDataPlan plan, const GError *plan_error)
{
  printf ("FashionMNIST folder: %s\n", dir);
  printf ("Ravine looks, in this order, in\n");
  printf ("  1. --data DIR          %s\n", data ? data : "(not given)");
  printf ("  2. $RAVINE_DATA_DIR    %s\n", env ? env : "(not set)");
  printf ("  3. the user cache      %s\n", cache);
  printf ("and uses the first that is given.\n\n");

  struct stat st;
  if (!rv_file_exists_at_all (dir))
    printf ("%s does not exist.\n", dir);
  else if (stat (dir, &st) != 0 || !S_ISDIR (st.st_mode))
    printf ("%s is not a folder.\n", dir);
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      const FileInfo *fi = &infos[i];
      if (!fi->present)
        {
          printf ("  %-28s missing\n", fi->file->name);
          continue;
        }
      if (fi->problem != NULL)
        {
          printf ("  %-28s %s\n", fi->file->name, fi->problem);
          continue;
        }
      g_autofree char *size = format_size (fi->size);
      g_autofree char *what = describe_header (fi);
      printf ("  %-28s %10s  %-24s %s\n", fi->file->name, size, what,
              fi->sum_ok ? "SHA-256 OK" : "SHA-256 MISMATCH");
    }
  printf ("\n");
  print_verdict (plan, plan_error, complete, data);
}

static void
add_string_or_null (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static const char *
plan_name (RvDataPlan plan)
{
  return plan == RV_DATA_PLAN_FILES ? "files" : plan == RV_DATA_PLAN_SYNTHETIC ? "synthetic" : "error";
}

static JsonNode *
info_to_json (const char *dir, const char *source, const char *data, const char *env, const char *cache,
              const FileInfo *infos, gboolean complete, RvDataPlan plan, const GError *plan_error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string_or_null (b, "dir", dir);
  add_string_or_null (b, "source", source);
  json_builder_set_member_name (b, "search");
  json_builder_begin_array (b);
  const char *places[3][2] = { { "--data", data }, { "RAVINE_DATA_DIR", env }, { "cache", cache } };
  for (guint i = 0; i < 3; i++)
    {
      json_builder_begin_object (b);
      add_string_or_null (b, "place", places[i][0]);
      add_string_or_null (b, "path", places[i][1]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "exists");
  json_builder_add_boolean_value (b, g_file_test (dir, G_FILE_TEST_IS_DIR));
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, complete);
  /* What ravine-cli train does with this folder, and why when it stops. */
  add_string_or_null (b, "train_uses", plan_name (plan));
  add_string_or_null (b, "problem", plan_error ? plan_error->message : NULL);
  add_string_or_null (b, "url", rv_download_base_url (NULL));

  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      const FileInfo *fi = &infos[i];
      json_builder_begin_object (b);
      add_string_or_null (b, "name", fi->file->name);
      json_builder_set_member_name (b, "present");
      json_builder_add_boolean_value (b, fi->present);
      if (fi->present)
        {
          json_builder_set_member_name (b, "size");
          json_builder_add_int_value (b, (gint64) fi->size);
        }
      add_string_or_null (b, "problem", fi->problem);
      add_string_or_null (b, "sha256", fi->sha256);
      add_string_or_null (b, "expected_sha256", fi->file->sha256);
      json_builder_set_member_name (b, "sha256_ok");
      json_builder_add_boolean_value (b, fi->sum_ok);
      if (fi->header_ok)
        {
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, fi->header.n_dims == 3 ? "images" : "labels");
          json_builder_set_member_name (b, "count");
          json_builder_add_int_value (b, fi->header.dims[0]);
          if (fi->header.n_dims == 3)
            {
              json_builder_set_member_name (b, "rows");
              json_builder_add_int_value (b, fi->header.dims[1]);
              json_builder_set_member_name (b, "cols");
              json_builder_add_int_value (b, fi->header.dims[2]);
            }
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static int
dataset_info (int argc, char **argv)
{
  const char *command = "dataset info";
  g_autofree char *data = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "FashionMNIST folder (default: $RAVINE_DATA_DIR, then the user cache)", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  if (!rv_cli_parse (command, "Says where Ravine looks for FashionMNIST, which files it finds there, what their "
                     "IDX headers hold and whether their SHA-256 sums match.", entries, &argc, &argv))
    return RV_EXIT_USAGE;
  if (data != NULL && *data == '\0')
    return rv_cli_usage_error (command, "--data is empty; give the FashionMNIST folder");

  const char *env = g_getenv ("RAVINE_DATA_DIR");
  if (env != NULL && *env == '\0')
    env = NULL;
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "ravine", "fashion-mnist", NULL);
  g_autofree char *dir = NULL;
  RvDataFrom from;
  g_autoptr (GError) plan_error = NULL;
  RvDataPlan plan = rv_dataset_plan (data, &dir, &from, &plan_error);
  const char *source = from == RV_DATA_FROM_OPTION ? "--data" : from == RV_DATA_FROM_ENV ? "RAVINE_DATA_DIR" : "cache";

  FileInfo infos[RV_DATASET_N_FILES];
  gboolean complete = TRUE;
  const RvDatasetFile *files = rv_dataset_files_official ();
  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      file_info_collect (&infos[i], dir, &files[i]);
      complete = complete && infos[i].sum_ok;
    }

  if (json)
    {
      g_autoptr (JsonNode) node = info_to_json (dir, source, data, env, cache, infos, complete, plan, plan_error);
      rv_cli_print_json (node);
    }
  else
    print_info_text (dir, data, env, cache, infos, complete, plan, plan_error);

  for (guint i = 0; i < RV_DATASET_N_FILES; i++)
    {
      g_free (infos[i].sha256);
      g_free (infos[i].problem);
    }
  return rv_cli_finish_output (command);
}

/* ---- the subcommand's own subcommands ---- */

static const struct {
  const char *name;
  int (*main) (int argc, char **argv);
  const char *summary;
} actions[] = {
  { "download", dataset_download, "fetch the four files, checking each one's SHA-256" },
  { "verify", dataset_verify, "check the four files against their SHA-256 sums" },
  { "info", dataset_info, "say where Ravine looks for the data and what it finds" },
};

static void
print_dataset_usage (FILE *out)
{
  fprintf (out, "Usage: ravine-cli dataset ACTION [OPTION...]\n\nActions:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    fprintf (out, "  %-10s %s\n", actions[i].name, actions[i].summary);
  fprintf (out, "\nRun \"ravine-cli dataset ACTION --help\" for its options.\n");
}

int
rv_cli_dataset (int argc, char **argv)
{
  if (argc < 2)
    {
      print_dataset_usage (stderr);
      return RV_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_dataset_usage (stdout);
      return RV_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    if (strcmp (argv[1], actions[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("ravine-cli dataset %s", actions[i].name);
        g_set_prgname (prgname);
        argv[1] = argv[0];
        return actions[i].main (argc - 1, argv + 1);
      }
  return rv_cli_usage_error ("dataset", "unknown action \"%s\" (download, verify or info; see --help)", argv[1]);
}
