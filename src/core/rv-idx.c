/* rv-idx.c: the IDX reader (LeCun's MNIST format, as FashionMNIST ships it).
 *
 * An image file is a big-endian header (magic 0x00000803, count, rows, cols)
 * followed by count*rows*cols pixel bytes; a label file is (magic 0x00000801,
 * count) followed by count label bytes.  Files are usually gzip-compressed;
 * plain files are accepted too.  Input is hostile until proven otherwise:
 * every size is checked before it is trusted, and memory grows only as fast
 * as data actually arrives, so a lying header cannot force a huge allocation. */
#include "rv-dataset.h"
#include "rv-dataset-files.h"
#include "rv-error.h"
#include "rv-file.h"

#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define IDX_IMAGES_MAGIC 0x00000803u
#define IDX_LABELS_MAGIC 0x00000801u
#define IDX_IMAGES_HEADER 16
#define IDX_LABELS_HEADER 8
/* A sanity bound on the declared count: above any 28x28 IDX set of ten
 * classes in use (FashionMNIST and MNIST have 60,000, QMNIST 120,000), and
 * a cap on what decompression may produce: 262,144 images are 206 MB. */
#define IDX_MAX_COUNT (1u << 18)
/* Neither a plain nor a gzipped file of that many images is bigger. */
#define IDX_MAX_FILE_BYTES RV_DATASET_FILE_MAX_BYTES
/* Trailing bytes are counted up to here, then refused without reading on:
 * draining a gzip bomb would take minutes. */
#define IDX_MAX_TRAILING (1u << 20)
#define SCRATCH_SIZE 16384

/* A byte source over one file's contents: plain bytes or a gzip stream
 * (possibly several concatenated members, as gzip itself allows). */
typedef struct {
  const char *name;    /* for messages */
  const uint8_t *data;
  size_t len;
  size_t pos;          /* plain: next byte to hand out */
  gboolean gzip;
  gboolean z_ready;    /* inflateInit2 succeeded; needs inflateEnd */
  gboolean z_done;     /* the last member ended cleanly and no input remains */
  z_stream z;
} Source;

static gboolean
is_gzip (const uint8_t *data, size_t len)
{
  return len >= 2 && data[0] == 0x1f && data[1] == 0x8b;
}

static gboolean
source_open (Source *src, const char *name, const uint8_t *data, size_t len, GError **error)
{
  memset (src, 0, sizeof *src);
  src->name = name;
  src->data = data;
  src->len = len;
  src->gzip = is_gzip (data, len);
  if (!src->gzip)
    return TRUE;

  /* 16 + MAX_WBITS: expect a gzip header and trailer (CRC-32, length). */
  if (inflateInit2 (&src->z, 16 + MAX_WBITS) != Z_OK)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                   "%s: cannot start gzip decompression (out of memory)", name);
      return FALSE;
    }
  src->z_ready = TRUE;
  src->z.next_in = (Bytef *) data;
  src->z.avail_in = (uInt) MIN (len, (size_t) G_MAXUINT32);
  src->pos = src->z.avail_in;   /* input handed to zlib so far */
  return TRUE;
}

static void
source_close (Source *src)
{
  if (src->z_ready)
    inflateEnd (&src->z);
  src->z_ready = FALSE;
}

/* Refills zlib's input window from what remains of the file (zlib counts
 * input in 32-bit units; files past 4 GiB go through in slices). */
static void
source_feed (Source *src)
{
  if (src->z.avail_in == 0 && src->pos < src->len)
    {
      src->z.next_in = (Bytef *) src->data + src->pos;
      src->z.avail_in = (uInt) MIN (src->len - src->pos, (size_t) G_MAXUINT32);
      src->pos += src->z.avail_in;
    }
}

static size_t
source_input_left (const Source *src)
{
  return src->z.avail_in + (src->len - src->pos);
}

/* Reads up to `want` bytes into buf.  Returns the number read (fewer only at
 * the end of the data), or -1 with `error` set when the gzip stream is
 * corrupt, truncated or followed by garbage. */
static gssize
source_read (Source *src, uint8_t *buf, size_t want, GError **error)
{
  if (!src->gzip)
    {
      size_t n = MIN (want, src->len - src->pos);
      if (n > 0)
        memcpy (buf, src->data + src->pos, n);
      src->pos += n;
      return (gssize) n;
    }

  size_t got = 0;
  while (got < want && !src->z_done)
    {
      source_feed (src);
      src->z.next_out = buf + got;
      src->z.avail_out = (uInt) MIN (want - got, (size_t) G_MAXUINT32);
      uInt before = src->z.avail_out;
      int rc = inflate (&src->z, Z_NO_FLUSH);
      got += before - src->z.avail_out;

      if (rc == Z_STREAM_END)
        {
          source_feed (src);
          size_t left = source_input_left (src);
          if (left == 0)
            {
              src->z_done = TRUE;
            }
          else if (src->z.avail_in >= 2 && is_gzip (src->z.next_in, src->z.avail_in))
            {
              /* Another gzip member follows: decode it as a continuation. */
              if (inflateReset (&src->z) != Z_OK)
                {
                  g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                               "%s: cannot restart gzip decompression", src->name);
                  return -1;
                }
            }
          else
            {
              g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                           "%s: %" G_GSIZE_FORMAT " bytes of trailing garbage after the gzip stream",
                           src->name, left);
              return -1;
            }
        }
      else if (rc == Z_DATA_ERROR)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: corrupt gzip data (%s)",
                       src->name, src->z.msg ? src->z.msg : "invalid stream");
          return -1;
        }
      else if (rc == Z_MEM_ERROR)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                       "%s: out of memory while decompressing", src->name);
          return -1;
        }
      else if (rc == Z_BUF_ERROR && src->z.avail_in > 0)
        {
          /* zlib had input and room for output yet moved neither. */
          g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: gzip decompression made no progress",
                       src->name);
          return -1;
        }
      else if (rc == Z_BUF_ERROR || (rc == Z_OK && before == src->z.avail_out))
        {
          /* No progress possible: zlib wants input and none is left. */
          if (source_input_left (src) == 0)
            {
              g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                           "%s: the gzip stream is truncated (it ends before its end marker)",
                           src->name);
              return -1;
            }
        }
      else if (rc != Z_OK)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: gzip decompression failed (%s)",
                       src->name, src->z.msg ? src->z.msg : zError (rc));
          return -1;
        }
    }
  return (gssize) got;
}

/* Reads exactly `want` bytes or fails; `what` says what was being read. */
static gboolean
source_read_exact (Source *src, uint8_t *buf, size_t want, const char *what, GError **error)
{
  gssize got = source_read (src, buf, want, error);
  if (got < 0)
    return FALSE;
  if ((size_t) got < want)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                   "%s: truncated in the %s (%" G_GSSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes)",
                   src->name, what, got, want);
      return FALSE;
    }
  return TRUE;
}

/* Reads the `want`-byte body into a new buffer that grows with the data, so
 * a header declaring more than the file holds costs no more memory than the
 * file really decompresses to.  `expect` describes the body for messages. */
static uint8_t *
source_read_body (Source *src, size_t want, const char *expect, GError **error)
{
  /* Plain input holds at most its own length; compressed input starts from
   * a guess of three times its size (FashionMNIST's files inflate about 2x). */
  size_t cap = src->len;
  if (src->gzip)
    cap = src->len < want / 3 ? src->len * 3 : want;
  cap = CLAMP (cap, (size_t) 1, want);
  uint8_t *body = g_malloc (cap);
  size_t have = 0;

  while (have < want)
    {
      if (have == cap)
        {
          cap = cap < want / 2 ? MAX (cap * 2, (size_t) 65536) : want;
          cap = MIN (cap, want);
          body = g_realloc (body, cap);
        }
      gssize got = source_read (src, body + have, cap - have, error);
      if (got < 0)
        {
          g_free (body);
          return NULL;
        }
      if (got == 0)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                       "%s: truncated: the header declares %s (%" G_GSIZE_FORMAT
                       " bytes) but only %" G_GSIZE_FORMAT " are present",
                       src->name, expect, want, have);
          g_free (body);
          return NULL;
        }
      have += (size_t) got;
    }
  return body;
}

/* Drains the source after the declared body: any byte left is an error, and
 * draining also makes zlib check the gzip CRC and length. */
static gboolean
source_expect_end (Source *src, const char *expect, GError **error)
{
  uint8_t scratch[SCRATCH_SIZE];
  guint64 extra = 0;

  for (;;)
    {
      gssize got = source_read (src, scratch, sizeof scratch, error);
      if (got < 0)
        return FALSE;
      if (got == 0)
        break;
      extra += (guint64) got;
      if (extra > IDX_MAX_TRAILING)
        {
          g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                       "%s: more than %u unexpected trailing bytes after %s",
                       src->name, IDX_MAX_TRAILING, expect);
          return FALSE;
        }
    }
  if (extra > 0)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                   "%s: %" G_GUINT64_FORMAT " unexpected trailing bytes after %s",
                   src->name, extra, expect);
      return FALSE;
    }
  return TRUE;
}

static uint32_t
read_be32 (const uint8_t *p)
{
  return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static gboolean
check_magic (const Source *src, uint32_t magic, uint32_t expected, GError **error)
{
  if (magic == expected)
    return TRUE;
  const char *hint = "";
  if (expected == IDX_IMAGES_MAGIC && magic == IDX_LABELS_MAGIC)
    hint = "; this looks like a label file";
  else if (expected == IDX_LABELS_MAGIC && magic == IDX_IMAGES_MAGIC)
    hint = "; this looks like an image file";
  else if ((magic >> 16) != 0)
    hint = "; this is not an IDX file";
  g_set_error (error, RV_ERROR, RV_ERROR_DATA,
               "%s: magic number 0x%08x is not 0x%08x (IDX unsigned-byte %s)%s",
               src->name, magic, expected,
               expected == IDX_IMAGES_MAGIC ? "images, 3 dimensions" : "labels, 1 dimension",
               hint);
  return FALSE;
}

static gboolean
check_count (const Source *src, uint32_t n, const char *things, GError **error)
{
  if (n == 0)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: the header declares 0 %s", src->name, things);
      return FALSE;
    }
  if (n > IDX_MAX_COUNT)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA,
                   "%s: the header declares %u %s, more than the %u this reader accepts",
                   src->name, n, things, IDX_MAX_COUNT);
      return FALSE;
    }
  return TRUE;
}

/* Reads and checks an image file; returns its pixels and sets *n_out. */
static uint8_t *
parse_images (Source *src, uint32_t *n_out, GError **error)
{
  uint8_t header[IDX_IMAGES_HEADER];
  if (!source_read_exact (src, header, sizeof header, "16-byte IDX image header", error)
      || !check_magic (src, read_be32 (header), IDX_IMAGES_MAGIC, error))
    return NULL;

  uint32_t n = read_be32 (header + 4);
  uint32_t rows = read_be32 (header + 8);
  uint32_t cols = read_be32 (header + 12);
  if (rows != RV_IMAGE_SIDE || cols != RV_IMAGE_SIDE)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: images are %ux%u, expected %dx%d",
                   src->name, rows, cols, RV_IMAGE_SIDE, RV_IMAGE_SIDE);
      return NULL;
    }
  if (!check_count (src, n, "images", error))
    return NULL;

  size_t bytes;
  if (!g_size_checked_mul (&bytes, n, RV_IMAGE_PIXELS))
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: %u images do not fit in memory",
                   src->name, n);
      return NULL;
    }
  g_autofree char *expect = g_strdup_printf ("%u images", n);
  uint8_t *pixels = source_read_body (src, bytes, expect, error);
  if (pixels == NULL)
    return NULL;
  g_autofree char *after = g_strdup_printf ("the %u declared images", n);
  if (!source_expect_end (src, after, error))
    {
      g_free (pixels);
      return NULL;
    }
  *n_out = n;
  return pixels;
}

/* Reads and checks a label file against the image count. */
static uint8_t *
parse_labels (Source *src, uint32_t n_images, const char *images_name, GError **error)
{
  uint8_t header[IDX_LABELS_HEADER];
  if (!source_read_exact (src, header, sizeof header, "8-byte IDX label header", error)
      || !check_magic (src, read_be32 (header), IDX_LABELS_MAGIC, error))
    return NULL;

  uint32_t n = read_be32 (header + 4);
  if (!check_count (src, n, "labels", error))
    return NULL;
  if (n != n_images)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: declares %u labels but %s holds %u images",
                   src->name, n, images_name, n_images);
      return NULL;
    }

  g_autofree char *expect = g_strdup_printf ("%u labels", n);
  uint8_t *labels = source_read_body (src, n, expect, error);
  if (labels == NULL)
    return NULL;
  g_autofree char *after = g_strdup_printf ("the %u declared labels", n);
  if (!source_expect_end (src, after, error))
    {
      g_free (labels);
      return NULL;
    }
  for (uint32_t i = 0; i < n; i++)
    if (labels[i] >= RV_NUM_CLASSES)
      {
        g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: label %u at index %u is outside 0..%d",
                     src->name, labels[i], i, RV_NUM_CLASSES - 1);
        g_free (labels);
        return NULL;
      }
  return labels;
}

/* The shared body of parse and load: each file is named in its own errors. */
static RvImageSet *
parse_pair (const uint8_t *images, size_t images_len, const char *images_name,
            const uint8_t *labels, size_t labels_len, const char *labels_name,
            GError **error)
{
  Source src;
  uint32_t n = 0;

  if (!source_open (&src, images_name, images, images_len, error))
    return NULL;
  uint8_t *pixels = parse_images (&src, &n, error);
  source_close (&src);
  if (pixels == NULL)
    return NULL;

  if (!source_open (&src, labels_name, labels, labels_len, error))
    {
      g_free (pixels);
      return NULL;
    }
  uint8_t *label_bytes = parse_labels (&src, n, images_name, error);
  source_close (&src);
  if (label_bytes == NULL)
    {
      g_free (pixels);
      return NULL;
    }

  RvImageSet *set = g_new0 (RvImageSet, 1);
  set->pixels = pixels;
  set->labels = label_bytes;
  set->n = n;
  return set;
}

RvImageSet *
rv_image_set_parse (const uint8_t *images, size_t images_len,
                    const uint8_t *labels, size_t labels_len,
                    const char *what, GError **error)
{
  g_return_val_if_fail (images != NULL || images_len == 0, NULL);
  g_return_val_if_fail (labels != NULL || labels_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (what == NULL)
    what = "IDX data";
  g_autofree char *images_name = g_strdup_printf ("%s (images)", what);
  g_autofree char *labels_name = g_strdup_printf ("%s (labels)", what);
  return parse_pair (images, images_len, images_name, labels, labels_len, labels_name, error);
}

/* Reads a whole file; a missing, unreadable or oversized one, or one that
 * is not a regular file, is a data error naming it. */
static gboolean
read_file (const char *path, const char *name, char **contents, gsize *len, GError **error)
{
  g_autoptr (GError) local = NULL;
  RvDatasetFileState state;
  int fd = rv_dataset_file_open (path, name, IDX_MAX_FILE_BYTES, NULL, &state, &local);
  if (fd < 0)
    {
      if (state == RV_DATASET_FILE_MISSING)
        g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: file not found", name);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  close (fd);
  /* rv_file_read_all opens it again with the same checks and stops at the
   * cap even if the file grows meanwhile. */
  *contents = rv_file_read_all (path, IDX_MAX_FILE_BYTES, len, &local);
  if (*contents == NULL)
    {
      g_set_error (error, RV_ERROR, RV_ERROR_DATA, "%s: cannot be read (%s)", name, local->message);
      return FALSE;
    }
  return TRUE;
}

RvImageSet *
rv_image_set_load (const char *images_path, const char *labels_path, GError **error)
{
  g_return_val_if_fail (images_path != NULL && labels_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autofree char *images_name = g_filename_display_name (images_path);
  g_autofree char *labels_name = g_filename_display_name (labels_path);
  g_autofree char *images = NULL;
  g_autofree char *labels = NULL;
  gsize images_len = 0, labels_len = 0;

  if (!read_file (images_path, images_name, &images, &images_len, error)
      || !read_file (labels_path, labels_name, &labels, &labels_len, error))
    return NULL;
  return parse_pair ((const uint8_t *) images, images_len, images_name,
                     (const uint8_t *) labels, labels_len, labels_name, error);
}

void
rv_image_set_free (RvImageSet *set)
{
  if (set == NULL)
    return;
  g_free (set->pixels);
  g_free (set->labels);
  g_free (set);
}
