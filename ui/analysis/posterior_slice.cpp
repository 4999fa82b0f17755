#include "analysis/posterior_slice.h"

#include "strategies/gp_strategy.h"

namespace bonsai::ui {

std::optional<PosteriorSlice> gpPosteriorSliceOf(const StudyRecord& study,
                                                 const std::vector<Trial>& trials,
                                                 const std::string& parameter) {
    try {
        const SearchSpace space = SearchSpace::fromJson(study.spec.value("space", Json::array()));
        const Json strategy = study.spec.value("strategy", Json{{"kind", "random"}});
        auto slice = gpPosteriorSlice(space, strategy, study.direction, trials, parameter);
        if (!slice || slice->categorical)
            return std::nullopt;
        PosteriorSlice out;
        out.parameter = QString::fromStdString(slice->param);
        out.x = std::move(slice->x);
        out.mean = std::move(slice->mean);
        out.std = std::move(slice->stddev);
        out.acquisition = std::move(slice->acquisition);
        out.acquisitionName = QString::fromStdString(slice->acquisitionName);
        out.observedX = std::move(slice->observedX);
        out.observedY = std::move(slice->observedY);
        for (const Trial& trial : trials) {
            if (trial.number != slice->incumbentTrial)
                continue;
            auto it = trial.params.find(parameter);
            if (it != trial.params.end())
                out.incumbentX = numericValue(it->second);
        }
        return out;
    } catch (const std::exception&) {
        return std::nullopt;  // a damaged spec or a numerical failure: nothing to draw
    }
}

}  // namespace bonsai::ui
