/* fuzz-results.c: fuzz target for the run results (NAME_results.json).
 *
 * Text goes through rv_json_parse and rv_train_results_from_json, as
 * rv_run_load reads it.  Results that load must be sound (every number
 * finite; best_epoch an index into val_scores, or 0 when there are none),
 * must say what the file says (each number equal to the file's; the losses
 * as floats) and must write with rv_train_results_to_json and read back the
 * same.  Seeds: results from rv_train_results_to_json. */
#include "fuzz-target.h"

#include <math.h>
#include <string.h>

#include "rv-error.h"
#include "rv-json-read.h"
#include "rv-json.h"
#include "rv-run-files.h"

const FuzzFormat fuzz_target_format = FUZZ_FORMAT_JSON;
const char fuzz_target_name[] = "fuzz-results";
int fuzz_target_accepted;

static void
check_finite (GArray *a, gboolean floats, const char *what)
{
  for (guint i = 0; i < a->len; i++)
    {
      double v = floats ? g_array_index (a, float, i) : g_array_index (a, double, i);
      FUZZ_CHECK (isfinite (v), "%s[%u] is %g", what, i, v);
    }
}

/* Equal as numbers: -0 and 0 are the same score (rv_json writes -0.0 as
 * "-0", which reads back as the integer 0). */
static gboolean
same_array (GArray *a, GArray *b, gboolean floats)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (floats ? g_array_index (a, float, i) != g_array_index (b, float, i)
               : g_array_index (a, double, i) != g_array_index (b, double, i))
      return FALSE;
  return TRUE;
}

/* The optional sharpness: the same steps and values, NaN (null) as NaN. */
static gboolean
same_sharpness (GArray *a, GArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const RvTrainSharpness *p = &g_array_index (a, RvTrainSharpness, i);
      const RvTrainSharpness *q = &g_array_index (b, RvTrainSharpness, i);
      if (p->step != q->step
          || !(p->top_eigenvalue == q->top_eigenvalue || (isnan (p->top_eigenvalue) && isnan (q->top_eigenvalue))))
        return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = rv_json_parse ((const char *) data, size, "fuzz", &error);

  fuzz_target_accepted = 0;
  if (root == NULL)
    {
      fuzz_json_check_refusal (error);
      return 0;
    }
  fuzz_json_check_strict (data, size);
  RvTrainResults res;
  if (!rv_train_results_from_json (root, &res, &error))
    {
      FUZZ_CHECK (error != NULL && g_error_matches (error, RV_ERROR, RV_ERROR_CHECKPOINT)
                  && g_str_has_prefix (error->message, "results: "),
                  "refused results gave no RV_ERROR_CHECKPOINT: %s", error ? error->message : "no error");
      FUZZ_CHECK (res.val_scores == NULL && res.train_scores == NULL && res.train_losses == NULL
                  && res.sharpness == NULL,
                  "refused results kept an array");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "accepted results also set an error");
  fuzz_target_accepted = 1;

  FUZZ_CHECK (res.val_scores != NULL && res.train_scores != NULL && res.train_losses != NULL,
              "accepted results miss an array");
  FUZZ_CHECK (isfinite (res.test_acc), "test_acc is %g", res.test_acc);
  check_finite (res.val_scores, FALSE, "val_scores");
  check_finite (res.train_scores, FALSE, "train_scores");
  check_finite (res.train_losses, TRUE, "train_losses");
  FUZZ_CHECK (res.best_epoch < res.val_scores->len || (res.val_scores->len == 0 && res.best_epoch == 0),
              "best_epoch %u with %u val_scores", res.best_epoch, res.val_scores->len);

  static const char *const floats[] = { "train_losses", NULL };
  g_autoptr (JsonNode) written = rv_train_results_to_json (&res);
  fuzz_json_check_agrees (written, root, floats, "results");

  g_autoptr (JsonNode) again = fuzz_json_reparse (written);
  RvTrainResults res2;
  FUZZ_CHECK (rv_train_results_from_json (again, &res2, &error), "written results do not load: %s",
              error->message);
  FUZZ_CHECK (res.test_acc == res2.test_acc && res.best_epoch == res2.best_epoch
              && same_array (res.val_scores, res2.val_scores, FALSE)
              && same_array (res.train_scores, res2.train_scores, FALSE)
              && same_array (res.train_losses, res2.train_losses, TRUE)
              && same_sharpness (res.sharpness, res2.sharpness),
              "the results changed on their way back");
  rv_train_results_clear (&res2);
  rv_train_results_clear (&res);
  return 0;
}

static void
add_results (GPtrArray *seeds, guint epochs, guint steps, guint best, gboolean pretty)
{
  RvTrainResults res = { 0 };
  res.val_scores = g_array_new (FALSE, FALSE, sizeof (double));
  res.train_scores = g_array_new (FALSE, FALSE, sizeof (double));
  res.train_losses = g_array_new (FALSE, FALSE, sizeof (float));
  for (guint e = 0; e < epochs; e++)
    {
      double v = 0.7 + 0.01 * e, t = 0.72 + 0.011 * e;
      g_array_append_val (res.val_scores, v);
      g_array_append_val (res.train_scores, t);
    }
  for (guint s = 0; s < steps; s++)
    {
      float l = 2.3f / (1.0f + (float) s);
      g_array_append_val (res.train_losses, l);
    }
  res.test_acc = 0.8731;
  res.best_epoch = best;
  if (steps > 10)
    {
      /* as train --sharpness-every 5 records it, one measurement diverged */
      res.sharpness = g_array_new (FALSE, FALSE, sizeof (RvTrainSharpness));
      for (guint s = 0; s <= steps; s += 5)
        {
          RvTrainSharpness p = { .step = s, .top_eigenvalue = s == 5 ? NAN : 40.0 + s };
          g_array_append_val (res.sharpness, p);
        }
    }
  g_autoptr (JsonNode) node = rv_train_results_to_json (&res);
  char *text = rv_json_to_string (node, pretty);
  g_ptr_array_add (seeds, g_bytes_new_take (text, strlen (text)));
  rv_train_results_clear (&res);
}

void
fuzz_target_seeds (GPtrArray *seeds)
{
  add_results (seeds, 1, 3, 0, TRUE);
  add_results (seeds, 4, 12, 2, FALSE);
  add_results (seeds, 1, 1, 0, TRUE);
}
