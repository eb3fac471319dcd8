/* rv-window.h: the main window. */
#pragma once

#include <adwaita.h>

#include "rv-application.h"

G_BEGIN_DECLS

#define RV_TYPE_WINDOW (rv_window_get_type ())
G_DECLARE_FINAL_TYPE (RvWindow, rv_window, RV, WINDOW, AdwApplicationWindow)

RvWindow *rv_window_new (RvApplication *app);

G_END_DECLS
