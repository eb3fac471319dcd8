/* rv-safetensors.h: the safetensors file format, for F32 tensors (and, on
 * request, F16 and BF16 ones read as F32).
 *
 * A file is an 8-byte little-endian length N, N bytes of JSON header
 *   {"__metadata__": {"key": "value", ...},
 *    "NAME": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
 * and then the tensor data: little-endian, C order, each tensor at
 * [begin, end) of the data, which the tensors cover exactly.  It is the format
 * `safetensors.torch.load_file` and `safetensors.numpy.load_file` read.
 *
 * The reader checks every rule of the format and refuses anything else with
 * RV_ERROR_CHECKPOINT and a message that starts with the file name ("PATH:
 * truncated: ..."); failures to read or write are RV_ERROR_IO; a bad tensor
 * list given to the writer is RV_ERROR_ARGUMENT.  The writer writes F32 only.  Files are written with rv-atomic-file, so a failed write
 * leaves the previous file as it was. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

#define RV_SAFETENSORS_MAX_DIMS 8
/* The format's own limit on the header, which keeps a corrupt length from
 * meaning anything. */
#define RV_SAFETENSORS_MAX_HEADER 100000000u
/* The largest file rv_safetensors_read reads (16 GiB, well above the widest
 * network Ravine builds); it reads regular files only. */
#define RV_SAFETENSORS_MAX_FILE (UINT64_C (1) << 34)

/* What a tensor's data is stored as in the file. */
typedef enum {
  RV_SAFETENSOR_F32 = 0,
  RV_SAFETENSOR_F16,    /* IEEE binary16 */
  RV_SAFETENSOR_BF16,   /* bfloat16: the upper half of a binary32 */
} RvSafetensorDtype;

typedef struct {
  const char *name;
  uint32_t n_dims;
  uint64_t shape[RV_SAFETENSORS_MAX_DIMS];
  const float *data;    /* n_elements floats in host byte order, C order */
  RvSafetensorDtype dtype;  /* as stored; data is float32 whatever it is */
} RvSafetensor;

/* "F32", "F16", "BF16" */
const char *rv_safetensor_dtype_name (RvSafetensorDtype dtype);

typedef enum {
  RV_SAFETENSORS_F32_ONLY = 0,
  /* Also accept F16 and BF16 tensors, converted to float32 (exactly: every
   * half and bfloat16 value is a float32 value). */
  RV_SAFETENSORS_ACCEPT_HALF = 1 << 0,
} RvSafetensorsFlags;

static inline uint64_t
rv_safetensor_n_elements (const RvSafetensor *t)
{
  uint64_t n = 1;

  for (uint32_t d = 0; d < t->n_dims; d++)
    n *= t->shape[d];
  return n;
}

/* Writes tensors, in that order, and metadata (string to string, may be NULL)
 * to path.  The header is padded so that the data starts 8-byte aligned. */
gboolean rv_safetensors_write (const char *path, const RvSafetensor *tensors, size_t n_tensors,
                               GHashTable *metadata, GError **error);

typedef struct _RvSafetensors RvSafetensors;

/* Reads and checks the whole file, which must be a regular file of at most
 * RV_SAFETENSORS_MAX_FILE bytes (anything else is RV_ERROR_IO: "PATH: is a
 * FIFO, not a regular file"). */
RvSafetensors *rv_safetensors_read (const char *path, GError **error);
/* The same, taking contents (len bytes from g_malloc), which it keeps or
 * frees: a file read whole is parsed without a second copy. */
RvSafetensors *rv_safetensors_parse_take (char *contents, size_t len, const char *name, GError **error);
/* rv_safetensors_parse_take with flags. */
RvSafetensors *rv_safetensors_parse_take_full (char *contents, size_t len, const char *name,
                                               RvSafetensorsFlags flags, GError **error);
/* The same for a file already in memory; name is what errors call it. */
RvSafetensors *rv_safetensors_parse (const void *contents, size_t len, const char *name,
                                     GError **error);
void rv_safetensors_free (RvSafetensors *st);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RvSafetensors, rv_safetensors_free)

/* Tensors in the order of their data in the file.  Data pointers, names and
 * the metadata table stay valid until rv_safetensors_free(). */
size_t rv_safetensors_get_n_tensors (const RvSafetensors *st);
const RvSafetensor *rv_safetensors_get_tensor (const RvSafetensors *st, size_t i);
/* NULL when the file has no tensor of that name. */
const RvSafetensor *rv_safetensors_lookup (const RvSafetensors *st, const char *name);
/* The "__metadata__" entries, string to string; empty when there are none. */
GHashTable *rv_safetensors_get_metadata (const RvSafetensors *st);

/* "[256, 512]", for messages. */
char *rv_safetensor_shape_string (const RvSafetensor *t);

G_END_DECLS
