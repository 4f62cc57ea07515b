import { hasSettled, isFlapping, RESOLVE_HOLD_MAX_MS, resolveHoldMs } from './flapping.ts';
import { decideNotice, type NotificationContext } from './notification-decision.ts';
import { parseSilence, silences } from './silence.ts';

const now = new Date('2026-12-01T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const context = (overrides: Partial<NotificationContext>): NotificationContext => ({
  transition: null,
  state: 'FIRING',
  firingNotified: true,
  acknowledged: false,
  lastNotifiedAt: now,
  repeatIntervalMs: 3_600_000,
  silenced: false,
  flapping: { was: false, is: false },
  now,
  ...overrides,
});

describe('what an alert tells its contact points', () => {
  it('notifies a firing, a resolution only of a notified firing, and reminders while unacknowledged', () => {
    expect(decideNotice(context({ transition: { from: 'INACTIVE', to: 'FIRING', message: '' }, firingNotified: false }))).toBe('firing');
    expect(decideNotice(context({ transition: { from: 'FIRING', to: 'RESOLVED', message: '' }, state: 'RESOLVED' }))).toBe('resolved');
    expect(decideNotice(context({ transition: { from: 'FIRING', to: 'RESOLVED', message: '' }, state: 'RESOLVED', firingNotified: false }))).toBeNull();
    expect(decideNotice(context({ lastNotifiedAt: minutesAgo(60) }))).toBe('reminder');
    expect(decideNotice(context({ lastNotifiedAt: minutesAgo(60), acknowledged: true }))).toBeNull();
    expect(decideNotice(context({ lastNotifiedAt: minutesAgo(59) }))).toBeNull();
  });

  it('holds everything back while silenced, and notifies a firing alert nobody heard of once the silence is over', () => {
    expect(decideNotice(context({ transition: { from: 'INACTIVE', to: 'FIRING', message: '' }, firingNotified: false, silenced: true }))).toBeNull();
    expect(decideNotice(context({ firingNotified: false }))).toBe('firing');
  });

  it('says once that an alert flaps, then nothing until it settles, then its state once', () => {
    expect(decideNotice(context({ transition: { from: 'RESOLVED', to: 'FIRING', message: '' }, flapping: { was: false, is: true } }))).toBe('flapping');
    expect(decideNotice(context({ transition: { from: 'FIRING', to: 'RESOLVED', message: '' }, state: 'RESOLVED', flapping: { was: true, is: true } }))).toBeNull();
    expect(decideNotice(context({ state: 'RESOLVED', flapping: { was: true, is: false } }))).toBe('resolved');
    expect(decideNotice(context({ state: 'FIRING', flapping: { was: true, is: false } }))).toBe('firing');
  });

  it('counts an alert flapping at 4 changes within the hour, settled after 30 quiet minutes', () => {
    expect(isFlapping([minutesAgo(50), minutesAgo(40), minutesAgo(30), now], now)).toBe(true);
    expect(isFlapping([minutesAgo(70), minutesAgo(40), minutesAgo(30), now], now)).toBe(false);
    expect(hasSettled(minutesAgo(29), now)).toBe(false);
    expect(hasSettled(minutesAgo(30), now)).toBe(true);
  });

  it('holds a resolution back twice as long as the alert fired, up to 5 minutes, so a flip back within it is never told', () => {
    expect(resolveHoldMs(minutesAgo(1), now)).toBe(2 * 60_000);
    expect(resolveHoldMs(new Date(now.getTime() - 3_000), now)).toBe(6_000);
    expect(resolveHoldMs(minutesAgo(60), now)).toBe(RESOLVE_HOLD_MAX_MS);
    expect(resolveHoldMs(null, now)).toBe(0);
  });
});

describe('a silence', () => {
  it('names every wrong field, and needs a comment saying why', () => {
    expect(() => parseSilence({ projectId: 'p', endsAt: minutesAgo(1), comment: ' ' }, now)).toThrow(/comment: 1 to 1000 characters saying why.*endsAt: after startsAt and after now/);
    expect(() => parseSilence({ projectId: 'p', endsAt: new Date(now.getTime() + 91 * 86_400_000), comment: 'maintenance' }, now)).toThrow(/at most 90 days/);
  });

  it('matches by rule and by workflow id or name, while it is active', () => {
    const silence = { id: 's', createdBy: 'ops', createdAt: now, ...parseSilence({ projectId: 'p', ruleIds: ['r1'], workflowNames: ['etl'], endsAt: new Date(now.getTime() + 3_600_000), comment: 'maintenance' }, now) };
    expect(silences(silence, { ruleId: 'r1', workflowId: 'w1', workflowName: 'etl' }, now)).toBe(true);
    expect(silences(silence, { ruleId: 'r2', workflowId: 'w1', workflowName: 'etl' }, now)).toBe(false);
    expect(silences(silence, { ruleId: 'r1', workflowId: 'w2', workflowName: 'load' }, now)).toBe(false);
    expect(silences(silence, { ruleId: 'r1', workflowId: 'w1', workflowName: 'etl' }, new Date(now.getTime() + 3_600_000))).toBe(false);
  });
});
