#pragma once

#include <QMetaType>

#include "util/json.h"

// Json as a signal argument. moc's output for a signal that carries Json
// instantiates QMetaTypeId<Json>: every header declaring one includes this
// first, so the declaration comes before any use in any translation unit.
Q_DECLARE_METATYPE(bonsai::Json)
