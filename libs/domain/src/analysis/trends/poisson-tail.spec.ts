import { logFactorial, logGamma, logPoissonPmf, poissonUpperTail } from './poisson-tail';

describe('poissonUpperTail', () => {
  it('matches the closed forms near the mean', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonUpperTail(3, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 12);
  });

  it('stays accurate far in the tail, where 1 - CDF would be 0', () => {
    // P(X >= 30; 1) = e^-1 / 30! * (1 + 1/31 + 1/(31*32) + ...)
    const first = Math.exp(-1 - logFactorial(30));
    expect(poissonUpperTail(30, 1) / (first * (1 + 1 / 31 + 1 / (31 * 32) + 1 / (31 * 32 * 33)))).toBeCloseTo(1, 5);
    expect(poissonUpperTail(30, 1)).toBeGreaterThan(0);
  });

  it('is 0 for a positive count against a zero expectation', () => {
    expect(poissonUpperTail(1, 0)).toBe(0);
  });

  it('decreases with the count', () => {
    let last = 1;
    for (let k = 1; k < 60; k++) {
      const p = poissonUpperTail(k, 12.5);
      expect(p).toBeLessThanOrEqual(last);
      last = p;
    }
  });
});

describe('logFactorial', () => {
  it('agrees with the sum of logs on both sides of the table', () => {
    let exact = 0;
    for (let n = 1; n <= 400; n++) {
      exact += Math.log(n);
      expect(logFactorial(n)).toBeCloseTo(exact, 8);
    }
  });

  it('gives the Poisson pmf', () => {
    expect(Math.exp(logPoissonPmf(2, 3))).toBeCloseTo((Math.exp(-3) * 9) / 2, 12);
  });
});

describe('logGamma and a fractional count', () => {
  it('matches known values of Gamma', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 9);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 9);
    expect(logGamma(12.5)).toBeCloseTo(logGamma(11.5) + Math.log(11.5), 9);
  });

  it('runs between the whole counts above the mean', () => {
    const between = poissonUpperTail(7.5, 2);
    expect(between).toBeLessThan(poissonUpperTail(7, 2));
    expect(between).toBeGreaterThan(poissonUpperTail(8, 2));
  });
});
