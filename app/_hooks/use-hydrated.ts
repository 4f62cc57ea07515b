'use client';

import { useSyncExternalStore } from 'react';

const nothingToSubscribe = () => () => undefined;

/**
 * False on the server and while the browser hydrates the server's HTML, true from the render
 * after: what depends on the browser (its time zone, its clock) is shown from then on, and the
 * first render matches the HTML.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    nothingToSubscribe,
    () => true,
    () => false,
  );
}
