#include "setup/objective_test_run.h"

#include <chrono>
#include <cmath>

#include <QMetaObject>

namespace bonsai::ui {

// Collects what the objective says; reports go to the GUI thread at once.
class ObjectiveTestRun::Context final : public TrialContext {
  public:
    Context(ObjectiveTestRun* owner, std::string study, const std::atomic<bool>& stop)
        : m_owner(owner), m_study(std::move(study)), m_stop(stop) {}

    int trialNumber() const override { return 0; }
    std::string studyName() const override { return m_study; }
    void report(std::int64_t step, double value) override {
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, step, value] { emit owner->reported(step, value); });
    }
    bool shouldPrune() override { return false; }
    bool stopRequested() const override { return m_stop.load(); }
    void setAttribute(const std::string& key, const Json& value) override { attrs[key] = value; }

    Json attrs = Json::object();

  private:
    ObjectiveTestRun* m_owner;  // outlives this thread: its destructor joins
    std::string m_study;
    const std::atomic<bool>& m_stop;
};

ObjectiveTestRun::ObjectiveTestRun(QObject* parent) : QObject(parent) {
    qRegisterMetaType<Outcome>();
}

ObjectiveTestRun::~ObjectiveTestRun() {
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void ObjectiveTestRun::cancel() {
    m_stop = true;
}

ParamMap ObjectiveTestRun::start(const Json& json, const ObjectiveRegistry& objectives) {
    if (m_thread.joinable())
        m_thread.join();  // a finished earlier run
    StudySpec spec = parseStudySpec(json, objectives);
    // The centre of the space: a typical point, the same on every click.
    Eigen::VectorXd centre = Eigen::VectorXd::Constant(spec.space.dimensionCount(), 0.5);
    ParamMap params = spec.space.decode(centre);
    std::shared_ptr<Objective> objective = objectives.create(spec.objective, spec.space);
    m_stop = false;
    m_running = true;
    // A folder of its own, so a test run never touches a study's trial files.
    const std::string study = spec.name + ".test-run";
    m_thread = std::thread([this, objective, params, study] {
        Context context(this, study, m_stop);
        Outcome outcome;
        const auto started = std::chrono::steady_clock::now();
        try {
            outcome.value = objective->evaluate(params, context);
            outcome.ok = std::isfinite(outcome.value);
            if (!outcome.ok)
                outcome.message = tr("the objective returned %1")
                                      .arg(std::isnan(outcome.value) ? QStringLiteral("NaN")
                                                                     : QStringLiteral("infinity"));
        } catch (const TrialInterrupted&) {
            outcome.message = tr("cancelled");
        } catch (const std::exception& error) {
            outcome.message = QString::fromStdString(error.what());
        }
        outcome.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        outcome.stdoutTail =
            QString::fromStdString(context.attrs.value("stdout_tail", std::string()));
        outcome.stderrTail =
            QString::fromStdString(context.attrs.value("stderr_tail", std::string()));
        QMetaObject::invokeMethod(this, [this, outcome] {
            m_running = false;
            emit finished(outcome);
        });
    });
    return params;
}

}  // namespace bonsai::ui
