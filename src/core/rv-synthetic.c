/* rv-synthetic.c: a FashionMNIST stand-in drawn procedurally, for running
 * and testing without the real files.
 *
 * Each class is a garment-like silhouette built from a few primitives (boxes,
 * capsules, trapezoids, ellipses, rings) whose sizes are drawn from
 * class-specific ranges.  The ranges of similar classes overlap on purpose
 * (a shirt may have short sleeves and no collar, like a T-shirt; a coat may
 * lack its opening, like a pullover), so a classifier does well but never
 * perfectly, as on the real data.  A random placement, scale, tilt,
 * brightness, fabric pattern and noise vary every image.  Overall pixel
 * statistics come close to FashionMNIST's (x/255: mean 0.29, std 0.35), so
 * the tutorial's normalization still gives inputs near mean 0, variance 1.
 *
 * Every image draws its random words from its own Philox counter block
 * (block, image, stream), so images are independent of generation order and
 * can be rendered on any number of threads with the same result. */
#include "rv-dataset-private.h"
#include "rv-rng.h"

#include <math.h>
#include <string.h>

/* Plain comparisons: libm's minf/maxf honour NaN rules no input here
 * needs, and as calls they would dominate the rendering time. */
static inline float
minf (float a, float b)
{
  return a < b ? a : b;
}

static inline float
maxf (float a, float b)
{
  return a > b ? a : b;
}

/* Random words for one image: counter (block, image, stream lo, stream hi),
 * key = seed, the same layout as rv_rng_u32 with index (image << 32 | block) * 4. */
typedef struct {
  uint32_t key[2];
  uint32_t ctr[4];
  uint32_t words[4];
  unsigned next;
} Draw;

static void
draw_init (Draw *d, uint64_t seed, uint64_t stream, uint32_t image)
{
  d->key[0] = (uint32_t) seed;
  d->key[1] = (uint32_t) (seed >> 32);
  d->ctr[0] = 0;
  d->ctr[1] = image;
  d->ctr[2] = (uint32_t) stream;
  d->ctr[3] = (uint32_t) (stream >> 32);
  d->next = 4;
}

static uint32_t
draw_u32 (Draw *d)
{
  if (d->next == 4)
    {
      rv_philox4x32_10 (d->ctr, d->key, d->words);
      d->ctr[0]++;
      d->next = 0;
    }
  return d->words[d->next++];
}

static float
uni (Draw *d, float lo, float hi)
{
  float u = ((float) (draw_u32 (d) >> 8) + 0.5f) * (1.0f / 16777216.0f);
  return lo + (hi - lo) * u;
}

static gboolean
chance (Draw *d, float p)
{
  return uni (d, 0.0f, 1.0f) < p;
}

/* Shapes are described in a frame centred on the image, in pixels, y down. */
typedef enum {
  PRIM_BOX,  /* centre (x0, y0), half sizes (r0, r1) */
  PRIM_SEG,  /* capsule from (x0, y0) to (x1, y1), radius r0 */
  PRIM_TRAP, /* centre line x0, from y0 (half width r0) down to y1 (half width r1) */
  PRIM_ELL,  /* ellipse centre (x0, y0), radii (r0, r1) */
  PRIM_RING, /* the outline of that ellipse, x1 thick */
} PrimKind;

typedef struct {
  PrimKind kind;
  float x0, y0, x1, y1, r0, r1;
} Prim;

static Prim
box (float x, float y, float hx, float hy)
{
  return (Prim) { PRIM_BOX, x, y, 0, 0, hx, hy };
}

static Prim
seg (float xa, float ya, float xb, float yb, float r)
{
  return (Prim) { PRIM_SEG, xa, ya, xb, yb, r, 0 };
}

static Prim
trap (float x, float y_top, float y_bottom, float half_top, float half_bottom)
{
  return (Prim) { PRIM_TRAP, x, y_top, 0, y_bottom, half_top, half_bottom };
}

static Prim
ell (float x, float y, float rx, float ry)
{
  return (Prim) { PRIM_ELL, x, y, 0, 0, rx, ry };
}

static Prim
ring (float x, float y, float rx, float ry, float thick)
{
  return (Prim) { PRIM_RING, x, y, thick, 0, rx, ry };
}

/* Signed distance (approximate away from edges, which is all antialiasing
 * needs): negative inside. */
static inline float
prim_dist (PrimKind kind, const Prim *p, float u, float v)
{
  switch (kind)
    {
    case PRIM_BOX:
      return maxf (fabsf (u - p->x0) - p->r0, fabsf (v - p->y0) - p->r1);
    case PRIM_SEG:
      {
        float bx = p->x1 - p->x0, by = p->y1 - p->y0;
        float px = u - p->x0, py = v - p->y0;
        float len2 = bx * bx + by * by;
        float t = len2 > 0 ? minf (maxf ((px * bx + py * by) / len2, 0.0f), 1.0f) : 0.0f;
        float dx = px - t * bx, dy = py - t * by;
        return sqrtf (dx * dx + dy * dy) - p->r0;
      }
    case PRIM_TRAP:
      {
        float t = (v - p->y0) / (p->y1 - p->y0);
        float half = p->r0 + (p->r1 - p->r0) * minf (maxf (t, 0.0f), 1.0f);
        return maxf (fabsf (u - p->x0) - half, maxf (p->y0 - v, v - p->y1));
      }
    case PRIM_ELL:
    case PRIM_RING:
      {
        float du = (u - p->x0) / p->r0, dv = (v - p->y0) / p->r1;
        float d = (sqrtf (du * du + dv * dv) - 1.0f) * minf (p->r0, p->r1);
        return kind == PRIM_ELL ? d : fabsf (d) - 0.5f * p->x1;
      }
    default:
      g_assert_not_reached ();
    }
}

static void
prim_bounds (const Prim *p, float *u0, float *v0, float *u1, float *v1)
{
  float grow = p->kind == PRIM_RING ? 0.5f * p->x1 : 0.0f;
  switch (p->kind)
    {
    case PRIM_BOX:
    case PRIM_ELL:
    case PRIM_RING:
      *u0 = p->x0 - p->r0 - grow;
      *u1 = p->x0 + p->r0 + grow;
      *v0 = p->y0 - p->r1 - grow;
      *v1 = p->y0 + p->r1 + grow;
      break;
    case PRIM_SEG:
      *u0 = minf (p->x0, p->x1) - p->r0;
      *u1 = maxf (p->x0, p->x1) + p->r0;
      *v0 = minf (p->y0, p->y1) - p->r0;
      *v1 = maxf (p->y0, p->y1) + p->r0;
      break;
    case PRIM_TRAP:
      *u0 = p->x0 - maxf (p->r0, p->r1);
      *u1 = p->x0 + maxf (p->r0, p->r1);
      *v0 = p->y0;
      *v1 = p->y1;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* An image being drawn: intensities in [0, 1] and the shape-to-pixel map
 * pixel = centre + scale * rotate (shape). */
typedef struct {
  float a[RV_IMAGE_PIXELS];
  float cx, cy, cos_t, sin_t, scale;
  float bright;
} Canvas;

/* Covers pixels [x0, x1] x [y0, y1] with one primitive.  Always inlined with
 * a constant kind, so each kind gets its own loop without a switch inside;
 * u and v step linearly along a row. */
G_ALWAYS_INLINE static inline void
raster (Canvas *c, const Prim *p, PrimKind kind, float value, int x0, int x1, int y0, int y1)
{
  float inv = 1.0f / c->scale;
  float du = inv * c->cos_t, dv = -inv * c->sin_t;
  for (int y = y0; y <= y1; y++)
    {
      float px = (float) x0 + 0.5f - c->cx, py = (float) y + 0.5f - c->cy;
      float u = inv * (c->cos_t * px + c->sin_t * py);
      float v = inv * (-c->sin_t * px + c->cos_t * py);
      float *a = &c->a[y * RV_IMAGE_SIDE];
      for (int x = x0; x <= x1; x++, u += du, v += dv)
        {
          float cover = 0.5f - c->scale * prim_dist (kind, p, u, v);
          if (cover <= 0.0f)
            continue;
          cover = minf (cover, 1.0f);
          if (value > 0.0f)
            a[x] = maxf (a[x], cover * value);
          else
            a[x] *= 1.0f - cover * -value;
        }
    }
}

/* Paints (value > 0: a = max (a, coverage * value)) or cuts (value < 0:
 * a *= 1 - coverage * |value|) a primitive over the pixels it can touch. */
static void
apply (Canvas *c, const Prim *p, float value)
{
  float u0, v0, u1, v1;
  prim_bounds (p, &u0, &v0, &u1, &v1);

  /* Pixel bounding box of the rotated shape box, plus a pixel of margin. */
  float xmin = G_MAXFLOAT, xmax = -G_MAXFLOAT, ymin = G_MAXFLOAT, ymax = -G_MAXFLOAT;
  for (int k = 0; k < 4; k++)
    {
      float u = (k & 1) ? u1 : u0, v = (k & 2) ? v1 : v0;
      float x = c->cx + c->scale * (c->cos_t * u - c->sin_t * v);
      float y = c->cy + c->scale * (c->sin_t * u + c->cos_t * v);
      xmin = minf (xmin, x);
      xmax = maxf (xmax, x);
      ymin = minf (ymin, y);
      ymax = maxf (ymax, y);
    }
  int x0 = MAX (0, (int) floorf (xmin - 1.0f)), x1 = MIN (RV_IMAGE_SIDE - 1, (int) ceilf (xmax + 1.0f));
  int y0 = MAX (0, (int) floorf (ymin - 1.0f)), y1 = MIN (RV_IMAGE_SIDE - 1, (int) ceilf (ymax + 1.0f));

  switch (p->kind)
    {
    case PRIM_BOX:
      raster (c, p, PRIM_BOX, value, x0, x1, y0, y1);
      break;
    case PRIM_SEG:
      raster (c, p, PRIM_SEG, value, x0, x1, y0, y1);
      break;
    case PRIM_TRAP:
      raster (c, p, PRIM_TRAP, value, x0, x1, y0, y1);
      break;
    case PRIM_ELL:
      raster (c, p, PRIM_ELL, value, x0, x1, y0, y1);
      break;
    case PRIM_RING:
      raster (c, p, PRIM_RING, value, x0, x1, y0, y1);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
paint (Canvas *c, Draw *d, Prim p, float value)
{
  apply (c, &p, c->bright * value * uni (d, 0.9f, 1.1f));
}

static void
cut (Canvas *c, Prim p, float depth)
{
  apply (c, &p, -depth);
}

/* Tops share one model: a body, two sleeves, a neckline.  Classes differ in
 * the ranges of sleeve length and angle, and in their details. */
typedef struct {
  float half_top, half_bottom, y_top, y_bottom;
  float sleeve_len, sleeve_angle, sleeve_r;
  float neck_w, neck_d;
} Top;

static void
draw_top (Canvas *c, Draw *d, const Top *t)
{
  paint (c, d, trap (0, t->y_top, t->y_bottom, t->half_top, t->half_bottom), 1.0f);
  float sx = sinf (t->sleeve_angle), sy = cosf (t->sleeve_angle);
  for (int side = -1; side <= 1; side += 2)
    {
      float ax = side * (t->half_top - 0.6f * t->sleeve_r), ay = t->y_top + t->sleeve_r;
      paint (c, d, seg (ax, ay, ax + side * sx * t->sleeve_len, ay + sy * t->sleeve_len,
                        t->sleeve_r), 0.95f);
    }
  cut (c, ell (0, t->y_top - 0.5f, t->neck_w, t->neck_d), 1.0f);
}

static void
draw_tshirt (Canvas *c, Draw *d)
{
  float half = uni (d, 6.5f, 8.5f);
  Top t = { half, half * uni (d, 0.85f, 1.0f), uni (d, -12.0f, -10.0f), uni (d, 10.0f, 13.0f),
            uni (d, 3.0f, 6.5f), uni (d, 0.85f, 1.3f), uni (d, 2.5f, 3.5f),
            uni (d, 2.5f, 4.0f), uni (d, 1.5f, 3.0f) };
  draw_top (c, d, &t);
}

static void
draw_pullover (Canvas *c, Draw *d)
{
  float half = uni (d, 6.0f, 8.0f);
  Top t = { half, half * uni (d, 0.8f, 0.95f), uni (d, -12.0f, -10.0f), uni (d, 10.0f, 13.0f),
            uni (d, 16.0f, 21.0f), uni (d, 0.2f, 0.45f), uni (d, 2.0f, 3.0f),
            uni (d, 2.0f, 3.0f), uni (d, 1.0f, 2.0f) };
  draw_top (c, d, &t);
  if (chance (d, 0.6f)) /* ribbed hem */
    cut (c, box (0, t.y_bottom - 1.5f, t.half_bottom, 0.5f), uni (d, 0.2f, 0.45f));
}

static void
draw_coat (Canvas *c, Draw *d)
{
  float half = uni (d, 6.0f, 8.0f);
  Top t = { half, half * uni (d, 0.9f, 1.05f), uni (d, -13.0f, -11.0f), uni (d, 11.0f, 13.5f),
            uni (d, 18.0f, 23.0f), uni (d, 0.14f, 0.35f), uni (d, 2.2f, 3.2f),
            uni (d, 1.5f, 2.5f), uni (d, 0.8f, 1.5f) };
  draw_top (c, d, &t);
  if (chance (d, 0.85f)) /* the opening down the front */
    cut (c, seg (0, t.y_top, 0, t.y_bottom, 0.45f), uni (d, 0.4f, 0.8f));
  if (chance (d, 0.6f)) /* lapels */
    for (int side = -1; side <= 1; side += 2)
      paint (c, d, seg (side * 1.5f, t.y_top, side * 3.5f, t.y_top + 5.0f, 0.7f), 1.0f);
  if (chance (d, 0.5f)) /* pockets */
    for (int side = -1; side <= 1; side += 2)
      cut (c, box (side * 0.5f * half, 0.5f * t.y_bottom, 1.8f, 0.3f), 0.4f);
}

static void
draw_shirt (Canvas *c, Draw *d)
{
  float half = uni (d, 6.0f, 8.0f);
  gboolean long_sleeves = chance (d, 0.7f);
  Top t = { half, half * uni (d, 0.85f, 1.0f), uni (d, -12.0f, -10.0f), uni (d, 10.0f, 13.0f),
            long_sleeves ? uni (d, 15.0f, 21.0f) : uni (d, 4.0f, 7.0f),
            long_sleeves ? uni (d, 0.17f, 0.45f) : uni (d, 0.8f, 1.2f), uni (d, 2.0f, 3.2f),
            uni (d, 1.8f, 3.0f), uni (d, 1.2f, 2.5f) };
  draw_top (c, d, &t);
  if (chance (d, 0.6f)) /* collar */
    for (int side = -1; side <= 1; side += 2)
      paint (c, d, seg (side * t.neck_w, t.y_top, side * 0.8f, t.y_top + 3.0f, 0.9f), 1.0f);
  if (chance (d, 0.7f)) /* button placket */
    cut (c, seg (0, t.y_top + t.neck_d, 0, t.y_bottom, 0.35f), uni (d, 0.2f, 0.5f));
}

static void
draw_trouser (Canvas *c, Draw *d)
{
  float top = uni (d, -13.5f, -11.5f), bottom = uni (d, 11.5f, 13.5f);
  float waist = uni (d, 4.5f, 6.0f), spread = uni (d, 2.5f, 5.0f), r = uni (d, 2.2f, 3.0f);
  paint (c, d, box (0, top + 1.5f, waist, 1.5f), 1.0f);
  for (int side = -1; side <= 1; side += 2)
    paint (c, d, seg (side * (waist - r), top + 1.5f, side * spread, bottom - r, r), 1.0f);
}

static void
draw_dress (Canvas *c, Draw *d)
{
  float top = uni (d, -13.0f, -11.0f), bottom = uni (d, 11.0f, 13.5f);
  float half_top = uni (d, 3.0f, 5.0f), half_bottom = uni (d, 7.0f, 10.5f);
  paint (c, d, trap (0, top, bottom, half_top, half_bottom), 1.0f);
  if (chance (d, 0.4f)) /* short sleeves */
    for (int side = -1; side <= 1; side += 2)
      paint (c, d, seg (side * half_top, top + 1.5f, side * (half_top + 3.0f), top + 4.0f, 1.5f), 0.9f);
  cut (c, ell (0, top - 0.5f, uni (d, 1.5f, 3.0f), uni (d, 1.0f, 2.5f)), 1.0f);
  if (chance (d, 0.5f)) /* waist seam */
    cut (c, box (0, top + uni (d, 6.0f, 9.0f), half_bottom, 0.4f), uni (d, 0.2f, 0.5f));
}

static void
draw_sandal (Canvas *c, Draw *d)
{
  float heel = uni (d, 4.0f, 8.0f), toe = uni (d, 6.0f, 9.0f), len = uni (d, 11.0f, 13.0f);
  float sole = uni (d, 1.0f, 1.6f);
  paint (c, d, seg (-len, toe, len, heel, sole), 1.0f);
  int straps = 3 + (int) (draw_u32 (d) % 4);
  for (int i = 0; i < straps; i++)
    {
      float x = uni (d, -len + 2.0f, len - 2.0f);
      paint (c, d, seg (x, 0.5f * (heel + toe), x + uni (d, -5.0f, 5.0f), uni (d, -6.0f, 2.0f),
                        uni (d, 0.7f, 1.2f)), uni (d, 0.6f, 1.0f));
    }
  if (chance (d, 0.4f)) /* a heel */
    paint (c, d, box (len - 1.5f, heel + 2.0f, 1.2f, uni (d, 1.0f, 3.0f)), 0.9f);
}

static void
draw_sneaker (Canvas *c, Draw *d)
{
  float len = uni (d, 10.0f, 13.0f), y = uni (d, 2.0f, 4.5f), h = uni (d, 3.5f, 5.5f);
  paint (c, d, ell (uni (d, -1.0f, 1.0f), y, len, h), 0.85f);
  paint (c, d, seg (-len, y + h - 0.8f, len, y + h - 0.8f, uni (d, 0.8f, 1.3f)), 1.0f);
  if (chance (d, 0.15f)) /* a high-top, halfway to a boot */
    paint (c, d, box (0.4f * len, y - h, uni (d, 3.0f, 4.5f), uni (d, 2.0f, 4.5f)), 0.85f);
  int laces = 2 + (int) (draw_u32 (d) % 3);
  for (int i = 0; i < laces; i++)
    cut (c, seg (-2.0f + 1.6f * i, y - h + 1.0f, -1.0f + 1.6f * i, y - h + 2.5f, 0.35f), 0.5f);
}

static void
draw_bag (Canvas *c, Draw *d)
{
  float y = uni (d, 1.0f, 4.0f), hx = uni (d, 9.0f, 13.0f), hy = uni (d, 7.0f, 10.0f);
  paint (c, d, box (0, y, hx, hy), 1.0f);
  if (chance (d, 0.7f)) /* handle */
    paint (c, d, ring (0, y - hy, uni (d, 4.0f, 7.0f), uni (d, 3.0f, 6.0f), uni (d, 1.0f, 1.8f)), 0.9f);
  if (chance (d, 0.5f)) /* flap */
    cut (c, box (0, y - hy + uni (d, 2.0f, 4.0f), hx, 0.35f), uni (d, 0.3f, 0.6f));
}

static void
draw_boot (Canvas *c, Draw *d)
{
  float len = uni (d, 9.0f, 12.0f), y = uni (d, 3.5f, 6.0f), h = uni (d, 3.0f, 4.5f);
  float shaft_hx = uni (d, 5.0f, 7.0f), shaft_hy = uni (d, 6.0f, 9.0f);
  paint (c, d, ell (1.5f, y, len, h), 0.9f);
  paint (c, d, box (len - shaft_hx - 0.5f, y - shaft_hy, shaft_hx, shaft_hy), 0.9f);
  paint (c, d, seg (-len + 1.5f, y + h - 0.5f, len + 1.0f, y + h - 0.5f, uni (d, 0.9f, 1.5f)), 1.0f);
}

typedef void (*DrawClass) (Canvas *c, Draw *d);

/* In FashionMNIST's label order. */
static const DrawClass draw_class[RV_NUM_CLASSES] = {
  draw_tshirt, draw_trouser, draw_pullover, draw_dress, draw_coat,
  draw_sandal, draw_shirt, draw_sneaker, draw_bag, draw_boot,
};

/* Training images are numbers 0.. of the stream, test images TEST_FIRST..,
 * so the test set never shares an image with the training set and does not
 * change with the training set's size. */
#define TEST_FIRST 0x80000000u

/* Renders image number `i` into pixels[784] and returns its label. */
static uint8_t
render (uint8_t *pixels, uint64_t seed, uint32_t i)
{
  Draw d;
  Canvas c;
  draw_init (&d, seed, RV_STREAM_SYNTHETIC, i);

  uint8_t label = (uint8_t) (((uint64_t) draw_u32 (&d) * RV_NUM_CLASSES) >> 32);
  float angle = uni (&d, -0.1f, 0.1f);
  memset (c.a, 0, sizeof c.a);
  c.cx = 14.0f + uni (&d, -1.5f, 1.5f);
  c.cy = 14.0f + uni (&d, -1.5f, 1.5f);
  c.cos_t = cosf (angle);
  c.sin_t = sinf (angle);
  c.scale = uni (&d, 0.88f, 1.05f);
  c.bright = uni (&d, 0.6f, 1.0f);

  /* Fabric: a faint stripe pattern on some items, noise on all. */
  gboolean striped = chance (&d, 0.35f);
  float amp = striped ? uni (&d, 0.1f, 0.3f) : 0.0f;
  float dir = uni (&d, 0.0f, (float) G_PI), freq = uni (&d, 0.7f, 1.8f), phase = uni (&d, 0.0f, 6.3f);
  float noise = uni (&d, 0.03f, 0.1f);

  draw_class[label] (&c, &d);

  /* The stripes' sin (kx x + ky y + phase), separated into per-column and
   * per-row factors so each image needs 4 * 28 sines, not 784. */
  float sin_col[RV_IMAGE_SIDE], cos_col[RV_IMAGE_SIDE];
  float sin_row[RV_IMAGE_SIDE], cos_row[RV_IMAGE_SIDE];
  if (striped)
    {
      float kx = freq * cosf (dir), ky = freq * sinf (dir);
      for (int k = 0; k < RV_IMAGE_SIDE; k++)
        {
          sin_col[k] = sinf (kx * (float) k);
          cos_col[k] = cosf (kx * (float) k);
          sin_row[k] = sinf (ky * (float) k + phase);
          cos_row[k] = cosf (ky * (float) k + phase);
        }
    }

  uint32_t bits = 0;
  for (int p = 0; p < RV_IMAGE_PIXELS; p++)
    {
      if (p % 4 == 0)
        bits = draw_u32 (&d);
      float jitter = ((float) (bits & 0xff) - 127.5f) * (1.0f / 127.5f);
      bits >>= 8;

      float a = c.a[p];
      if (a > 0.0f)
        {
          if (striped)
            {
              int x = p % RV_IMAGE_SIDE, y = p / RV_IMAGE_SIDE;
              float wave = sin_col[x] * cos_row[y] + cos_col[x] * sin_row[y];
              a *= 1.0f - amp * (0.5f + 0.5f * wave);
            }
          a += noise * jitter * minf (a * 4.0f, 1.0f);
        }
      a = a * 255.0f + 0.5f;
      pixels[p] = a <= 0.0f ? 0 : a >= 255.0f ? 255 : (uint8_t) a;
    }
  return label;
}

typedef struct {
  RvImageSet *set;
  uint64_t seed;
  uint32_t first; /* the image number of set row 0 */
  uint32_t begin, end;
} Job;

static gpointer
render_range (gpointer data)
{
  Job *job = data;
  for (uint32_t i = job->begin; i < job->end; i++)
    job->set->labels[i] = render (job->set->pixels + (size_t) i * RV_IMAGE_PIXELS,
                                  job->seed, job->first + i);
  return NULL;
}

/* Fills a set on up to 8 threads; the result does not depend on how many. */
static RvImageSet *
generate (uint32_t n, uint64_t seed, uint32_t first)
{
  RvImageSet *set = g_new0 (RvImageSet, 1);
  set->n = n;
  set->pixels = g_malloc ((size_t) MAX (n, 1u) * RV_IMAGE_PIXELS);
  set->labels = g_malloc (MAX (n, 1u));

  unsigned threads = CLAMP (g_get_num_processors (), 1u, 8u);
  if (n < 4096)
    threads = 1;
  Job jobs[8];
  GThread *workers[8] = { NULL };
  for (unsigned t = 0; t < threads; t++)
    {
      jobs[t] = (Job) { set, seed, first, (uint32_t) ((uint64_t) n * t / threads),
                        (uint32_t) ((uint64_t) n * (t + 1) / threads) };
      if (t > 0)
        workers[t] = g_thread_new ("rv-synthetic", render_range, &jobs[t]);
    }
  render_range (&jobs[0]);
  for (unsigned t = 1; t < threads; t++)
    g_thread_join (workers[t]);
  return set;
}

RvDataset *
rv_dataset_new_synthetic (uint32_t n_train_full, uint32_t n_test, uint64_t seed)
{
  g_return_val_if_fail (n_train_full <= TEST_FIRST && n_test <= TEST_FIRST, NULL);

  RvImageSet *train = generate (n_train_full, seed, 0);
  RvImageSet *test = generate (n_test, seed, TEST_FIRST);
  return rv_dataset_new_from_sets (train, test, seed, TRUE, "synthetic");
}
