#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

#include <QCoreApplication>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QThreadPool>

namespace bonsai::ui {

// The pool the studio's slow computations run on. Not the global pool: Qt's
// raster paint engine splits large fills over QThreadPool::globalInstance()
// and waits for them, so a GP fit there would freeze painting until it ends.
inline QThreadPool* computePool() {
    // Owned by the application, whose end waits for a running fit rather
    // than pulling the process from under it.
    static QThreadPool* pool = [] {
        auto* created = new QThreadPool(QCoreApplication::instance());
        created->setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
        created->setExpiryTimeout(30000);
        return created;
    }();
    return pool;
}

// Runs a view's slow computation (a GP fit) on the thread pool, one at a
// time, and delivers only the result for the latest request: a request made
// while one runs waits, replacing any older waiting one. Keys name what a
// request computes, so asking again for the same thing costs nothing.
// Lives inside `owner`; results arriving after the owner died are dropped.
template <class Result>
class LatestJob {
  public:
    using Work = std::function<Result()>;
    using Done = std::function<void(const Result&)>;

    LatestJob(QObject* owner, Done done) : m_owner(owner), m_done(std::move(done)) {}

    void request(const QString& key, Work work) {
        if (key == m_key)
            return;
        m_key = key;
        if (m_busy) {
            m_pending = std::move(work);
            return;
        }
        start(key, std::move(work));
    }
    // Forget the last key, so the next request runs even if it repeats it.
    void reset() { m_key.clear(); }
    bool busy() const { return m_busy; }

  private:
    void start(const QString& key, Work work) {
        m_busy = true;
        QPointer<QObject> guard(m_owner);
        computePool()->start([this, guard, key, work = std::move(work)] {
            auto result = std::make_shared<Result>(work());
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [this, guard, key, result] {
                    if (guard)
                        finished(key, *result);
                },
                Qt::QueuedConnection);
        });
    }
    void finished(const QString& key, const Result& result) {
        m_busy = false;
        if (m_pending) {
            Work next = std::move(*m_pending);
            m_pending.reset();
            start(m_key, std::move(next));
            return;
        }
        if (key == m_key)
            m_done(result);
    }

    QObject* m_owner;
    Done m_done;
    QString m_key;
    bool m_busy = false;
    std::optional<Work> m_pending;
};

}  // namespace bonsai::ui
