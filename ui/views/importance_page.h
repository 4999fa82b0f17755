#pragma once

#include <optional>

#include "analysis/study_analysis.h"
#include "helpers/latest_job.h"
#include "views/page_controls.h"

namespace bonsai::ui {

class ImportancePlot;

// Analysis ▸ Importance: the GP's ARD relevance of each parameter.
class ImportancePage : public GpPage {
    Q_OBJECT
  public:
    explicit ImportancePage(StudySession* session, QWidget* parent = nullptr);
    ImportancePlot* plot() const { return m_plot; }
    bool busy() const override { return m_job.busy(); }

  protected:
    void refresh() override;

  private:
    ImportancePlot* m_plot;
    LatestJob<std::optional<ParameterRelevance>> m_job;
};

}  // namespace bonsai::ui
