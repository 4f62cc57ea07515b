import Link from 'next/link';
import type { RunStatus } from '../../_gql/graphql.ts';
import { countsByStatus, type StatusCountLike } from '../../_lib/chart-data.ts';
import { RUN_STATUS_ORDER, RUN_STATUSES } from '../../_lib/statuses.ts';

interface StatusCardsProps {
  counts: { total: number; byStatus: readonly StatusCountLike[] } | null;
  linkFor(status: RunStatus): string;
}

/** A card per status with its count for the period; each leads to those runs. */
export function StatusCards({ counts, linkFor }: StatusCardsProps) {
  const byStatus = counts ? countsByStatus(counts.byStatus) : null;
  return (
    <ul className="status-cards" aria-label="Runs per status in this period" aria-busy={!counts}>
      <li className="status-card status-card--total">
        <span className="status-card__label">All runs</span>
        <span className="status-card__count">{counts ? counts.total.toLocaleString('en-US') : '…'}</span>
      </li>
      {RUN_STATUS_ORDER.map((status) => (
        <li key={status} className="status-card" data-status={status}>
          <Link href={linkFor(status)} className="status-card__link">
            <span className="status-card__label">
              <span className="status-badge__dot" style={{ background: RUN_STATUSES[status].color }} aria-hidden="true" />
              {RUN_STATUSES[status].label}
            </span>
            <span className="status-card__count">{byStatus ? byStatus[status].toLocaleString('en-US') : '…'}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
