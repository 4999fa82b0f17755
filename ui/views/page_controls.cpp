#include "views/page_controls.h"

#include <algorithm>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

#include "analysis/measure_names.h"
#include "controller/study_session.h"
#include "helpers/format.h"

namespace bonsai::ui {

int completeCount(const std::vector<Trial>& trials) {
    return static_cast<int>(std::count_if(trials.begin(), trials.end(), [](const Trial& trial) {
        return trial.state == TrialState::Complete;
    }));
}

QLabel* pageNote(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

void refillChooser(QComboBox* box, const QStringList& names, int fallback) {
    const QSignalBlocker block(box);
    const QString previous = box->currentText();
    box->clear();
    box->addItems(names);
    const int index = box->findText(previous);
    box->setCurrentIndex(index >= 0 ? index : std::min<int>(fallback, box->count() - 1));
}

QStringList objectiveNames(const std::vector<ObjectiveSpec>& objectives) {
    QStringList names;
    for (const ObjectiveSpec& objective : objectives)
        names << toQString(objective.name);
    return names;
}

QComboBox* newObjectiveChooser(const QString& objectName, QWidget* parent) {
    auto* box = new QComboBox(parent);
    box->setObjectName(objectName);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

QStringList shownObjectiveNames(const StudyRecord& record) {
    QStringList names = objectiveNames(studyObjectives(record));
    // One objective goes by what it measures, where the study knows it.
    if (const QString measure = objectiveValueName(record); names.size() == 1 && !measure.isEmpty())
        names = {measure};
    return names;
}

void refillObjectives(QComboBox* box, const StudyRecord& record) {
    const QStringList names = shownObjectiveNames(record);
    refillChooser(box, names, 0);
    box->setEnabled(names.size() > 1);
}

// ---- axis pair ----------------------------------------------------------------

AxisPairChooser::AxisPairChooser(const QString& objectNamePrefix, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("x"), this));
    m_x = new QComboBox(this);
    m_x->setObjectName(objectNamePrefix + QLatin1Char('X'));
    layout->addWidget(m_x);
    layout->addWidget(new QLabel(tr("y"), this));
    m_y = new QComboBox(this);
    m_y->setObjectName(objectNamePrefix + QLatin1Char('Y'));
    layout->addWidget(m_y);
    connect(m_x, &QComboBox::currentIndexChanged, this, &AxisPairChooser::changed);
    connect(m_y, &QComboBox::currentIndexChanged, this, &AxisPairChooser::changed);
}

void AxisPairChooser::setNames(const QStringList& names) {
    refillChooser(m_x, names, 0);
    refillChooser(m_y, names, 1);
    // The choices kept from the last study may coincide (both on the one
    // name it had): y moves to the first other name.
    if (names.size() >= 2 && m_x->currentIndex() == m_y->currentIndex()) {
        const QSignalBlocker block(m_y);
        m_y->setCurrentIndex(m_x->currentIndex() == 0 ? 1 : 0);
    }
    // One name makes no pair: choosers that offer it twice would invite a
    // choice the page then refuses.
    setEnabled(names.size() >= 2);
}

bool AxisPairChooser::isPair() const {
    return m_x->currentIndex() >= 0 && m_y->currentIndex() >= 0 &&
           m_x->currentIndex() != m_y->currentIndex();
}

// ---- GP pages -----------------------------------------------------------------

GpPage::GpPage(StudySession* session, const QString& objectiveName, QWidget* parent)
    : LazyView(parent), m_session(session), m_objective(newObjectiveChooser(objectiveName, this)) {
    connect(session, &StudySession::trialsChanged, this, &GpPage::invalidateLive);
    connect(m_objective, &QComboBox::currentIndexChanged, this, &GpPage::invalidate);
}

std::size_t GpPage::objectiveIndex() const {
    return static_cast<std::size_t>(std::max(0, m_objective->currentIndex()));
}

QString GpPage::fitKey(const QStringList& extra) const {
    QStringList parts{QString::number(m_session->record().id),
                      QString::number(completeCount(m_session->trials())),
                      QString::number(objectiveIndex())};
    return (parts + extra).join(QLatin1Char('/'));
}

}  // namespace bonsai::ui
