#pragma once

#include <cstddef>
#include <functional>

namespace bonsai {

// Runs task(0), ..., task(count - 1), each exactly once, spread over the
// machine's cores (the calling thread takes a share). A task must write only
// its own results and read shared data only, so the outcome never depends on
// the number of cores or on which thread ran which index. Returns once every
// task has finished; if tasks threw, the exception of the lowest index is
// rethrown here.
void runInParallel(std::size_t count, const std::function<void(std::size_t)>& task);

}  // namespace bonsai
