#include "models/trial_query.h"

#include <algorithm>
#include <cmath>

#include <QCoreApplication>
#include <QRegularExpression>

namespace bonsai::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("TrialQuery", text);
}

QRegularExpression clauseSeparator() {
    return QRegularExpression(QStringLiteral(",|\\s+and\\s+"),
                              QRegularExpression::CaseInsensitiveOption);
}

// A cell edge as named in a clause: target node, arrow or dash, source node.
// Its column is headed "3←0"; typed, the arrow is a dash ("3-0").
const QString kEdgeName = QStringLiteral("([0-3])\\s*(?:←|-)\\s*([0-3])");

QString edgeKey(QString name) {
    static const QRegularExpression edge(kEdgeName + QLatin1Char('$'));
    return name.replace(edge, QStringLiteral("\\1-\\2")).simplified();
}

// The column `name` refers to, or -1.
int columnNamed(const QString& name, const QStringList& headers) {
    for (int column = 0; column < headers.size(); ++column)
        if (headers[column].compare(name, Qt::CaseInsensitive) == 0)
            return column;
    for (int column = 0; column < headers.size(); ++column)
        if (headers[column].contains(QChar(0x2190)) &&
            edgeKey(headers[column]).compare(edgeKey(name), Qt::CaseInsensitive) == 0)
            return column;
    static const QStringList numberNames{QStringLiteral("number"), QStringLiteral("trial")};
    if (numberNames.contains(name, Qt::CaseInsensitive))
        return headers.indexOf(QStringLiteral("#"));
    return -1;
}

// Equal to the six significant digits the table shows.
bool nearlyEqual(double a, double b) {
    return std::abs(a - b) <= 5e-7 * std::max(std::abs(a), std::abs(b)) || a == b;
}

}  // namespace

TrialQuery::Op TrialQuery::opNamed(const QString& op) {
    if (op == QLatin1String("<"))
        return Op::Less;
    if (op == QLatin1String("<="))
        return Op::LessEqual;
    if (op == QLatin1String(">"))
        return Op::Greater;
    if (op == QLatin1String(">="))
        return Op::GreaterEqual;
    if (op == QLatin1String("!="))
        return Op::NotEqual;
    return Op::Equal;  // "=" or "=="
}

bool TrialQuery::namesCellEdge(const QString& text) {
    static const QRegularExpression separator = clauseSeparator();
    // An edge runs from a lower node to a higher one: 1←0, 2←0, 2←1, 3←0, 3←1, 3←2.
    static const QRegularExpression edge(QStringLiteral("^(?:.*\\s)?") + kEdgeName +
                                         QStringLiteral("\\s*(?:<=|>=|!=|==|=|<|>)"));
    for (const QString& part : text.split(separator, Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch match = edge.match(part.trimmed());
        if (match.hasMatch() && match.captured(1).toInt() > match.captured(2).toInt())
            return true;
    }
    return false;
}

TrialQuery::TrialQuery(const QString& text, const QStringList& headers) {
    static const QRegularExpression separator = clauseSeparator();
    // Longest operators first, so "<=" is not read as "<".
    static const QRegularExpression comparison(
        QStringLiteral("^(.+?)\\s*(<=|>=|!=|==|=|<|>)\\s*(.*)$"));
    for (const QString& part : text.split(separator, Qt::SkipEmptyParts)) {
        const QString clauseText = part.trimmed();
        if (clauseText.isEmpty())
            continue;
        Clause clause;
        const QRegularExpressionMatch match = comparison.match(clauseText);
        if (!match.hasMatch()) {
            clause.text = clauseText;
            m_clauses.push_back(clause);
            continue;
        }
        const QString name = match.captured(1).trimmed();
        const QString op = match.captured(2);
        clause.text = match.captured(3).trimmed();
        clause.column = columnNamed(name, headers);
        auto fail = [&](const QString& message) {
            if (m_error.isEmpty())
                m_error = message;
        };
        if (clause.column < 0) {
            fail(tr("'%1' names no column; the columns are %2.")
                     .arg(name, headers.join(QStringLiteral(", "))));
            continue;
        }
        if (clause.text.isEmpty()) {
            fail(tr("'%1': give a value after %2.").arg(clauseText, op));
            continue;
        }
        clause.number = clause.text.toDouble(&clause.numeric);
        clause.op = opNamed(op);
        const bool ordered = clause.op != Op::Equal && clause.op != Op::NotEqual;
        if (ordered && !clause.numeric) {
            fail(tr("'%1': %2 compares numbers; for words use = or !=.").arg(clauseText, op));
            continue;
        }
        m_clauses.push_back(clause);
    }
}

int TrialQuery::firstColumn() const {
    for (const Clause& clause : m_clauses)
        if (clause.column >= 0)
            return clause.column;
    return -1;
}

bool TrialQuery::matches(const CellReader& cell, int columnCount, int sortRole,
                         int fullTextRole) const {
    for (const Clause& clause : m_clauses)
        if (!matches(clause, cell, columnCount, sortRole, fullTextRole))
            return false;
    return true;
}

bool TrialQuery::matches(const Clause& clause, const CellReader& cell, int columnCount,
                         int sortRole, int fullTextRole) const {
    if (clause.op == Op::Contains) {
        for (int column = 0; column < columnCount; ++column) {
            if (cell(column, Qt::DisplayRole).toString().contains(clause.text, Qt::CaseInsensitive))
                return true;
            // A cell shows a short code; its full string matches too.
            const QVariant full = cell(column, fullTextRole);
            if (full.isValid() && full.toString().contains(clause.text, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }
    if (clause.column >= columnCount)
        return false;
    const QVariant raw = cell(clause.column, sortRole);
    const bool rawIsNumber = raw.isValid() && raw.typeId() != QMetaType::QString;
    if (clause.numeric && rawIsNumber) {
        const double value = raw.toDouble();
        if (std::isnan(value))
            return false;  // no value: neither equal nor unequal to a number
        switch (clause.op) {
            case Op::Less:
                return value < clause.number;
            case Op::LessEqual:
                return value <= clause.number || nearlyEqual(value, clause.number);
            case Op::Greater:
                return value > clause.number;
            case Op::GreaterEqual:
                return value >= clause.number || nearlyEqual(value, clause.number);
            case Op::Equal:
                return nearlyEqual(value, clause.number);
            case Op::NotEqual:
                return !nearlyEqual(value, clause.number);
            case Op::Contains:
                break;
        }
        return false;
    }
    if (clause.op != Op::Equal && clause.op != Op::NotEqual)
        return false;  // ordering a word
    auto equalsText = [&](const QVariant& shown) {
        return shown.isValid() && shown.toString().compare(clause.text, Qt::CaseInsensitive) == 0;
    };
    const bool equal = equalsText(cell(clause.column, Qt::DisplayRole)) ||
                       equalsText(cell(clause.column, fullTextRole));
    return clause.op == Op::Equal ? equal : !equal;
}

}  // namespace bonsai::ui
