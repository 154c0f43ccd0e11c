"""C math functions that the compiler can vectorize, for kernels that call them per element
(softmax): libm's ``exp`` is one scalar call per element, several times slower than numpy's
SIMD exp on a row of a matrix.

``pt_exp`` (double) and ``pt_expf`` (float): exp(x) = 2^k exp(r), |r| <= ln2 / 2, with a
Taylor polynomial for exp(r) (relative error within 2 ulp of libm's), written without
branches or calls. NaN gives NaN, +inf and what overflows give inf; below exp(-708) for
double, exp(-86.6) for float, it gives 0 (an absolute difference under 4e-308, 3e-38).
"""

__all__ = ["EXP_SUPPORT", "exp_function"]

EXP_SUPPORT = r"""
static inline double pt_exp(double x) {
  const double shift = 6755399441055744.0;  /* 1.5 * 2^52: adding it rounds to an integer */
  const double xc = x < -708.0 ? -708.0 : (x > 709.79 ? 709.79 : x);
  const double t = xc * 1.4426950408889634 + shift;
  const double k = t - shift;
  const double r = (xc - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0; p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0; p = p * r + 1.0 / 362880.0; p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0; p = p * r + 1.0 / 720.0; p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0; p = p * r + 1.0 / 6.0; p = p * r + 0.5; p = p * r + 1.0;
  p = p * r + 1.0;
  union { double d; int64_t i; } tb, scale;
  tb.d = t;
  /* 2^(k-1) * 2p: k - 1 + 1023 stays a normal exponent over the whole range */
  scale.i = (tb.i - (int64_t)0x4338000000000000LL + 1022) << 52;
  double y = (2.0 * p) * scale.d;
  y = x > 709.782712893384 ? INFINITY : y;
  y = x < -708.0 ? 0.0 : y;
  return x != x ? x : y;
}

static inline float pt_expf(float x) {
  const float shift = 12582912.0f;  /* 1.5 * 2^23 */
  const float xc = x < -86.6f ? -86.6f : (x > 88.73f ? 88.73f : x);
  const float t = xc * 1.44269504f + shift;
  const float k = t - shift;
  const float r = (xc - k * 0.693145752f) - k * 1.42860677e-06f;
  float p = 1.0f / 40320.0f;
  p = p * r + 1.0f / 5040.0f; p = p * r + 1.0f / 720.0f; p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f; p = p * r + 1.0f / 6.0f; p = p * r + 0.5f; p = p * r + 1.0f;
  p = p * r + 1.0f;
  union { float f; int32_t i; } tb, scale;
  tb.f = t;
  scale.i = (tb.i - (int32_t)0x4B400000 + 126) << 23;
  float y = (2.0f * p) * scale.f;
  y = x > 88.7228394f ? INFINITY : y;
  y = x < -86.6f ? 0.0f : y;
  return x != x ? x : y;
}
"""


def exp_function(dtype):
    """The name of the vectorizable exp of ``dtype`` ('float32' or 'float64')."""
    return "pt_expf" if dtype == "float32" else "pt_exp"
