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
