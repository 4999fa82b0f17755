#pragma once

#include <functional>
#include <optional>

#include <Eigen/Core>

#include "acquisition/acquisition.h"
#include "gp/input_kind.h"
#include "util/random.h"

namespace bonsai {

// Maps a point of the cube to its canonical representative (bin centres,
// inactive parameters at their imputed value). Must be idempotent, and safe
// to call from several threads at once (the exhaustive screen snaps blocks of
// points in parallel).
using Snapper = std::function<Eigen::VectorXd(const Eigen::VectorXd&)>;

struct MaximizerOptions {
    int candidates = 1024;         // scrambled Sobol points screened
    int anchorCandidates = 64;     // perturbations screened around each anchor
    int starts = 4;                // best distinct candidates refined
    int gradientEvaluations = 60;  // L-BFGS evaluations per continuous refinement
    int rounds = 6;                // continuous / discrete alternations per start
    // All-discrete spaces with at most this many points (e.g. the 15,625
    // NAS-Bench-201 cells) are scored point by point: the exact maximizer
    // costs a few milliseconds there. 0 turns enumeration off.
    double exhaustiveLimit = 1e5;
};

struct MaximizerResult {
    Eigen::VectorXd x;  // snapped
    double value = 0.0;
    // True only when every point the maximizer could find is excluded (a
    // fully observed discrete space): x is then the best excluded point.
    bool onlyExcluded = false;
    int evaluations = 0;
};

// Maximizes an acquisition over the mixed unit cube. When every input is
// discrete and the inputs have at most `exhaustiveLimit` combinations, it
// scores every combination and returns the best one not excluded (exact).
// Otherwise:
//  1. screen Owen-scrambled Sobol points (util/sobol.h, seeded from the
//     caller's RNG) and perturbations of the anchors,
//  2. refine the best few distinct ones, alternating L-BFGS (NLopt LD_LBFGS,
//     box [0, 1]) on the continuous inputs with discrete inputs fixed, and a
//     best-improvement local search over ordinal (+-1 level) and categorical
//     (every other level) inputs, until neither improves,
//  3. return the best snapped point that is not excluded.
// Every evaluated point is snapped first: the inputs' own bin centres, then
// the caller's snapper.
class AcquisitionMaximizer {
  public:
    explicit AcquisitionMaximizer(InputKinds inputs, Snapper snapper = {},
                                  MaximizerOptions options = {});

    // `exclude`: rows that must not be returned while another point remains
    // (observed and pending points). `anchors`: rows to search around (e.g.
    // the best observed points).
    MaximizerResult maximize(const AcquisitionTarget& target, Rng& rng,
                             const Eigen::MatrixXd& exclude = Eigen::MatrixXd(),
                             const Eigen::MatrixXd& anchors = Eigen::MatrixXd()) const;

    // The best point one discrete move from `centre`: one ordinal or
    // categorical input set to another of its levels, every other input as in
    // `centre`. A trust region of Hamming radius 1 around the incumbent
    // (CASMOPOLITAN, Wan et al. 2021): on a finite space the global argmax
    // of the acquisition may sit far from every good point seen, and the
    // incumbent's untried neighbours are where the best points of NAS-Bench-201
    // lie. nullopt when every neighbour is excluded or has no finite value.
    std::optional<MaximizerResult> maximizeNeighbourhood(
        const AcquisitionTarget& target, const Eigen::VectorXd& centre,
        const Eigen::MatrixXd& exclude = Eigen::MatrixXd()) const;

    // The best of the given candidate rows (snapped; repeats and excluded
    // rows dropped before they are evaluated). nullopt when none is left or
    // none has a finite value.
    std::optional<MaximizerResult> maximizeAmong(
        const AcquisitionTarget& target, const Eigen::MatrixXd& candidates,
        const Eigen::MatrixXd& exclude = Eigen::MatrixXd()) const;

    Eigen::VectorXd snap(const Eigen::VectorXd& x) const;
    const InputKinds& inputs() const { return m_inputs; }

  private:
    InputKinds m_inputs;
    Snapper m_snapper;
    MaximizerOptions m_options;
};

}  // namespace bonsai
