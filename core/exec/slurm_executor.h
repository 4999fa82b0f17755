#pragma once

#include <memory>
#include <string>

#include "exec/slurm_job.h"

// The `slurm` executor: each command becomes a batch job (sbatch), its stdout
// is read from the job's output file while it runs, its state comes from
// squeue/scontrol, and scancel stops it. Works without Slurm accounting.
namespace bonsai {

class SlurmJobMonitor;

class SlurmExecutor final : public Executor {
  public:
    explicit SlurmExecutor(SlurmSettings settings);
    ~SlurmExecutor() override;

    // Submits the job; throws std::runtime_error quoting sbatch's message if
    // sbatch is missing or rejects the job.
    std::unique_ptr<RunningCommand> launch(const CommandLaunch& launch) override;
    // Follows the job named by a trial's "slurm_job_id" attribute again (after
    // the process that submitted it ended); nullptr if there is no such
    // attribute, or Slurm no longer knows the job and it left no exit status.
    std::unique_ptr<RunningCommand> reattach(const Json& trialAttrs,
                                             const std::string& trialDir) override;

    const SlurmSettings& settings() const { return m_settings; }

  private:
    SlurmSettings m_settings;
    // One squeue call per poll interval serves every job of this executor.
    std::shared_ptr<SlurmJobMonitor> m_monitor;
};

}  // namespace bonsai
