export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function startOfHour(date: Date): Date {
  const hour = new Date(date);
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}
