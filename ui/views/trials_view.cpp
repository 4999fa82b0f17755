#include "views/trials_view.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/study_counts.h"
#include "controller/study_session.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "models/trial_filter_model.h"
#include "models/trial_query.h"
#include "models/trial_table_model.h"
#include "space/param_value.h"
#include "study/multi_objective.h"
#include "views/column_fitter.h"
#include "views/trial_detail.h"

namespace bonsai::ui {

TrialsView::TrialsView(StudySession* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_proxy(new TrialFilterModel(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Show"), this));
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("trials.stateFilter"));
    m_state->addItem(tr("all trials"), -1);
    for (TrialState state :
         {TrialState::Running, TrialState::Complete, TrialState::Pruned, TrialState::Failed})
        m_state->addItem(QString::fromUtf8(trialStateName(state)), static_cast<int>(state));
    filters->addWidget(m_state);
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("trials.textFilter"));
    m_text->setPlaceholderText(tr("Filter: any text, or x1 > 5, value <= 0.4, state = pruned"));
    m_text->setToolTip(
        tr("Text looks in every column. A clause 'column op value' compares one column, named "
           "as its header reads: numbers with < <= > >= = !=, words with = or !=. Join clauses "
           "with commas or 'and'; a trial must meet them all. A cell edge is named as "
           "'3-0' (its column, 3←0, is then shown)."));
    m_text->setClearButtonEnabled(true);
    filters->addWidget(m_text, 1);
    m_shownCount = new QLabel(this);
    m_shownCount->setObjectName(QStringLiteral("trials.shownCount"));
    m_shownCount->hide();
    filters->addWidget(m_shownCount);
    m_edgeColumns = new QCheckBox(tr("Edge columns"), this);
    m_edgeColumns->setObjectName(QStringLiteral("trials.edgeColumns"));
    m_edgeColumns->setToolTip(tr("One column per cell edge with its operation"));
    m_edgeColumns->hide();
    filters->addWidget(m_edgeColumns);
    layout->addLayout(filters);
    m_filterNote = new QLabel(this);
    m_filterNote->setObjectName(QStringLiteral("trials.filterNote"));
    m_filterNote->setWordWrap(true);
    m_filterNote->hide();
    layout->addWidget(m_filterNote);
    auto* brushRow = new QHBoxLayout;
    m_brushNote = new QLabel(this);
    m_brushNote->setObjectName(QStringLiteral("trials.brushNote"));
    m_clearBrush = new QPushButton(tr("Show all trials"), this);
    connect(m_clearBrush, &QPushButton::clicked, this, &TrialsView::clearBrushRequested);
    brushRow->addWidget(m_brushNote, 1);
    brushRow->addWidget(m_clearBrush);
    layout->addLayout(brushRow);
    m_brushNote->hide();
    m_clearBrush->hide();

    m_proxy->setSourceModel(session->model());
    // Filtering (or a live trial leaving the filter) removes rows, and the
    // view then moves its current row to a neighbour. That is not the user
    // choosing a trial: these run before the view's own handlers, so the
    // move is ignored and the session's selection is shown again after.
    auto holdSelection = [this] { m_modelChanging = true; };
    auto restoreSelection = [this] {
        m_modelChanging = false;
        selectRowOf(m_session->selectedTrial(), false);
    };
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this, holdSelection);
    connect(m_proxy, &QAbstractItemModel::layoutAboutToBeChanged, this, holdSelection);
    connect(m_proxy, &QAbstractItemModel::modelAboutToBeReset, this, holdSelection);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("trials.table"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TrialTableModel::NumberColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultSectionSize(90);
    m_fitter = new ColumnFitter(m_table);
    // Every column but the trial number can be hidden (right-click the header).
    QHeaderView* header = m_table->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        QMenu menu(this);
        for (int column = 1; column < m_proxy->columnCount(); ++column) {
            QAction* action =
                menu.addAction(m_proxy->headerData(column, Qt::Horizontal).toString());
            action->setCheckable(true);
            action->setChecked(!m_table->isColumnHidden(column));
            connect(action, &QAction::toggled, this,
                    [this, column](bool shown) { m_table->setColumnHidden(column, !shown); });
        }
        menu.exec(m_table->horizontalHeader()->mapToGlobal(position));
    });
    m_detail = new TrialDetail(splitter);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    // After the view has handled the change.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, restoreSelection);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, restoreSelection);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, restoreSelection);
    // A filter cleared: the selected trial may be back in view.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_session->selectedTrial() >= 0 && m_table->selectionModel()->selectedRows().isEmpty())
            selectRowOf(m_session->selectedTrial(), false);
    });

    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        int state = m_state->currentData().toInt();
        m_proxy->setStateFilter(state < 0 ? std::nullopt
                                          : std::optional(static_cast<TrialState>(state)));
        updateFilterNote();
    });
    connect(m_text, &QLineEdit::textChanged, this, [this](const QString& text) {
        // A clause on a cell edge ("3-0 = conv3x3") needs the edge's column.
        if (!m_edgeColumns->isHidden() && !m_edgeColumns->isChecked() &&
            TrialQuery::namesCellEdge(text))
            m_edgeColumns->setChecked(true);
        m_proxy->setTextFilter(text);
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TrialsView::updateFilterNote);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TrialsView::updateFilterNote);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TrialsView::updateFilterNote);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TrialsView::updateFilterNote);
    connect(m_proxy, &TrialFilterModel::textFilterChanged, this, &TrialsView::updateFilterNote);
    connect(m_proxy, &TrialFilterModel::textFilterChanged, this, &TrialsView::revealFilteredColumn);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_syncing || m_modelChanging || !current.isValid())
                    return;
                m_session->selectTrial(current.data(TrialTableModel::TrialNumberRole).toInt());
            });
    connect(session, &StudySession::selectedTrialChanged, this, [this](int number) {
        selectRowOf(number);
        updateCellContext();
        m_detail->showTrial(m_session->trial(number));
    });
    connect(m_detail, &TrialDetail::trialRequested, m_session, &StudySession::selectTrial);
    connect(session, &StudySession::trialsChanged, this, &TrialsView::updateBestHint);
    connect(session, &StudySession::studyChanged, this, &TrialsView::updateBestHint);
    connect(session, &StudySession::trialsChanged, this, [this] {
        // The selected trial may have progressed (a new report, finished).
        if (m_session->selectedTrial() >= 0) {
            updateCellContext();
            m_detail->showTrial(m_session->trial(m_session->selectedTrial()));
        }
    });
    connect(session, &StudySession::studyChanged, this, [this] {
        m_detail->setParamOrder(m_session->model()->paramNames());
        m_detail->setCurveMeasure(curveMeasureOf(m_session->record()));
        const bool cells = cellFormat::firstCellParam(m_session->space()) != nullptr;
        m_edgeColumns->setVisible(cells);
        m_session->model()->setEdgeColumns(cells && m_edgeColumns->isChecked());
        m_text->setPlaceholderText(
            cells ? tr("Filter: any text, or 3-0 = conv3x3, value >= 80, state = pruned")
                  : tr("Filter: any text, or x1 > 5, value <= 0.4, state = pruned"));
    });
    // After the edge columns are set, so the fitter measures the final columns.
    connect(session, &StudySession::studyChanged, m_fitter, &ColumnFitter::reset);
    // The columns change (a model reset): fit them again to the header and
    // the visible rows, which stays cheap in a big study.
    connect(m_edgeColumns, &QCheckBox::toggled, this, [this](bool shown) {
        m_session->model()->setEdgeColumns(shown);
        m_fitter->reset();
    });
    // Copy carries the full text (a cell's whole string, not its short code).
    m_table->installEventFilter(this);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &TrialsView::showRowMenu);
}

QString TrialsView::parametersJson(int number) const {
    const Trial* trial = m_session->trial(number);
    return trial ? QString::fromStdString(toJson(trial->params).dump()) : QString();
}

void TrialsView::showRowMenu(const QPoint& position) {
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    const int number = index.data(TrialTableModel::TrialNumberRole).toInt();
    QMenu menu(this);
    menu.addAction(tr("Copy parameters as JSON"), this, [this, number] {
        QGuiApplication::clipboard()->setText(parametersJson(number));
    });
    menu.addAction(tr("New study starting with this trial…"), this,
                   [this, number] { emit newStudyFromTrialRequested(number); });
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

bool TrialsView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table &&
        (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::Copy)) {
            if (event->type() == QEvent::KeyPress) {
                const QModelIndex current = m_table->currentIndex();
                if (current.isValid())
                    QGuiApplication::clipboard()->setText(
                        current.data(TrialTableModel::CopyRole).toString());
            }
            event->accept();
            return event->type() == QEvent::KeyPress;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TrialsView::updateCellContext() {
    // A cell study draws the selected trial's cell beside the best one's.
    const ParamSpec* cell = cellFormat::firstCellParam(m_session->space());
    if (!cell) {
        m_detail->setCellContext({}, std::nullopt);
        return;
    }
    // The best feasible trial, as the Live tab's card (first objective's with several).
    m_detail->setCellContext(
        cell->name,
        bestFeasibleTrial(m_session->trials(), objectiveSectionsOf(m_session->record())));
}

void TrialsView::updateBestHint() {
    // One objective: its best trial is one click away. (Several objectives
    // have no one best; the Pareto flag column finds the front.)
    const auto& best = m_session->counts().best;
    if (m_session->counts().multiObjective || !best || !best->value)
        m_detail->setBestHint(std::nullopt, {});
    else
        m_detail->setBestHint(best->number, formatNumber(*best->value));
}

void TrialsView::revealFilteredColumn() {
    // "3-0 = conv3x3" in a wide table: the column it compares comes into view.
    const int column = m_proxy->textFilterColumn();
    if (column < 0 || m_proxy->rowCount() == 0)
        return;
    const int row = std::max(0, m_table->rowAt(0));
    m_table->scrollTo(m_proxy->index(row, column), QAbstractItemView::EnsureVisible);
}

void TrialsView::updateFilterNote() {
    const QString text = m_text->text().trimmed();
    const bool byState = m_state->currentData().toInt() >= 0;
    QString note = m_proxy->textFilterError();
    if (note.isEmpty() && (byState || !text.isEmpty()) && m_proxy->rowCount() == 0 &&
        m_proxy->sourceModel()->rowCount() > 0) {
        const QString trial = byState ? tr("%1 trial").arg(m_state->currentText()) : tr("trial");
        note =
            text.isEmpty() ? tr("No %1.").arg(trial) : tr("No %1 matches “%2”.").arg(trial, text);
    }
    m_filterNote->setText(note);
    m_filterNote->setVisible(!note.isEmpty());
    // How many a filter keeps (a brushed range counts too); none when all show.
    const int all = m_proxy->sourceModel()->rowCount();
    const int shown = m_proxy->rowCount();
    m_shownCount->setText(tr("%1 of %2").arg(shown).arg(countOf(all, tr("trial"), tr("trials"))));
    m_shownCount->setVisible(shown < all);
}

void TrialsView::setBrushFilter(const std::optional<std::set<int>>& numbers) {
    m_proxy->setTrialFilter(numbers);
    updateFilterNote();
    m_brushNote->setVisible(numbers.has_value());
    m_clearBrush->setVisible(numbers.has_value());
    if (numbers)
        m_brushNote->setText(
            tr("<b>%1</b> brushed in Analysis ▸ Parallel coordinates (complete trials inside "
               "every brushed range).")
                .arg(countOf(static_cast<qsizetype>(numbers->size()), tr("trial"), tr("trials"))));
}

void TrialsView::selectRowOf(int number, bool scroll) {
    m_syncing = true;
    const int row = m_session->model()->rowOfTrial(number);
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_session->model()->index(row, 0));
    if (index.isValid()) {
        m_table->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        if (scroll)
            m_table->scrollTo(index);
    } else {
        // Not shown (filtered out): highlight nothing rather than another trial.
        m_table->selectionModel()->clearSelection();
        m_table->selectionModel()->setCurrentIndex(QModelIndex(), QItemSelectionModel::NoUpdate);
    }
    m_syncing = false;
}

}  // namespace bonsai::ui
