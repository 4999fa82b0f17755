#include "browser/study_browser.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "models/study_list_model.h"

namespace bonsai::ui {

StudyBrowser::StudyBrowser(QWidget* parent)
    : QWidget(parent), m_model(new StudyListModel(this)), m_proxy(new QSortFilterProxyModel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(StudyListModel::SortRole);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("studyBrowser"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(StudyListModel::CreatedColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->setAlternatingRowColors(true);
    // The name takes what is left and elides; the short columns fit their
    // content; Strategy and Created are in the tooltip (and a right-click on
    // the header shows them), so the browser can be narrow without a scrollbar.
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StudyListModel::NameColumn, QHeaderView::Stretch);
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(36);
    m_view->setColumnHidden(StudyListModel::StrategyColumn, true);
    m_view->setColumnHidden(StudyListModel::CreatedColumn, true);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setWordWrap(false);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        QMenu menu(this);
        for (int column = 0; column < StudyListModel::ColumnCount; ++column) {
            if (column == StudyListModel::NameColumn)
                continue;
            QAction* action =
                menu.addAction(m_model->headerData(column, Qt::Horizontal).toString());
            action->setCheckable(true);
            action->setChecked(!m_view->isColumnHidden(column));
            connect(action, &QAction::toggled, this,
                    [this, column](bool shown) { m_view->setColumnHidden(column, !shown); });
        }
        menu.exec(m_view->horizontalHeader()->mapToGlobal(position));
    });
    setMinimumWidth(160);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!m_updating)
                    emit currentStudyChanged(current.data(StudyListModel::NameRole).toString());
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_updating)
            emit selectedStudiesChanged(selectedStudies());
    });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& index) {
        emit studyActivated(index.data(StudyListModel::NameRole).toString());
    });
}

void StudyBrowser::setDatabaseLabel(const QString& text) {
    m_title->setText(text);
}

void StudyBrowser::setStudies(std::vector<StudySummary> studies) {
    const QString current = currentStudy();
    const QStringList selected = selectedStudies();
    m_updating = true;
    m_model->setStudies(std::move(studies));
    // A reset loses the selection: restore it by name.
    QItemSelectionModel* selection = m_view->selectionModel();
    if (currentStudy() != current || selectedStudies() != selected) {
        selection->clearSelection();
        for (const QString& name : selected) {
            int row = m_model->rowOf(name);
            if (row < 0)
                continue;
            selection->select(m_proxy->mapFromSource(m_model->index(row, 0)),
                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        int row = m_model->rowOf(current);
        if (row >= 0)
            selection->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)),
                                       QItemSelectionModel::NoUpdate);
    }
    m_updating = false;
    if (currentStudy() != current)
        emit currentStudyChanged(currentStudy());
    if (selectedStudies() != selected)
        emit selectedStudiesChanged(selectedStudies());
}

QString StudyBrowser::currentStudy() const {
    return m_view->selectionModel()->currentIndex().data(StudyListModel::NameRole).toString();
}

void StudyBrowser::setCurrentStudy(const QString& name) {
    int row = m_model->rowOf(name);
    if (row < 0)
        return;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

QStringList StudyBrowser::selectedStudies() const {
    QStringList names;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows())
        names << index.data(StudyListModel::NameRole).toString();
    names.sort();
    return names;
}

}  // namespace bonsai::ui
