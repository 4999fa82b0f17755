#include "setup/form_values.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

namespace bonsai::ui {

namespace {

QStringList splitList(const QString& text) {
    QStringList out;
    QString current;
    bool quoted = false;
    for (QChar c : text) {
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        if (c == QLatin1Char(',') && !quoted) {
            out << current;
            current.clear();
        } else {
            current += c;
        }
    }
    out << current;
    return out;
}

}  // namespace

Json scalarFromText(QString text) {
    text = text.trimmed();
    if (text.size() >= 2 && text.startsWith(QLatin1Char('"')) && text.endsWith(QLatin1Char('"')))
        return text.mid(1, text.size() - 2).toStdString();
    if (text == QLatin1String("true"))
        return true;
    if (text == QLatin1String("false"))
        return false;
    if (auto number = numberFromText(text); number && number->is_number())
        return *number;
    return text.toStdString();
}

QString textFromScalar(const Json& value) {
    if (value.is_string()) {
        QString text = QString::fromStdString(value.get<std::string>());
        // Quote strings that would otherwise read back as a number or a boolean.
        Json back = scalarFromText(text);
        if (!back.is_string() || text.contains(QLatin1Char(',')) || text.trimmed() != text)
            return QLatin1Char('"') + text + QLatin1Char('"');
        return text;
    }
    return textFromJson(value);
}

std::optional<Json> numberFromText(const QString& raw) {
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    static const QRegularExpression integer(QStringLiteral("^[+-]?\\d+$"));
    bool ok = false;
    if (integer.match(text).hasMatch()) {
        qlonglong value = text.toLongLong(&ok);
        if (ok)
            return Json(static_cast<std::int64_t>(value));
    }
    double value = QLocale::c().toDouble(text, &ok);
    if (ok)
        return Json(value);
    return Json(text.toStdString());
}

QString textFromJson(const Json& value) {
    if (value.is_null())
        return {};
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_number_integer())
        return QString::number(value.get<std::int64_t>());
    if (value.is_number_unsigned())
        return QString::number(value.get<std::uint64_t>());
    if (value.is_number_float()) {
        // nlohmann prints the shortest text that reads back as the same double.
        QString text = QString::fromStdString(value.dump());
        if (text.endsWith(QLatin1String(".0")))
            text.chop(2);
        return text;
    }
    return QString::fromStdString(value.dump());
}

Json choicesFromText(const QString& text) {
    Json out = Json::array();
    if (text.trimmed().isEmpty())
        return out;
    for (const QString& item : splitList(text))
        out.push_back(scalarFromText(item));
    return out;
}

QString textFromChoices(const Json& choices) {
    if (!choices.is_array())
        return textFromJson(choices);
    QStringList items;
    for (const Json& choice : choices)
        items << textFromScalar(choice);
    return items.join(QStringLiteral(", "));
}

std::optional<Json> conditionFromText(const QString& raw) {
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return Json();
    static const QRegularExpression equals(QStringLiteral("^([^=\\s]+)\\s*==?\\s*(.+)$"));
    static const QRegularExpression in(QStringLiteral("^(\\S+)\\s+in\\s+(.+)$"));
    if (auto match = in.match(text); match.hasMatch()) {
        QString list = match.captured(2).trimmed();
        if (list.startsWith(QLatin1Char('[')) && list.endsWith(QLatin1Char(']')))
            list = list.mid(1, list.size() - 2);
        return Json{{"param", match.captured(1).toStdString()}, {"in", choicesFromText(list)}};
    }
    if (auto match = equals.match(text); match.hasMatch())
        return Json{{"param", match.captured(1).toStdString()},
                    {"equals", scalarFromText(match.captured(2))}};
    return std::nullopt;
}

QString textFromCondition(const Json& when) {
    if (when.is_null())
        return {};
    if (when.is_string())
        return QString::fromStdString(when.get<std::string>());
    if (!when.is_object() || !when.contains("param"))
        return QString::fromStdString(when.dump());
    QString param = textFromJson(when["param"]);
    if (when.contains("in"))
        return param + QStringLiteral(" in ") + textFromChoices(when["in"]);
    if (when.contains("equals"))
        return param + QStringLiteral(" = ") + textFromScalar(when["equals"]);
    return QString::fromStdString(when.dump());
}

}  // namespace bonsai::ui
