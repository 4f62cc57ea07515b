import { Redis } from 'ioredis';
import { RateLimitedError, RateLimits } from './rate-limits.ts';

describe('RateLimits', () => {
  it('doubles the pause after each failed login of a username from an address, up to a bound, and forgets on success', async () => {
    const limits = new RateLimits({ requestsPerTokenPerMinute: 0, loginsPerAddressPerMinute: 0, failedLoginDelayMs: 250 });

    const pauses = [];
    for (let failure = 0; failure < 8; failure += 1) pauses.push(await limits.loginFailed('alice', '10.0.0.1'));
    const otherAddress = await limits.loginFailed('alice', '10.0.0.2');
    await limits.loginSucceeded('alice', '10.0.0.1');
    const afterSuccess = await limits.loginFailed('alice', '10.0.0.1');

    expect(pauses).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(otherAddress).toBe(250);
    expect(afterSuccess).toBe(250);
  });

  it('refuses the request past the limit with the seconds to wait, per token', async () => {
    const limits = new RateLimits({ requestsPerTokenPerMinute: 2, loginsPerAddressPerMinute: 0, failedLoginDelayMs: 0 });
    await limits.consumeRequest('tok_a');
    await limits.consumeRequest('tok_a');

    const refused = await limits.consumeRequest('tok_a').catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    await expect(limits.consumeRequest('tok_b')).resolves.toBeUndefined();
  });

  it('has no limit when set to 0', async () => {
    const limits = new RateLimits({ requestsPerTokenPerMinute: 0, loginsPerAddressPerMinute: 0, failedLoginDelayMs: 0 });

    for (let request = 0; request < 100; request += 1) await limits.consumeLogin('10.0.0.1');

    await expect(limits.consumeLogin('10.0.0.1')).resolves.toBeUndefined();
  });
});

describe('RateLimits shared through Redis', () => {
  const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const settings = { requestsPerTokenPerMinute: 0, loginsPerAddressPerMinute: 3, failedLoginDelayMs: 100 };
  let processes: RateLimits[] = [];

  beforeEach(() => {
    // A namespace of its own: counts of earlier runs never meet this one.
    const namespace = `test-${process.pid}-${Date.now()}`;
    processes = [0, 1].map(() => new RateLimits(settings, { redis: new Redis(REDIS_URL), namespace }));
  });
  afterEach(async () => {
    for (const limits of processes) await limits.close();
  });

  it('counts login attempts and failures of every process together', async () => {
    const [first, second] = processes;
    if (!first || !second) throw new Error('two processes expected');
    await first.consumeLogin('10.0.0.9');
    await second.consumeLogin('10.0.0.9');
    await first.consumeLogin('10.0.0.9');
    const pauses = [await first.loginFailed('eve', '10.0.0.9'), await second.loginFailed('eve', '10.0.0.9'), await first.loginFailed('eve', '10.0.0.9')];

    await expect(second.consumeLogin('10.0.0.9')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(second.consumeLogin('10.0.0.10')).resolves.toBeUndefined();
    expect(pauses).toEqual([100, 200, 400]);
  });
});
