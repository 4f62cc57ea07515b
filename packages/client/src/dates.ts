import { DATE_TIME_PATHS } from './generated/date-time-paths.ts';

/** How DateTime values reach the caller: ISO 8601 strings as sent (default), or Date objects. */
export type DateMode = 'string' | 'date';

/** What the generated types put on a DateTime read (a string, branded so it can be told apart). */
export interface DateTimeBrand {
  readonly ' $dateTime': true;
}

/** The type with every DateTime as a Date. */
export type WithDates<T> = T extends DateTimeBrand
  ? Date
  : T extends readonly (infer Item)[]
    ? WithDates<Item>[]
    : T extends object
      ? { [K in keyof T]: WithDates<T[K]> }
      : T;

/** A result as the client hands it over in a date mode. */
export type Dated<T, M extends DateMode> = M extends 'date' ? WithDates<T> : T;

function parsed(text: unknown, operation: string, path: readonly string[]): unknown {
  if (text === null) return null;
  const date = typeof text === 'string' ? new Date(text) : null;
  if (!date || Number.isNaN(date.getTime())) throw new TypeError(`${operation} answered ${path.join('.')} = ${JSON.stringify(text)}, which is not a DateTime`);
  return date;
}

function convertAt(value: unknown, path: readonly string[], index: number, operation: string): unknown {
  if (Array.isArray(value)) return value.map((item) => convertAt(item, path, index, operation));
  if (index === path.length) return parsed(value, operation, path);
  const key = path[index];
  if (key === undefined || typeof value !== 'object' || value === null || !(key in value)) return value;
  Reflect.set(value, key, convertAt(Reflect.get(value, key), path, index + 1, operation));
  return value;
}

/**
 * Turns, in place, the DateTime strings of one of the client's own operations into Dates, at
 * the paths codegen found for it (packages/client/codegen/date-time-paths.cjs).
 */
export function convertDateTimes(operation: string, data: unknown): void {
  for (const path of DATE_TIME_PATHS[operation] ?? []) convertAt(data, path, 0, operation);
}
