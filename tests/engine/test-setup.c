/* test-setup.c: setup files (rv-setup.h).  Save → open → save gives the same
 * bytes; every value read is the value written; each kind of bad file is
 * refused with a message naming the file, the member and the fault; writing
 * is whole or not at all. */
#include "rv-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "rv-run-files.h"
#include "rv-setup.h"
#include "rv-surface.h"

/* A setup that uses every member, with numbers that have no short decimal
 * form (what a slider leaves). */
static RvSetup *
full_setup (void)
{
  RvSetup *setup = rv_setup_new ();
  setup->page = g_strdup ("surfaces");

  setup->initialization = rv_setup_initialization_new ();
  RvSetupInitialization *init = setup->initialization;
  g_free (init->network.init);
  init->network.init = g_strdup ("normal:0.0123456789");
  g_free (init->view);
  init->view = g_strdup ("depth");
  init->log_y = TRUE;
  init->same_x_range = TRUE;
  rv_setup_add_pin (init, "Tanh, Xavier", "tanh", "xavier", "512,256,256,128");
  rv_setup_add_pin (init, "Zehn Schichten ü", "relu", "kaiming", "64,64,64,64,64,64,64,64,64,64");
  init->overlay = 1;

  setup->training = rv_setup_training_new ();
  RvTrainConfig cfg;
  rv_train_config_init_default (&cfg);
  rv_optim_config_init (&cfg.optim, RV_OPTIM_ADAM);
  cfg.optim.lr = 1.0 / 3000.0;
  cfg.epochs = 7;
  cfg.train_limit = 20000;
  rv_setup_add_training_run (setup->training, "Adam_third", &cfg);
  rv_optim_config_init (&cfg.optim, RV_OPTIM_MOMENTUM);
  cfg.optim.lr = 0.1;
  cfg.optim.momentum = 0.9;
  rv_setup_add_training_run (setup->training, "Momentum", &cfg);
  setup->training->watched = g_strdup ("Momentum");
  setup->training->loss_log_y = TRUE;

  setup->surfaces = rv_setup_surfaces_new ();
  RvSetupSurfaces *s = setup->surfaces;
  g_clear_pointer (&s->surface, g_free);
  s->surface_expr = g_strdup ("w1^2 + 10*sin(w2)^2");
  s->start[0] = -1.0 / 3.0;
  s->start[1] = M_PI;
  s->steps = 250;
  RvOptimConfig o;
  rv_optim_config_init (&o, RV_OPTIM_SGD);
  o.lr = 0.07;
  g_array_append_val (s->runs, o);
  rv_optim_config_init (&o, RV_OPTIM_ADAM);
  o.lr = exp (-3.3);
  g_array_append_val (s->runs, o);
  s->has_view = TRUE;
  s->view[0] = -2.5;
  s->view[1] = 1e-3;
  s->view[2] = -1.0 / 7.0;
  s->view[3] = 4.0;
  return setup;
}

static RvSetup *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  RvSetup *setup = rv_setup_parse (text, strlen (text), "round.ravine", &error);
  g_assert_no_error (error);
  g_assert_nonnull (setup);
  return setup;
}

static void
test_round_trip (void)
{
  g_autoptr (RvSetup) original = full_setup ();
  g_autofree char *first = rv_setup_to_data (original);
  g_autoptr (RvSetup) read = parse_ok (first);
  g_autofree char *second = rv_setup_to_data (read);
  g_assert_cmpstr (first, ==, second);

  /* the values themselves, not only the text */
  g_assert_cmpstr (read->page, ==, "surfaces");
  g_assert_cmpstr (read->initialization->network.init, ==, "normal:0.0123456789");
  g_assert_cmpstr (read->initialization->view, ==, "depth");
  g_assert_true (read->initialization->log_y && read->initialization->same_x_range);
  g_assert_true (read->initialization->kde && !read->initialization->density);
  g_assert_cmpuint (read->initialization->pins->len, ==, 2);
  const RvSetupPin *pin = g_ptr_array_index (read->initialization->pins, 1);
  g_assert_cmpstr (pin->label, ==, "Zehn Schichten ü");
  g_assert_cmpstr (pin->network.hidden, ==, "64,64,64,64,64,64,64,64,64,64");
  g_assert_cmpint (read->initialization->overlay, ==, 1);
  g_assert_cmpuint (read->training->runs->len, ==, 2);
  const RvSetupTrainingRun *run = g_ptr_array_index (read->training->runs, 0);
  g_assert_cmpstr (run->name, ==, "Adam_third");
  g_assert_true (run->config.optim.kind == RV_OPTIM_ADAM);
  g_assert_true (run->config.optim.lr == 1.0 / 3000.0);
  g_assert_cmpuint (run->config.epochs, ==, 7);
  g_assert_cmpuint (run->config.train_limit, ==, 20000);
  g_assert_cmpstr (read->training->watched, ==, "Momentum");
  g_assert_true (read->training->loss_log_y && !read->training->wall_clock);
  const RvSetupSurfaces *s = read->surfaces;
  g_assert_null (s->surface);
  g_assert_cmpstr (s->surface_expr, ==, "w1^2 + 10*sin(w2)^2");
  g_assert_true (s->start[0] == -1.0 / 3.0 && s->start[1] == M_PI);
  g_assert_cmpuint (s->steps, ==, 250);
  g_assert_cmpuint (s->runs->len, ==, 2);
  g_assert_true (g_array_index (s->runs, RvOptimConfig, 1).lr == exp (-3.3));
  g_assert_true (s->has_view && s->view[1] == 1e-3 && s->view[2] == -1.0 / 7.0);
}

/* A file written by hand (members in another order, whole numbers for
 * reals, pages left out) reads; its canonical text reads back to itself. */
static void
test_hand_written (void)
{
  const char *text = "{\"version\": 1, \"surfaces\": {\"runs\": [{\"lr\": 1, \"name\": \"sgd\"}], "
                     "\"surface\": \"rosenbrock\"}, \"format\": \"ravine-setup\"}";
  g_autoptr (RvSetup) setup = parse_ok (text);
  g_assert_null (setup->page);
  g_assert_null (setup->initialization);
  g_assert_null (setup->training);
  g_assert_cmpstr (setup->surfaces->surface, ==, "rosenbrock");
  /* the start it leaves out is the surface's own */
  const RvSurface *rosenbrock = rv_surface_lookup ("rosenbrock");
  g_assert_true (setup->surfaces->start[0] == rosenbrock->start[0]);
  g_assert_true (setup->surfaces->start[1] == rosenbrock->start[1]);
  g_assert_false (setup->surfaces->has_view);
  g_autofree char *canonical = rv_setup_to_data (setup);
  g_autoptr (RvSetup) again = parse_ok (canonical);
  g_autofree char *canonical2 = rv_setup_to_data (again);
  g_assert_cmpstr (canonical, ==, canonical2);
  g_assert_nonnull (strstr (canonical, "\"lr\": 1\n"));
}

#define HEAD "{\"format\": \"ravine-setup\", \"version\": 1, "

static void
assert_refused (const char *json, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSetup) setup = rv_setup_parse (json, strlen (json), "bad.ravine", &error);
  g_assert_null (setup);
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL || !g_str_has_prefix (error->message, "bad.ravine: "))
    g_error ("%s: the message \"%s\" lacks \"%s\"", json, error->message, needle);
}

static void
test_refused (void)
{
  static const struct {
    const char *json, *needle;
  } cases[] = {
    { "[]", "not a JSON object" },
    { "{\"format\": \"ravine-lesson\", \"version\": 1}", "not a Ravine setup" },
    { "{\"format\": \"ravine-setup\", \"version\": 2}", "\"version\" must be 1" },
    { "{\"format\": \"ravine-setup\", \"version\": \"1\"}", "\"version\" must be 1" },
    { HEAD "\"colour\": 1}", "unknown member \"colour\"" },
    { HEAD "\"page\": \"settings\"}", "unknown page \"settings\"" },
    { HEAD "\"initialization\": []}", "initialization: must be an object" },
    { HEAD "\"initialization\": {\"activation\": \"swish\"}}", "initialization.activation: unknown activation \"swish\"" },
    { HEAD "\"initialization\": {\"activation\": 3}}", "initialization.activation: must be a string" },
    { HEAD "\"initialization\": {\"init\": \"const:x\"}}", "initialization.init: initializer \"const\" needs a fill value" },
    { HEAD "\"initialization\": {\"hidden\": \"512,-3\"}}", "initialization.hidden: hidden sizes \"512,-3\"" },
    { HEAD "\"initialization\": {\"view\": \"norms\"}}", "initialization.view: unknown view \"norms\"" },
    { HEAD "\"initialization\": {\"kde\": 1}}", "initialization.kde: must be true or false" },
    { HEAD "\"initialization\": {\"pin\": true}}", "initialization: unknown member \"pin\"" },
    { HEAD "\"initialization\": {\"pins\": [{\"init\": \"xavier\"}]}}", "initialization.pins[0]: \"label\" is required" },
    { HEAD "\"initialization\": {\"pins\": [{\"label\": \"a\", \"activation\": \"nope\"}]}}",
      "initialization.pins[0].activation: unknown activation \"nope\"" },
    { HEAD "\"initialization\": {\"pins\": [{\"label\": \"a\\u0007\"}]}}",
      "initialization.pins[0].label: holds a control character" },
    { HEAD "\"initialization\": {\"pins\": [1,2,3,4,5,6,7,8,9]}}", "initialization.pins: holds 9 entries" },
    { HEAD "\"initialization\": {\"pins\": [{\"label\": \"a\"}], \"overlay\": 1}}",
      "initialization.overlay: names pin 1, but there is 1 (counted from 0)" },
    { HEAD "\"initialization\": {\"overlay\": 0}}", "initialization.overlay: names pin 0, but there are 0" },
    { HEAD "\"initialization\": {\"pins\": [{\"label\": \"a\"}], \"overlay\": -1}}",
      "initialization.overlay: must be the index of a pin" },
    { HEAD "\"initialization\": {\"pins\": [{\"label\": \"a\"}], \"overlay\": 0.5}}",
      "initialization.overlay: must be the index of a pin" },
    { HEAD "\"initialization\": {\"pins\": [{\"label\": \"a\"}], \"overlay\": \"a\"}}",
      "initialization.overlay: must be the index of a pin" },
    { HEAD "\"training\": {\"runs\": [{\"name\": \"../up\", \"config\": {}}]}}",
      "training.runs[0]: the run name \"../up\" must be a plain file name" },
    { HEAD "\"training\": {\"runs\": [{\"name\": \"a\"}]}}", "training.runs[0]: \"config\" is required" },
    { HEAD "\"training\": {\"runs\": [{\"name\": \"a\", \"config\": {\"epochs\": 3}}]}}",
      "training.runs[0]: \"config\": " },
    { HEAD "\"training\": {\"watched\": \"ghost\"}}", "training.watched: names no run of the setup (\"ghost\")" },
    { HEAD "\"training\": {\"wall_clock\": null}}", "training.wall_clock: must be true or false" },
    { HEAD "\"surfaces\": {\"surface\": \"everest\"}}", "surfaces.surface: unknown surface \"everest\"" },
    { HEAD "\"surfaces\": {\"surface\": \"rosenbrock\", \"surface_expr\": \"w1\"}}",
      "surfaces: takes one of \"surface\" and \"surface_expr\"" },
    { HEAD "\"surfaces\": {\"surface_expr\": \"w1 + (w2\"}}", "surfaces.surface_expr: column " },
    { HEAD "\"surfaces\": {\"start\": [1]}}", "surfaces.start: must be an array of 2 numbers" },
    { HEAD "\"surfaces\": {\"start\": [1, \"2\"]}}", "surfaces.start: element 1 is not a finite number" },
    { HEAD "\"surfaces\": {\"view\": [1, 0, 0, 1]}}", "surfaces.view: must be [w1 from, w1 to, w2 from, w2 to]" },
    { HEAD "\"surfaces\": {\"steps\": 0}}", "surfaces.steps: must be a whole number from 1 to 100000" },
    { HEAD "\"surfaces\": {\"steps\": 2.5}}", "surfaces.steps: must be a whole number" },
    { HEAD "\"surfaces\": {\"runs\": [{\"name\": \"adam\", \"lr\": -1}]}}", "surfaces.runs[0]: " },
    { HEAD "\"surfaces\": {\"runs\": [{\"name\": \"sgd\", \"momentum\": 0.9}]}}", "surfaces.runs[0]: " },
    { HEAD "\"surfaces\": {\"runs\": {}}}", "surfaces.runs: must be an array" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].json, cases[i].needle);

  /* not JSON at all, and a file too large */
  assert_refused (HEAD "\"page\": ", "bad.ravine");
  g_autofree char *huge = g_strnfill (RV_SETUP_MAX_BYTES + 1, ' ');
  g_autoptr (GError) error = NULL;
  g_assert_null (rv_setup_parse (huge, strlen (huge), "bad.ravine", &error));
  g_assert_nonnull (strstr (error->message, "at most"));
}

/* A lesson step's setup is a page object with the lesson's own members
 * beside it: they pass only where the caller names them. */
static void
test_page_objects (void)
{
  const char *text = "{\"activation\": \"tanh\", \"pin\": true}";
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_autoptr (GError) error = NULL;
  g_assert_null (rv_setup_initialization_from_json (o, NULL, "lesson.json: step 2: setup", &error));
  g_assert_cmpstr (error->message, ==,
                   "lesson.json: step 2: setup: unknown member \"pin\" (known: activation, init, hidden, view, kde, "
                   "density, log_y, same_x_range, pins, overlay)");
  static const char *const extra[] = { "pin", NULL };
  g_autoptr (RvSetupInitialization) init = rv_setup_initialization_from_json (o, extra, "lesson", NULL);
  g_assert_nonnull (init);
  g_assert_cmpstr (init->network.activation, ==, "tanh");
  g_assert_cmpstr (init->network.init, ==, "kaiming"); /* what it leaves out is the default */
  g_assert_cmpstr (init->view, ==, "activations");
}

static void
test_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ravine-setup-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lecture.ravine", NULL);
  g_autoptr (RvSetup) setup = full_setup ();
  g_autoptr (GError) error = NULL;
  g_assert_true (rv_setup_write_file (setup, path, &error));
  g_assert_no_error (error);
  g_autoptr (RvSetup) read = rv_setup_read_file (path, &error);
  g_assert_no_error (error);
  g_autofree char *a = rv_setup_to_data (setup), *b = rv_setup_to_data (read), *bytes = NULL;
  g_assert_cmpstr (a, ==, b);
  g_assert_true (g_file_get_contents (path, &bytes, NULL, NULL));
  g_assert_cmpstr (bytes, ==, a);

  /* a damaged file names itself; the good one beside it is untouched */
  g_autofree char *bad = g_build_filename (dir, "broken.ravine", NULL);
  g_assert_true (g_file_set_contents (bad, a, (gssize) strlen (a) / 2, NULL));
  g_assert_null (rv_setup_read_file (bad, &error));
  g_assert_nonnull (strstr (error->message, "broken.ravine"));
  g_clear_error (&error);

  /* a folder where the file should go: an error, nothing half-written */
  g_autofree char *folder = g_build_filename (dir, "folder.ravine", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_false (rv_setup_write_file (setup, folder, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (rv_setup_read_file (folder, &error));
  g_assert_nonnull (strstr (error->message, "folder.ravine"));

  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d));)
    n++;
  g_assert_cmpuint (n, ==, 3); /* lecture, broken, folder: no temporary files */
  g_remove (path);
  g_remove (bad);
  g_rmdir (folder);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/setup/round-trip", test_round_trip);
  g_test_add_func ("/setup/hand-written", test_hand_written);
  g_test_add_func ("/setup/refused", test_refused);
  g_test_add_func ("/setup/page-objects", test_page_objects);
  g_test_add_func ("/setup/files", test_files);
  return g_test_run ();
}
