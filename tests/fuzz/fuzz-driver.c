/* fuzz-driver.c: runs the fuzz target without libFuzzer, for `meson test`.
 *
 * Builds small valid IDX pairs, mutates them deterministically (structure
 * first: counts, sizes, magic, labels; then gzip, possibly in several
 * members or with trailing bytes; then raw bit flips, byte sets, insertions
 * and truncations) and feeds each result to LLVMFuzzerTestOneInput.
 * Usage: fuzz-idx [--iterations N] [--seed S] */
#include "fuzz-target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "rv-dataset.h"
#include "fuzz-rand.h"

static void
put_be32 (GByteArray *b, size_t at, uint32_t v)
{
  if (at + 4 > b->len)
    return;
  b->data[at] = (uint8_t) (v >> 24);
  b->data[at + 1] = (uint8_t) (v >> 16);
  b->data[at + 2] = (uint8_t) (v >> 8);
  b->data[at + 3] = (uint8_t) v;
}

static void
append_be32 (GByteArray *b, uint32_t v)
{
  uint8_t bytes[4] = { (uint8_t) (v >> 24), (uint8_t) (v >> 16), (uint8_t) (v >> 8), (uint8_t) v };
  g_byte_array_append (b, bytes, 4);
}

/* A valid pair of n images and labels. */
static void
make_pair (Rand *r, uint32_t n, GByteArray *images, GByteArray *labels)
{
  append_be32 (images, 0x00000803);
  append_be32 (images, n);
  append_be32 (images, RV_IMAGE_SIDE);
  append_be32 (images, RV_IMAGE_SIDE);
  for (uint32_t i = 0; i < n * RV_IMAGE_PIXELS; i++)
    {
      uint8_t v = (uint8_t) rand_u32 (r);
      g_byte_array_append (images, &v, 1);
    }
  append_be32 (labels, 0x00000801);
  append_be32 (labels, n);
  for (uint32_t i = 0; i < n; i++)
    {
      uint8_t v = (uint8_t) rand_below (r, RV_NUM_CLASSES);
      g_byte_array_append (labels, &v, 1);
    }
}

/* Appends one gzip member holding data[0..len) at the given level. */
static void
append_gzip (GByteArray *out, const uint8_t *data, size_t len, int level)
{
  z_stream z = { 0 };
  if (deflateInit2 (&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    abort ();
  size_t bound = deflateBound (&z, len) + 32;
  size_t at = out->len;
  g_byte_array_set_size (out, (guint) (at + bound));
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) len;
  z.next_out = out->data + at;
  z.avail_out = (uInt) bound;
  if (deflate (&z, Z_FINISH) != Z_STREAM_END)
    abort ();
  g_byte_array_set_size (out, (guint) (at + bound - z.avail_out));
  deflateEnd (&z);
}

/* Edits the structure of a plain image (is_images) or label file. */
static void
mutate_fields (Rand *r, GByteArray *b, gboolean is_images)
{
  static const uint32_t interesting[] = {
    0, 1, 2, 3, 9, 10, 27, 28, 29, 255, 256, 784, 0x801, 0x803, 0x7fffffff,
    0x80000000, 0xfffffffe, 0xffffffff, 1u << 22, (1u << 22) + 1, 60000,
  };
  size_t header = is_images ? 16 : 8;

  switch (rand_below (r, 4))
    {
    case 0: /* a header field (magic, count, rows or cols) */
      {
        size_t field = rand_below (r, (uint32_t) header / 4) * 4;
        uint32_t v = interesting[rand_below (r, G_N_ELEMENTS (interesting))];
        if (rand_chance (r, 30))
          v = rand_u32 (r);
        put_be32 (b, field, v);
      }
      break;
    case 1: /* a label or pixel value */
      if (b->len > header)
        b->data[header + rand_below (r, b->len - (guint) header)] =
          (uint8_t) (rand_chance (r, 50) ? rand_below (r, 16) : rand_u32 (r));
      break;
    case 2: /* a payload one item shorter or longer */
      {
        size_t item = is_images ? RV_IMAGE_PIXELS : 1;
        if (rand_chance (r, 50) && b->len >= header + item)
          g_byte_array_set_size (b, b->len - (guint) item);
        else
          g_byte_array_set_size (b, b->len + (guint) item);
      }
      break;
    default: /* a count one off */
      if (b->len >= 8)
        {
          uint32_t n = (uint32_t) b->data[4] << 24 | (uint32_t) b->data[5] << 16
                       | (uint32_t) b->data[6] << 8 | b->data[7];
          put_be32 (b, 4, rand_chance (r, 50) ? n + 1 : n - 1);
        }
      break;
    }
}

/* Raw damage to the final bytes, compressed or not. */
static void
mutate_bytes (Rand *r, GByteArray *b)
{
  switch (rand_below (r, 5))
    {
    case 0: /* bit flip */
      if (b->len > 0)
        b->data[rand_below (r, b->len)] ^= (uint8_t) (1u << rand_below (r, 8));
      break;
    case 1: /* byte set */
      if (b->len > 0)
        b->data[rand_below (r, b->len)] = (uint8_t) rand_u32 (r);
      break;
    case 2: /* truncation */
      g_byte_array_set_size (b, rand_below (r, b->len + 1));
      break;
    case 3: /* insertion of up to 16 random bytes */
      {
        uint8_t bytes[16];
        uint32_t count = 1 + rand_below (r, 16);
        for (uint32_t i = 0; i < count; i++)
          bytes[i] = (uint8_t) rand_u32 (r);
        guint at = rand_below (r, b->len + 1);
        g_byte_array_set_size (b, b->len + count);
        memmove (b->data + at + count, b->data + at, b->len - count - at);
        memcpy (b->data + at, bytes, count);
      }
      break;
    default: /* trailing bytes, sometimes a second gzip magic */
      {
        static const uint8_t tail[] = { 0x1f, 0x8b, 0x08, 0x00 };
        if (rand_chance (r, 50))
          g_byte_array_append (b, tail, 1 + rand_below (r, sizeof tail));
        else
          {
            uint8_t v = (uint8_t) rand_u32 (r);
            g_byte_array_append (b, &v, 1);
          }
      }
      break;
    }
}

/* Gzips part of the time: one member, or two (gzip allows concatenation). */
static GByteArray *
maybe_gzip (Rand *r, GByteArray *plain)
{
  if (!rand_chance (r, 45))
    return g_byte_array_ref (plain);
  GByteArray *out = g_byte_array_new ();
  int level = (int) rand_below (r, 10);
  if (rand_chance (r, 20) && plain->len > 1)
    {
      guint cut = 1 + rand_below (r, plain->len - 1);
      append_gzip (out, plain->data, cut, level);
      append_gzip (out, plain->data + cut, plain->len - cut, level);
    }
  else
    append_gzip (out, plain->data, plain->len, level);
  return out;
}

/* The target's input: split point (little-endian), images, labels. */
static GByteArray *
assemble (Rand *r, GByteArray *images, GByteArray *labels)
{
  GByteArray *in = g_byte_array_sized_new (4 + images->len + labels->len);
  uint32_t split = rand_chance (r, 5) ? rand_u32 (r) : images->len;
  uint8_t head[4] = { (uint8_t) split, (uint8_t) (split >> 8), (uint8_t) (split >> 16),
                      (uint8_t) (split >> 24) };
  g_byte_array_append (in, head, 4);
  g_byte_array_append (in, images->data, images->len);
  g_byte_array_append (in, labels->data, labels->len);
  return in;
}

/* One input: a valid pair, damaged per the draws (or left whole). */
static GByteArray *
make_input (Rand *r, gboolean pristine)
{
  g_autoptr (GByteArray) images = g_byte_array_new ();
  g_autoptr (GByteArray) labels = g_byte_array_new ();
  make_pair (r, 1 + rand_below (r, 5), images, labels);

  if (!pristine)
    for (uint32_t k = rand_below (r, 3); k > 0; k--)
      {
        gboolean on_images = rand_chance (r, 50);
        mutate_fields (r, on_images ? images : labels, on_images);
      }

  g_autoptr (GByteArray) images_out = maybe_gzip (r, images);
  g_autoptr (GByteArray) labels_out = maybe_gzip (r, labels);
  if (!pristine)
    for (uint32_t k = rand_below (r, 3); k > 0; k--)
      mutate_bytes (r, rand_chance (r, 50) ? images_out : labels_out);
  return assemble (r, images_out, labels_out);
}

/* Whether the reader accepts an input, asked directly (the target itself
 * only reports crashes); -1 when the split point is not the images' size. */
static int
accepts (GByteArray *in)
{
  uint32_t split = (uint32_t) in->data[0] | (uint32_t) in->data[1] << 8
                   | (uint32_t) in->data[2] << 16 | (uint32_t) in->data[3] << 24;
  if (split > in->len - 4)
    return -1;
  g_autoptr (GError) error = NULL;
  g_autoptr (RvImageSet) set = rv_image_set_parse (in->data + 4, split, in->data + 4 + split,
                                                   in->len - 4 - split, "check", &error);
  if (set == NULL && g_getenv ("FUZZ_IDX_VERBOSE") != NULL)
    printf ("  %s\n", error->message);
  return set != NULL;
}

int
main (int argc, char **argv)
{
  guint64 iterations = 1000, seed = 1;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--iterations") == 0 && i + 1 < argc)
        iterations = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
        seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else
        {
          fprintf (stderr, "usage: %s [--iterations N] [--seed S]\n", argv[0]);
          return 2;
        }
    }

  Rand r = { seed, 0, 0 };
  guint64 accepted = 0;

  /* Untouched seeds must load, or the run would only exercise rejection. */
  for (int k = 0; k < 16; k++)
    {
      g_autoptr (GByteArray) in = make_input (&r, TRUE);
      if (accepts (in) == 0)
        {
          fprintf (stderr, "fuzz-idx: a valid seed input was rejected\n");
          return 1;
        }
      LLVMFuzzerTestOneInput (in->data, in->len);
    }

  for (guint64 i = 0; i < iterations; i++)
    {
      g_autoptr (GByteArray) in = make_input (&r, FALSE);
      if (accepts (in) == 1)
        accepted++;
      LLVMFuzzerTestOneInput (in->data, in->len);
    }
  printf ("fuzz-idx: ran %" G_GUINT64_FORMAT " inputs (seed %" G_GUINT64_FORMAT
          "), %" G_GUINT64_FORMAT " accepted, the rest rejected cleanly\n",
          iterations, seed, accepted);
  return 0;
}
