'use client';

import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';
import { useHydrated } from './use-hydrated.ts';

/** When the server rendered the page: the time its HTML shows, until the browser has hydrated it. */
const RenderedAt = createContext<number | null>(null);

export function RenderedAtProvider({ at, children }: { at: number; children: ReactNode }) {
  return createElement(RenderedAt.Provider, { value: at }, children);
}

/** The current time, ticking every `everyMs`: for elapsed times on screen, not for fetching. */
export function useNow(everyMs = 1000): number {
  const renderedAt = useContext(RenderedAt);
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return hydrated || renderedAt === null ? now : renderedAt;
}
