'use client';

import { useHydrated } from '../_hooks/use-hydrated.ts';
import { formatDateTime, formatDateTimeUtc } from '../_lib/format.ts';

/**
 * A moment in the browser's time zone. The server does not know that zone: its HTML shows UTC,
 * which the browser replaces once it has taken the page over.
 */
export function DateTime({ iso, className }: { iso: string; className?: string }) {
  const hydrated = useHydrated();
  return <time dateTime={iso} className={className}>{hydrated ? formatDateTime(iso) : formatDateTimeUtc(iso)}</time>;
}
