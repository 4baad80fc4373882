/**
 * Poisson upper tail P(X >= k) for X ~ Poisson(lambda), accurate in the far
 * tail where burst tests live (p-values of 1e-12 and below): there `1 - CDF`
 * would round to 0, so the tail is summed directly from its first term.
 */

const TABLE_SIZE = 256;
const LOG_FACTORIAL: number[] = [0];
for (let n = 1; n < TABLE_SIZE; n++) LOG_FACTORIAL[n] = LOG_FACTORIAL[n - 1] + Math.log(n);

/** ln(n!) for integer n >= 0: a table below 256, Stirling's series above. */
export function logFactorial(n: number): number {
  return Number.isInteger(n) && n < TABLE_SIZE ? LOG_FACTORIAL[n] : logGamma(n + 1);
}

/**
 * ln Gamma(x) for x > 0: Stirling's series after shifting x to at least 10
 * with Gamma(x) = Gamma(x + 1) / x (error below 1e-10).
 */
export function logGamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** ln P(X = k). */
export function logPoissonPmf(k: number, lambda: number): number {
  if (lambda === 0) return k === 0 ? 0 : -Infinity;
  return k * Math.log(lambda) - lambda - logFactorial(k);
}

/**
 * P(X >= k). A fractional k (the quasi-Poisson test divides counts by the
 * dispersion) is read as the regularized lower incomplete gamma P(k, lambda),
 * which equals the tail at whole k and runs smoothly between them, so a
 * count is never rounded away.
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  if (k <= lambda) {
    // Around and below the mean the tail is large, so the complement is exact enough;
    // a fractional k is rounded down here, which can only make the tail larger.
    let term = Math.exp(-lambda);
    let cdf = 0;
    for (let i = 0; i < Math.floor(k); i++) {
      cdf += term;
      term *= lambda / (i + 1);
    }
    // For a large lambda exp(-lambda) underflows; the tail is then ~1 anyway.
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  // Above the mean each term is smaller than the last by lambda / (i + 1) < 1: a series that converges fast.
  let term = Math.exp(logPoissonPmf(k, lambda));
  let tail = 0;
  for (let i = 0; term > tail * 1e-16 && i < 100_000; i++) {
    tail += term;
    term *= lambda / (k + i + 1);
  }
  return Math.min(1, tail);
}
