'use client';

import { useEffect, useState } from 'react';

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/**
 * "as of 10:42:01": when this page got the snapshot it shows, which is what a person can place;
 * the snapshot's event number stays in the tooltip for whoever pages the API with it.
 */
export function SnapshotTime({ snapshot }: { snapshot: string }) {
  const [seen, setSeen] = useState<{ snapshot: string; at: number } | null>(null);
  // Set after mounting: the time is the browser's, so a server render must not print its own.
  useEffect(() => setSeen((current) => (current?.snapshot === snapshot ? current : { snapshot, at: Date.now() })), [snapshot]);
  const at = seen?.snapshot === snapshot ? seen.at : null;
  return (
    <span title={`Snapshot ${snapshot}: the rows and counts are as of this event, whatever happened since`}>
      as of {at === null ? 'now' : clock.format(at)}
    </span>
  );
}
