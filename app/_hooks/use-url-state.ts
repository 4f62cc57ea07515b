'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import type { AlertsView } from '../_lib/alert-filters.ts';
import type { RunsView } from '../_lib/run-filters.ts';
import type { RangePreset } from '../_lib/time-range.ts';
import { alertsHref, periodHref, periodOf, projectOf, projectScopeHref, runsHref, scopedHref } from '../_lib/url-state.ts';

/**
 * The URL state of the page and the only way to change it: every navigation that writes the
 * project scope, the period or the runs view goes through here, with URLs from url-state.ts.
 */
export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const projectId = projectOf(params);

  const setProjectId = useCallback((next: string | null) => router.push(projectScopeHref(pathname, params, next)), [params, router, pathname]);
  // A period is a way of looking, not a place: it replaces the entry instead of adding one.
  const setPeriod = useCallback((next: RangePreset) => router.replace(periodHref(pathname, params, next)), [params, router, pathname]);
  const showRuns = useCallback((view: RunsView) => router.push(runsHref(view)), [router]);
  const showAlerts = useCallback((view: AlertsView) => router.push(alertsHref(view)), [router]);
  const hrefFor = useCallback((path: string) => scopedHref(path, projectId), [projectId]);

  return { params, projectId, period: periodOf(params), hrefFor, setProjectId, setPeriod, showRuns, showAlerts };
}
