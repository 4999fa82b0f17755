#pragma once

#if defined(__SSE2__) || defined(_M_X64)
#define BONSAI_FLUSHES_DENORMALS 1
#include <xmmintrin.h>
#else
#define BONSAI_FLUSHES_DENORMALS 0
#endif

namespace bonsai {

// Within its scope this thread's floating-point arithmetic treats numbers too
// small to be normal (below about 2.2e-308) as zero, in results and inputs.
// A GP likelihood meets them when a line search tries tiny lengthscales: the
// kernel's products underflow, and on x86 every operation on a subnormal
// number takes a slow path (a hyperparameter fit ran ten times slower),
// while values that small change nothing next to the noise variance.
// A no-op on other processors.
class FlushDenormals {
  public:
    // Whether the guard does anything on this processor (x86's MXCSR).
    static constexpr bool kEffective = BONSAI_FLUSHES_DENORMALS;

#if BONSAI_FLUSHES_DENORMALS
    FlushDenormals() : m_saved(_mm_getcsr()) {
        _mm_setcsr(m_saved | kFlushToZero | kDenormalsAreZero);
    }
    ~FlushDenormals() {
        _mm_setcsr(m_saved);
    }
#else
    FlushDenormals() = default;
#endif
    FlushDenormals(const FlushDenormals&) = delete;
    FlushDenormals& operator=(const FlushDenormals&) = delete;

  private:
#if BONSAI_FLUSHES_DENORMALS
    static constexpr unsigned kFlushToZero = 0x8000;       // MXCSR bit 15
    static constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR bit 6
    unsigned m_saved;
#endif
};

}  // namespace bonsai
