/* rv-colormap.c: viridis as 65 stops, linearly interpolated.
 *
 * The stops are the published 256-entry map sampled at t = k / 64 and
 * rounded to bytes; between them the map is nearly straight, so linear
 * interpolation stays within about half a byte of it everywhere. */
#include "rv-config.h"

#include <math.h>

#include "rv-colormap.h"

#define N_STOPS 65

static const guint8 stops[N_STOPS][3] = {
  {  68,   1,  84 }, {  70,   6,  90 }, {  71,  13,  96 }, {  71,  19, 101 },
  {  72,  24, 106 }, {  72,  29, 111 }, {  72,  35, 116 }, {  72,  40, 120 },
  {  71,  45, 123 }, {  70,  50, 126 }, {  69,  54, 129 }, {  68,  59, 132 },
  {  66,  64, 134 }, {  64,  69, 135 }, {  63,  73, 137 }, {  61,  78, 138 },
  {  59,  82, 139 }, {  57,  86, 140 }, {  55,  90, 141 }, {  53,  94, 141 },
  {  51,  99, 141 }, {  49, 102, 142 }, {  47, 106, 142 }, {  46, 110, 142 },
  {  44, 114, 142 }, {  43, 118, 142 }, {  41, 122, 142 }, {  40, 125, 142 },
  {  38, 129, 142 }, {  37, 133, 142 }, {  35, 137, 142 }, {  34, 140, 141 },
  {  33, 144, 140 }, {  32, 148, 140 }, {  31, 152, 139 }, {  30, 155, 138 },
  {  31, 159, 136 }, {  32, 163, 135 }, {  33, 166, 133 }, {  36, 170, 131 },
  {  40, 174, 128 }, {  44, 177, 126 }, {  49, 181, 123 }, {  55, 184, 119 },
  {  62, 188, 116 }, {  69, 191, 112 }, {  76, 194, 108 }, {  84, 198, 103 },
  {  93, 201,  99 }, { 101, 204,  93 }, { 110, 206,  88 }, { 120, 209,  82 },
  { 130, 211,  76 }, { 140, 214,  70 }, { 150, 216,  63 }, { 160, 218,  57 },
  { 171, 220,  50 }, { 181, 222,  43 }, { 192, 223,  36 }, { 203, 225,  31 },
  { 213, 226,  26 }, { 224, 227,  24 }, { 234, 229,  26 }, { 244, 230,  30 },
  { 253, 231,  37 },
};

void
rv_viridis (double t, double rgb[3])
{
  /* written so that NaN falls to 0 */
  if (!(t > 0.0))
    t = 0.0;
  else if (t > 1.0)
    t = 1.0;

  double x = t * (N_STOPS - 1);
  int i = (int) x;
  if (i > N_STOPS - 2)
    i = N_STOPS - 2;
  double f = x - i;
  for (int c = 0; c < 3; c++)
    rgb[c] = (stops[i][c] * (1.0 - f) + stops[i + 1][c] * f) / 255.0;
}
