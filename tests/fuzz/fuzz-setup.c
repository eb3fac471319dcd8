/* fuzz-setup.c: fuzz target for setup files (src/engine/rv-setup.c).
 *
 * A setup that is refused names its source; one that is read holds only
 * what the pages can show (every text UTF-8, a surface by name or a formula
 * that parses, finite numbers, a view whose ends are in order), and its
 * canonical text reads back to the same text. */
#include "fuzz-target.h"

#include <math.h>
#include <string.h>

#include "rv-expr.h"
#include "rv-setup.h"
#include "rv-surface.h"

const FuzzFormat fuzz_target_format = FUZZ_FORMAT_JSON;
const char fuzz_target_name[] = "fuzz-setup";
int fuzz_target_accepted;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RvSetup) setup = rv_setup_parse ((const char *) data, size, "fuzz", &error);

  fuzz_target_accepted = setup != NULL;
  if (setup == NULL)
    {
      FUZZ_CHECK (error != NULL && g_str_has_prefix (error->message, "fuzz: "),
                  "a refused setup gave no error naming it: %s", error ? error->message : "no error");
      return 0;
    }
  fuzz_json_check_strict (data, size);
  if (setup->initialization)
    {
      const RvSetupInitialization *init = setup->initialization;
      FUZZ_CHECK (g_utf8_validate (init->network.init, -1, NULL) && init->view != NULL, "a bad initialization");
      for (guint i = 0; i < init->pins->len; i++)
        {
          const RvSetupPin *pin = g_ptr_array_index (init->pins, i);
          FUZZ_CHECK (pin->label && *pin->label && g_utf8_validate (pin->label, -1, NULL), "pin %u: no label", i);
        }
    }
  if (setup->surfaces)
    {
      const RvSetupSurfaces *s = setup->surfaces;
      FUZZ_CHECK ((s->surface == NULL) != (s->surface_expr == NULL), "not exactly one surface");
      FUZZ_CHECK (s->surface == NULL || rv_surface_lookup (s->surface) != NULL, "unknown surface %s", s->surface);
      g_autoptr (RvExpr) expr = s->surface_expr ? rv_expr_parse (s->surface_expr, NULL) : NULL;
      FUZZ_CHECK (s->surface_expr == NULL || expr != NULL, "a formula that does not parse");
      FUZZ_CHECK (isfinite (s->start[0]) && isfinite (s->start[1]), "a start that is not finite");
      FUZZ_CHECK (s->steps >= 1 && s->steps <= RV_SETUP_MAX_STEPS, "%u steps", s->steps);
      FUZZ_CHECK (!s->has_view || (s->view[0] < s->view[1] && s->view[2] < s->view[3]), "a view out of order");
    }
  g_autofree char *text = rv_setup_to_data (setup);
  g_autoptr (GError) again_error = NULL;
  g_autoptr (RvSetup) again = rv_setup_parse (text, strlen (text), "fuzz", &again_error);
  FUZZ_CHECK (again != NULL, "its canonical text is refused: %s", again_error ? again_error->message : "");
  g_autofree char *text2 = rv_setup_to_data (again);
  FUZZ_CHECK (strcmp (text, text2) == 0, "the canonical text changes when read back");
  return 0;
}

void
fuzz_target_seeds (GPtrArray *seeds)
{
  static const char setup[] =
    "{\"format\": \"ravine-setup\", \"version\": 1, \"page\": \"surfaces\",\n"
    " \"initialization\": {\"activation\": \"tanh\", \"init\": \"xavier\", \"hidden\": \"64,32\", \"view\": \"depth\",\n"
    "   \"kde\": false, \"pins\": [{\"label\": \"ReLU\", \"activation\": \"relu\", \"init\": \"kaiming\"}]},\n"
    " \"training\": {\"runs\": [], \"loss_log_y\": true, \"wall_clock\": false},\n"
    " \"surfaces\": {\"surface_expr\": \"w1^2 + 10*w2^2\", \"start\": [-1.5, 1.5], \"steps\": 120,\n"
    "   \"runs\": [{\"name\": \"momentum\", \"lr\": 0.05, \"momentum\": 0.9}, {\"name\": \"adam\", \"lr\": 0.2}],\n"
    "   \"view\": [-2, 2, -1, 1]}}\n";
  g_ptr_array_add (seeds, g_bytes_new_static (setup, strlen (setup)));
}
