#pragma once

#include <functional>
#include <vector>

#include <QString>
#include <QStringList>
#include <QVariant>

namespace bonsai::ui {

// The Trials tab's filter: clauses joined by commas or "and", all of which a
// trial must meet. A clause "COLUMN OP VALUE" compares one column, named as
// its header reads in any case ("#" also as "number" or "trial"):
//   x1 > 5, value <= 0.4, # >= 100   numbers: < <= > >= = != on the raw value
//                                    (= to the six digits the table shows; a
//                                    trial without a value matches none)
//   state = pruned, act != relu      words: = or != on the text shown
// Any other clause is text looked for in every column, as a plain search.
class TrialQuery {
  public:
    TrialQuery() = default;
    // Reads `text` against the table's column headers. A clause that names no
    // column, or orders words with < or >, is left out and named in error().
    TrialQuery(const QString& text, const QStringList& headers);

    // Whether a clause of `text` compares a cell edge ("3-0 = conv3x3", or
    // "cell 3←0 != none" with several cells): its column must be shown.
    static bool namesCellEdge(const QString& text);

    bool isEmpty() const { return m_clauses.empty(); }
    // One sentence on the first bad clause, or empty.
    const QString& error() const { return m_error; }
    // The column the first clause on one column compares, or -1.
    int firstColumn() const;

    // `cell(column, role)` reads the row's data: Qt::DisplayRole for the text
    // shown, `sortRole` for raw values, `fullTextRole` for the whole string
    // behind a short one (a cell's code).
    using CellReader = std::function<QVariant(int column, int role)>;
    bool matches(const CellReader& cell, int columnCount, int sortRole, int fullTextRole) const;

  private:
    enum class Op { Contains, Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual };
    struct Clause {
        Op op = Op::Contains;
        int column = -1;      // -1: every column (Contains)
        QString text;         // the value as typed
        double number = 0.0;  // the value as a number, when `numeric`
        bool numeric = false;
    };
    static Op opNamed(const QString& op);
    bool matches(const Clause& clause, const CellReader& cell, int columnCount, int sortRole,
                 int fullTextRole) const;

    std::vector<Clause> m_clauses;
    QString m_error;
};

}  // namespace bonsai::ui
