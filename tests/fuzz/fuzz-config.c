/* fuzz-config.c: fuzz target for the run config (NAME.config).
 *
 * Text goes through rv_json_parse and rv_train_config_from_json, as
 * rv_run_load reads it.  A config that loads must be within its own limits
 * (784 inputs, 10 classes, widths 1..65536, a valid optimizer and init, the
 * epoch and batch ranges), must say what the file says (each number the
 * writer writes equals the file's, where the file has one), and must write
 * with rv_train_config_to_json and read back as the same config.  Seeds:
 * configs from rv_train_config_to_json. */
#include "fuzz-target.h"

#include <string.h>

#include "rv-error.h"
#include "rv-json-read.h"
#include "rv-json.h"
#include "rv-run-files.h"

const FuzzFormat fuzz_target_format = FUZZ_FORMAT_JSON;
const char fuzz_target_name[] = "fuzz-config";
int fuzz_target_accepted;

static void
check_config (const RvTrainConfig *cfg)
{
  g_autoptr (GError) error = NULL;
  const RvNetConfig *net = &cfg->net;

  FUZZ_CHECK (net->n_linear >= 1 && net->n_linear <= RV_MAX_LINEAR, "%u Linear layers", net->n_linear);
  FUZZ_CHECK (net->sizes[0] == RV_INPUT_SIZE && net->sizes[net->n_linear] == 10,
              "%u inputs and %u classes", net->sizes[0], net->sizes[net->n_linear]);
  for (uint32_t l = 1; l < net->n_linear; l++)
    FUZZ_CHECK (net->sizes[l] >= 1 && net->sizes[l] <= 65536, "a hidden width of %u", net->sizes[l]);
  FUZZ_CHECK (rv_optim_config_validate (&cfg->optim, &error), "the optimizer: %s", error->message);
  g_autofree char *init = rv_init_to_string (&cfg->init);
  RvInit again;
  FUZZ_CHECK (rv_init_parse (init, &again, &error) && again.kind == cfg->init.kind,
              "the init does not read back: %s", init);
  FUZZ_CHECK (cfg->epochs >= 1 && cfg->epochs <= 100000, "%u epochs", cfg->epochs);
  FUZZ_CHECK (cfg->batch_size >= 1 && cfg->batch_size <= 60000, "a batch of %u", cfg->batch_size);
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
  RvTrainConfig cfg;
  if (!rv_train_config_from_json (root, &cfg, &error))
    {
      FUZZ_CHECK (error != NULL && g_error_matches (error, RV_ERROR, RV_ERROR_CHECKPOINT)
                  && g_str_has_prefix (error->message, "config: "),
                  "a refused config gave no RV_ERROR_CHECKPOINT: %s", error ? error->message : "no error");
      return 0;
    }
  FUZZ_CHECK (error == NULL, "an accepted config also set an error");
  fuzz_target_accepted = 1;

  check_config (&cfg);
  g_autoptr (JsonNode) written = rv_train_config_to_json (&cfg);
  fuzz_json_check_agrees (written, root, NULL, "config");

  g_autoptr (JsonNode) again = fuzz_json_reparse (written);
  RvTrainConfig cfg2;
  FUZZ_CHECK (rv_train_config_from_json (again, &cfg2, &error), "a written config does not load: %s",
              error->message);
  g_autoptr (JsonNode) written2 = rv_train_config_to_json (&cfg2);
  g_autofree char *text = fuzz_json_text (written);
  g_autofree char *text2 = fuzz_json_text (written2);
  FUZZ_CHECK (strcmp (text, text2) == 0, "the config changed on its way back:\n%s\n%s", text, text2);
  FUZZ_CHECK (memcmp (&cfg.net, &cfg2.net, sizeof cfg.net) == 0 && cfg.seed == cfg2.seed
              && cfg.epochs == cfg2.epochs && cfg.batch_size == cfg2.batch_size
              && cfg.train_limit == cfg2.train_limit && cfg.init.kind == cfg2.init.kind,
              "the config changed on its way back");
  return 0;
}

static void
add_config (GPtrArray *seeds, const RvTrainConfig *cfg, gboolean pretty)
{
  g_autoptr (JsonNode) node = rv_train_config_to_json (cfg);
  char *text = rv_json_to_string (node, pretty);
  g_ptr_array_add (seeds, g_bytes_new_take (text, strlen (text)));
}

void
fuzz_target_seeds (GPtrArray *seeds)
{
  static const char *const inits[] = { "kaiming", "const:0.005", "normal:0.01", "xavier", "lsuv" };
  static const RvOptimKind optims[] = { RV_OPTIM_ADAM, RV_OPTIM_SGD, RV_OPTIM_MOMENTUM, RV_OPTIM_RMSPROP,
                                        RV_OPTIM_ADAMW };
  static const uint32_t hidden[] = { 512, 256, 256, 128, 64, 32, 16 };

  for (guint k = 0; k < G_N_ELEMENTS (inits); k++)
    {
      RvTrainConfig cfg;
      rv_train_config_init_default (&cfg);
      rv_net_config_init (&cfg.net, (RvActivation) (k % 3), hidden, k + 1);
      if (!rv_init_parse (inits[k], &cfg.init, NULL))
        abort ();
      rv_optim_config_init (&cfg.optim, optims[k]);
      if (k == 2)
        cfg.optim.clip_norm = 1.5;
      cfg.seed = (uint64_t) k * 1000003u;
      cfg.epochs = 1 + k;
      cfg.batch_size = 32 << k;
      cfg.train_limit = k == 3 ? 1000 : 0;
      add_config (seeds, &cfg, k % 2 == 0);
    }
}
