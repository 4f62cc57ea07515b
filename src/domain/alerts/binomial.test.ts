import { binomialLowerTail, binomialUpperTail } from './binomial.ts';

describe('binomial tails', () => {
  it('match exact sums on small cases and stay finite for thousands of trials', () => {
    // P(X >= 2 | n = 3, p = 0.5) = (3 + 1) / 8.
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    // P(X <= 0 | n = 10, p = 0.1) = 0.9^10.
    expect(binomialLowerTail(0, 10, 0.1)).toBeCloseTo(0.9 ** 10, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    const far = binomialUpperTail(600, 2_000, 0.2);
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(1e-10);
  });
});
