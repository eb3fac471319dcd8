/* fuzz-idx.c: fuzz target for the IDX reader.
 *
 * Input layout: a 4-byte little-endian split point s, then the image file's
 * bytes (the first s mod (rest + 1) bytes of the rest), then the label
 * file's.  Either part may be gzip or plain, valid or not.  Build with
 * fuzz-driver.c for a quick deterministic run, or alone with clang
 * -fsanitize=fuzzer for a long one. */
#include "fuzz-target.h"

#include "rv-dataset.h"
#include "rv-error.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 4)
    return 0;
  uint32_t split = (uint32_t) data[0] | (uint32_t) data[1] << 8
                   | (uint32_t) data[2] << 16 | (uint32_t) data[3] << 24;
  const uint8_t *rest = data + 4;
  size_t rest_len = size - 4;
  size_t images_len = split % (rest_len + 1);

  GError *error = NULL;
  RvImageSet *set = rv_image_set_parse (rest, images_len, rest + images_len,
                                        rest_len - images_len, "fuzz", &error);
  /* Exactly one of a set or an error; a set that passed must be sound. */
  if (set != NULL)
    {
      if (error != NULL || set->n == 0 || set->pixels == NULL || set->labels == NULL)
        __builtin_trap ();
      for (uint32_t i = 0; i < set->n; i++)
        if (set->labels[i] >= RV_NUM_CLASSES)
          __builtin_trap ();
      /* Touch the last pixel so a short buffer shows under ASan. */
      volatile uint8_t last = set->pixels[(size_t) set->n * RV_IMAGE_PIXELS - 1];
      (void) last;
      rv_image_set_free (set);
    }
  else
    {
      if (error == NULL || !g_error_matches (error, RV_ERROR, RV_ERROR_DATA)
          || !g_str_has_prefix (error->message, "fuzz ("))
        __builtin_trap ();
      g_error_free (error);
    }
  return 0;
}
