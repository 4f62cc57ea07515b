/**
 * The probability of at least `k` successes in `n` trials of probability `p` (the upper tail of
 * the binomial distribution), summed in log space so thousands of trials neither overflow nor
 * lose the small tails a rule compares with 0.001.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let total = 0;
  for (let successes = k; successes <= n; successes += 1) {
    const term = Math.exp(logChoose(n, successes) + successes * logP + (n - successes) * logQ);
    total += term;
    // Past the mode the terms only shrink: once they stop counting, the rest cannot either.
    if (successes > n * p && term < total * 1e-12) break;
  }
  return Math.min(1, total);
}

/** The probability of at most `k` successes in `n` trials of probability `p`. */
export function binomialLowerTail(k: number, n: number, p: number): number {
  return k >= n ? 1 : 1 - binomialUpperTail(k + 1, n, p);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const LOG_FACTORIALS: number[] = [0];

function logFactorial(n: number): number {
  for (let index = LOG_FACTORIALS.length; index <= n; index += 1) LOG_FACTORIALS.push((LOG_FACTORIALS[index - 1] ?? 0) + Math.log(index));
  return LOG_FACTORIALS[n] ?? 0;
}
