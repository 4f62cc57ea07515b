import { CircuitBreakers } from './circuit-breakers.ts';
import { DEFAULT_DELIVERY_POLICY, nextAttemptAfterFailure } from './delivery-policy.ts';

const createdAt = new Date('2026-12-06T00:00:00.000Z');
const at = (ms: number) => new Date(createdAt.getTime() + ms);

describe('the backoff of the outbox', () => {
  it('waits 10 s after the first failure and doubles up to an hour, drawn between half the wait and all of it', () => {
    const waits = [1, 2, 3, 9, 10, 20].map((attempts) => (nextAttemptAfterFailure(DEFAULT_DELIVERY_POLICY, createdAt, attempts, at(0), 1 - Number.EPSILON)?.getTime() ?? 0) - createdAt.getTime());
    const shortest = (nextAttemptAfterFailure(DEFAULT_DELIVERY_POLICY, createdAt, 1, at(0), 0)?.getTime() ?? 0) - createdAt.getTime();

    expect(waits).toEqual([10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000]);
    expect(shortest).toBe(5_000);
  });

  it('tries a last time at the 24 h horizon, and gives up after it', () => {
    const day = DEFAULT_DELIVERY_POLICY.horizonMs;

    expect(nextAttemptAfterFailure(DEFAULT_DELIVERY_POLICY, createdAt, 30, at(day - 60_000), 0.5)).toEqual(at(day));
    expect(nextAttemptAfterFailure(DEFAULT_DELIVERY_POLICY, createdAt, 31, at(day), 0.5)).toBeNull();
  });
});

describe('circuit breakers', () => {
  it('hold an endpoint after 5 consecutive failures for the cool-down, then let one probe out', () => {
    const breakers = new CircuitBreakers({ failures: 5, coolDownMs: 60_000 });
    for (let failure = 0; failure < 4; failure += 1) breakers.failed('cpt_a', at(0));
    const beforeFifth = breakers.allow('cpt_a', at(0));
    breakers.failed('cpt_a', at(0));

    expect(beforeFifth).toBe(true);
    expect(breakers.allow('cpt_a', at(59_999))).toBe(false);
    expect(breakers.held(at(59_999))).toEqual(['cpt_a']);
    expect(breakers.allow('cpt_b', at(0))).toBe(true);
    expect(breakers.allow('cpt_a', at(60_000))).toBe(true);
    expect(breakers.allow('cpt_a', at(60_000))).toBe(false);
  });

  it('open again when the probe fails, and close when it succeeds', () => {
    const breakers = new CircuitBreakers({ failures: 1, coolDownMs: 1_000 });
    breakers.failed('cpt_a', at(0));
    breakers.allow('cpt_a', at(1_000));
    breakers.failed('cpt_a', at(1_000));
    const reopened = breakers.allow('cpt_a', at(1_500));
    breakers.allow('cpt_a', at(2_000));
    breakers.succeeded('cpt_a');

    expect(reopened).toBe(false);
    expect(breakers.held(at(2_000))).toEqual([]);
    expect(breakers.allow('cpt_a', at(2_000))).toBe(true);
  });
});
