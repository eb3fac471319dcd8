/* run-save-variant.h: two different runs, A and B, that the save tests write
 * over each other; every file of each differs from the other's. */
#pragma once

#include "rv-net.h"
#include "rv-train.h"

void run_variant_make (char which, RvTrainConfig *cfg, RvTrainResults *res, RvNet **net);
/* Which of 'A' and 'B' the loaded run is, wholly; 0 when it is neither (a mix). */
char run_variant_identify (const RvTrainConfig *cfg, const RvTrainResults *res, const RvNet *net);
