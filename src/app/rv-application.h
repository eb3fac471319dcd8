/* rv-application.h: the AdwApplication. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RV_TYPE_APPLICATION (rv_application_get_type ())
G_DECLARE_FINAL_TYPE (RvApplication, rv_application, RV, APPLICATION, AdwApplication)

RvApplication *rv_application_new (void);

G_END_DECLS
