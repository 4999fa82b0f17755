#include "cell/best_cell_card.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "cell/cell_view.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"

namespace bonsai::ui {

namespace {

// `text` as one piece when a label wraps: a word joiner (U+2060) between its
// characters, since the line breaker broke a cell's code after a '|'
// ("3|--|" / "s1-"), and QLabel's rich text ignores white-space: nowrap.
QString unbreakable(const QString& text) {
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (i > 0)
            out += QChar(0x2060);
        out += text[i];
    }
    return out.toHtmlEscaped();
}

}  // namespace

BestCellCard::BestCellCard(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("live.bestCell"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("live.bestCellHeading"));
    layout->addWidget(m_heading);
    m_cell = new CellView(this);
    m_cell->setObjectName(QStringLiteral("live.bestCellView"));
    m_cell->setPlaceholder(tr("No complete trial yet"));
    layout->addWidget(m_cell, 1);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("live.bestCellDetails"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_details);
    showBest(std::nullopt, {});
}

void BestCellCard::showBest(const std::optional<Trial>& best, const std::string& param,
                            const QStringList& objectives) {
    const int number = best ? best->number : -1;
    const std::optional<double> value = best ? best->value : std::nullopt;
    if (number == m_trial && value == m_value && m_trial >= 0 && objectives == m_objectives)
        return;  // live updates: redraw only when the best changes
    m_trial = number;
    m_value = value;
    m_objectives = objectives;
    // With several objectives "best" is the first one's: say which.
    m_heading->setText(
        objectives.size() > 1
            ? tr("<b>Best cell so far</b> by %1").arg(objectives.front().toHtmlEscaped())
            : tr("<b>Best cell so far</b>"));
    auto cell = best ? cellFormat::cellOf(*best, param) : std::nullopt;
    m_cell->setCell(cell);
    if (!best) {
        m_details->setText(
            tr("<span style='color:#777'>Waiting for the first complete "
               "trial.</span>"));
        m_cell->setToolTip({});
        return;
    }
    QStringList values;
    if (objectives.size() > 1) {
        for (qsizetype k = 0; k < objectives.size(); ++k) {
            const auto index = static_cast<std::size_t>(k);
            values << QStringLiteral("%1 <b>%2</b>")
                          .arg(objectives[k].toHtmlEscaped(),
                               formatOptional(index < best->values.size()
                                                  ? std::optional<double>(best->values[index])
                                                  : std::nullopt));
        }
    } else {
        values << tr("value <b>%1</b>").arg(formatOptional(best->value));
    }
    QString html = tr("%1 · trial %2").arg(values.join(QStringLiteral(" · "))).arg(best->number);
    if (cell) {
        html += QStringLiteral(" · <tt>%1</tt>").arg(unbreakable(cellFormat::compact(*cell)));
        m_cell->setToolTip(QString::fromStdString(cell->toString()));
    }
    const auto numbers = cellFormat::reportedNumbers(*best);
    if (!numbers.empty()) {
        QStringList parts;
        for (const auto& [name, number] : numbers)
            if (!objectives.contains(name))  // an objective reported as well: named above
                parts << QStringLiteral("%1 <b>%2</b>")
                             .arg(name.toHtmlEscaped(), formatReadable(number));
        if (!parts.isEmpty())
            html += QStringLiteral("<br>") + parts.join(QStringLiteral(" · "));
    }
    m_details->setText(html);
}

QString BestCellCard::detailsText() const {
    return m_details->text();
}

QString BestCellCard::headingText() const {
    return m_heading->text();
}

CellPair::CellPair(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_selected = new CellView(this);
    m_selected->setObjectName(QStringLiteral("trials.selectedCell"));
    m_selected->setLegendVisible(false);
    m_best = new CellView(this);
    m_best->setObjectName(QStringLiteral("trials.bestCell"));
    m_best->setLegendVisible(false);
    layout->addWidget(m_selected);
    layout->addWidget(m_best);
}

void CellPair::showTrials(const Trial* selected, const Trial* best, const std::string& param) {
    auto describe = [&](CellView* view, const Trial* trial, const QString& title) {
        auto cell = trial ? cellFormat::cellOf(*trial, param) : std::nullopt;
        view->setCell(cell);
        view->setTitle(title);
        view->setToolTip(cell ? QString::fromStdString(cell->toString()) : QString());
    };
    describe(m_selected, selected,
             selected
                 ? tr("Trial %1: %2").arg(selected->number).arg(formatOptional(selected->value))
                 : tr("No trial selected"));
    describe(m_best, best,
             best ? tr("Best, trial %1: %2").arg(best->number).arg(formatOptional(best->value))
                  : tr("No best trial yet"));
    // The same trial twice says so rather than drawing it twice.
    const bool same = selected && best && selected->number == best->number;
    m_best->setVisible(!same);
    if (same)
        m_selected->setTitle(tr("Trial %1: %2 (the best)")
                                 .arg(selected->number)
                                 .arg(formatOptional(selected->value)));
    m_selected->setLegendVisible(true);
}

}  // namespace bonsai::ui
