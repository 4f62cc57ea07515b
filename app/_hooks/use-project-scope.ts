'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * The project every page is scoped to, kept in the URL (`?project=`), so links and reloads
 * keep it; none means all the viewer's projects.
 */
export function useProjectScope() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const projectId = params.get('project');

  const setProjectId = useCallback(
    (next: string | null) => {
      const updated = new URLSearchParams(params.toString());
      if (next) updated.set('project', next);
      else updated.delete('project');
      // A workflow or a cursor of the previous project means nothing in the next.
      updated.delete('workflow');
      updated.delete('after');
      updated.delete('before');
      const query = updated.toString();
      router.push(query ? `${pathname}?${query}` : pathname);
    },
    [params, router, pathname],
  );

  /** A link to another page that keeps the project. */
  const hrefFor = useCallback((path: string) => (projectId ? `${path}?project=${encodeURIComponent(projectId)}` : path), [projectId]);

  return { projectId, setProjectId, hrefFor };
}
