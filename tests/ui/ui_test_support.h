#pragma once

// Shared helpers of the studio's tests (not a test program itself).

#include <QSettings>
#include <QString>
#include <QTemporaryDir>

#include "objectives/objective.h"
#include "space/param_value.h"

namespace bonsai::test {

// Keeps the tests away from the user's settings: QSettings go to `dir`.
inline void isolateSettings(const QTemporaryDir& dir) {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    // Qt's own file dialog keeps its history and columns in the native format.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
}

// A quick Branin study: Sobol points, `trials` trials, optional delay per trial.
inline Json fastSpec(const std::string& name, int trials, double delaySeconds = 0.0) {
    Json objective = {{"kind", "function"}, {"function", "branin"}};
    if (delaySeconds > 0)
        objective["delay_seconds"] = delaySeconds;
    return Json{
        {"name", name},
        {"direction", "minimize"},
        {"objective", objective},
        {"space", Json::array({{{"name", "x1"}, {"type", "float"}, {"low", -5}, {"high", 10}},
                               {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 15}}})},
        {"strategy", {{"kind", "sobol"}}},
        {"budget", {{"trials", trials}}},
        {"seed", 3}};
}

}  // namespace bonsai::test
