#include "views/trial_detail.h"

#include <algorithm>
#include <array>

#include <QSplitter>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include "cell/best_cell_card.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "plots/learning_curve_plot.h"

namespace bonsai::ui {

namespace {

QString row(const QString& key, const QString& value) {
    return QStringLiteral("<tr><td style='color:#555; padding-right:12px'>%1</td><td>%2</td></tr>")
        .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
}

}  // namespace

TrialDetail::TrialDetail(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_cells = new CellPair(splitter);
    m_cells->hide();
    splitter->addWidget(m_cells);
    m_text = new QTextBrowser(splitter);
    m_text->setObjectName(QStringLiteral("trialDetail"));
    m_text->setOpenLinks(false);
    connect(m_text, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.toString() == QLatin1String("#strategy"))
            setStrategyDetailsShown(!m_showStrategy);
        else if (url.toString() == QLatin1String("#best") && m_bestHint)
            emit trialRequested(*m_bestHint);
    });
    m_curve = new LearningCurvePlot(tr("Learning curve"), splitter);
    splitter->addWidget(m_text);
    splitter->addWidget(m_curve);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    layout->addWidget(splitter);
    showTrial(nullptr);
}

QString TrialDetail::text() const {
    return m_text->toPlainText();
}

void TrialDetail::setStrategyDetailsShown(bool shown) {
    m_showStrategy = shown;
    if (m_hasTrial) {
        const Trial trial = m_shown;
        showTrial(&trial);
    }
}

void TrialDetail::setBestHint(std::optional<int> number, const QString& value) {
    if (number == m_bestHint && value == m_bestHintValue)
        return;
    m_bestHint = number;
    m_bestHintValue = value;
    if (!m_hasTrial)
        showTrial(nullptr);
}

void TrialDetail::setCurveMeasure(const CurveMeasure& measure) {
    m_curve->setMeasure(measure);
    m_stepName = measure.step.toLower();
}

void TrialDetail::setCellContext(const std::string& param, std::optional<Trial> best) {
    m_cellParam = param;
    m_best = std::move(best);
}

void TrialDetail::showTrial(const Trial* trial) {
    m_hasTrial = trial != nullptr;
    if (trial)
        m_shown = *trial;
    const bool cell = trial && !m_cellParam.empty() && cellFormat::cellOf(*trial, m_cellParam);
    if (cell)
        m_cells->showTrials(trial, m_best ? &*m_best : nullptr, m_cellParam);
    m_cells->setVisible(cell);
    if (!trial) {
        QString hint =
            tr("<p style='color:#777'>Select a trial in the table or click a point "
               "in a chart.</p>");
        if (m_bestHint)
            hint += tr("<p><a href='#best'>Show the best trial, %1: %2</a></p>")
                        .arg(*m_bestHint)
                        .arg(m_bestHintValue.toHtmlEscaped());
        setText(hint);
        m_curve->setTrials({});
        m_curve->hide();
        return;
    }
    QString html = QStringLiteral("<h3>%1</h3><table>").arg(tr("Trial %1").arg(trial->number));
    html += row(tr("state"), trialStateText(*trial));
    html += row(tr("value"), formatOptional(trial->value));
    html += row(tr("started"), formatTimestamp(trial->startedAt));
    if (auto seconds = trial->durationSeconds())
        html += row(tr("duration"), formatDuration(*seconds));
    if (!trial->intermediate.empty())
        // A running trial's latest report is how it is doing so far.
        html += row(tr("reports"), tr("%1 (last %2 at %3 %4)")
                                       .arg(trial->intermediate.size())
                                       .arg(formatNumber(trial->intermediate.back().second))
                                       .arg(m_stepName)
                                       .arg(trial->intermediate.back().first));
    html += QStringLiteral("</table><h4>%1</h4><table>").arg(tr("Parameters"));
    for (const auto& [name, value] : inDisplayOrder(trial->params, m_paramOrder))
        html += row(toQString(name), toQString(toDisplayString(*value)));
    html += QStringLiteral("</table>");
    // A command's output tails get blocks of their own below.
    const std::array<std::pair<const char*, QString>, 2> tails{
        {{"stdout_tail", tr("Output (stdout, last lines)")},
         {"stderr_tail", tr("Errors (stderr, last lines)")}}};
    auto isTail = [&](const std::string& key) {
        return std::any_of(tails.begin(), tails.end(),
                           [&](const auto& tail) { return key == tail.first; });
    };
    QString reported, internals;
    int internalCount = 0;
    for (const auto& [key, value] : trial->attrs.items()) {
        if (isTail(key))
            continue;
        if (isStrategyAttribute(key)) {
            ++internalCount;
            internals += row(toQString(key), jsonText(value));
        } else {
            reported += row(toQString(key), jsonText(value));
        }
    }
    if (!reported.isEmpty())
        html += QStringLiteral("<h4>%1</h4><table>%2</table>").arg(tr("Attributes"), reported);
    if (internalCount > 0) {
        html += QStringLiteral("<p><a href='#strategy'>%1 %2</a></p>")
                    .arg(m_showStrategy ? QStringLiteral("▾") : QStringLiteral("▸"),
                         tr("Strategy details (%1)").arg(internalCount));
        if (m_showStrategy)
            html += QStringLiteral("<table>%1</table>").arg(internals);
    }
    if (!trial->error.empty())
        html += QStringLiteral("<h4>%1</h4><p style='color:#b71c1c'>%2</p>")
                    .arg(tr("Error"), toQString(trial->error).toHtmlEscaped());
    for (const auto& [key, title] : tails) {
        auto it = trial->attrs.find(key);
        if (it == trial->attrs.end() || !it->is_string() || it->get<std::string>().empty())
            continue;
        html += QStringLiteral("<h4>%1</h4><pre>%2</pre>")
                    .arg(title, toQString(it->get<std::string>()).toHtmlEscaped());
    }
    setText(html);
    m_curve->setTrials(std::span<const Trial>(trial, 1));
    // An empty chart says nothing the text does not: the curve takes room
    // only for a trial that reported intermediate values.
    m_curve->setVisible(m_curve->curveCount() > 0);
}

void TrialDetail::setText(const QString& html) {
    if (html == m_html)
        return;
    m_html = html;
    m_text->setHtml(html);
}

}  // namespace bonsai::ui
