import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../domain/errors.ts';

export interface RateLimitSettings {
  /** Requests (HTTP operations and subscriptions) per token per minute; 0 turns the limit off. */
  requestsPerTokenPerMinute: number;
  /** Login attempts per client address per minute; 0 turns the limit off. */
  loginsPerAddressPerMinute: number;
  /** The pause after the first failed login of a (username, address); it doubles with each further one. */
  failedLoginDelayMs: number;
}

const WINDOW_SECONDS = 60;
// Consecutive failures are remembered this long; the delay stops growing at MAX_DELAY_MS.
const FAILURE_MEMORY_SECONDS = 15 * 60;
const MAX_FAILED_LOGIN_DELAY_MS = 10_000;

/** RATE_LIMITED with the seconds to wait, which Apollo also sends as 429 and Retry-After. */
export class RateLimitedError extends AppError {
  readonly extensions: { http: { status: number; headers: Map<string, string> } };

  constructor(what: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many ${what}: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    this.extensions = { http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) } };
  }
}

/** Where login attempts are counted: in this process, or in Redis for every process of the database. */
export interface SharedCounters {
  redis: Redis;
  namespace: string;
}

/**
 * A token's request rate, an address's login rate, and the growing pause after failed logins
 * that makes guessing passwords slow even below the rate. Requests are counted in this process
 * (every request pays for the count, and a Redis round trip would cost more than many of
 * them); login attempts and failures in Redis when it is given, so that spreading guesses over
 * processes gains nothing. If Redis fails, each process counts on its own meanwhile.
 */
export class RateLimits {
  private readonly requests: RateLimiterMemory | null;
  private readonly logins: RateLimiterAbstract | null;
  private readonly failures: RateLimiterAbstract;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly shared: SharedCounters | null = null,
  ) {
    this.requests = settings.requestsPerTokenPerMinute > 0 ? new RateLimiterMemory({ points: settings.requestsPerTokenPerMinute, duration: WINDOW_SECONDS }) : null;
    this.logins = settings.loginsPerAddressPerMinute > 0 ? this.counter('login', settings.loginsPerAddressPerMinute, WINDOW_SECONDS) : null;
    this.failures = this.counter('failed-login', Number.MAX_SAFE_INTEGER, FAILURE_MEMORY_SECONDS);
  }

  async close(): Promise<void> {
    this.shared?.redis.disconnect();
  }

  private counter(name: string, points: number, duration: number): RateLimiterAbstract {
    const inMemory = new RateLimiterMemory({ points, duration });
    if (!this.shared) return inMemory;
    return new RateLimiterRedis({ storeClient: this.shared.redis, keyPrefix: `runtrail:${name}:${this.shared.namespace}`, points, duration, insuranceLimiter: inMemory });
  }

  /** Counts one request of a token; RateLimitedError once it has used up the minute. */
  consumeRequest(tokenId: string): Promise<void> {
    return consume(this.requests, tokenId, 'requests with this token');
  }

  consumeLogin(address: string): Promise<void> {
    return consume(this.logins, address, 'sign-in attempts from this address');
  }

  /** Records a failed login and returns how long to pause before answering it. */
  async loginFailed(username: string, address: string): Promise<number> {
    const result = await this.failures.consume(failureKey(username, address));
    return Math.min(this.settings.failedLoginDelayMs * 2 ** (result.consumedPoints - 1), MAX_FAILED_LOGIN_DELAY_MS);
  }

  async loginSucceeded(username: string, address: string): Promise<void> {
    await this.failures.delete(failureKey(username, address));
  }
}

function failureKey(username: string, address: string): string {
  return `${username}\u0000${address}`;
}

async function consume(limiter: RateLimiterAbstract | null, key: string, what: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(what, Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    throw rejection;
  }
}
