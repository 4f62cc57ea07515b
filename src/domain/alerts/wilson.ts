/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * The lower bound of the 95% Wilson score interval of a rate of `successes` in `trials`: what
 * the rate is at least, with 95% confidence. One failure in one run gives 0.21, not 1: a rule on
 * it does not fire on a single unlucky run, and 30 of 100 gives 0.22 where 3 of 10 gives 0.11.
 */
export function wilsonLowerBound(successes: number, trials: number): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const centre = p + z2 / (2 * trials);
  const spread = Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.max(0, (centre - spread) / (1 + z2 / trials));
}
