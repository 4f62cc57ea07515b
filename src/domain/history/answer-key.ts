import type { TimeBucket } from '../time-buckets.ts';
import { selectionKey, type RunSelection } from './run-selection.ts';
import type { CountScope } from './status-counts.ts';

/**
 * Every history answer the cache holds, by what it is a pure function of: an answer never
 * changes once computed, so its key is all the cache needs (no invalidation). An answer that
 * leaves archived runs out depends on what is archived too: `archiveEpoch` (null for answers
 * over every run, which archival does not change).
 */
export type HistoryQuestion =
  | { kind: 'page'; selection: RunSelection; snapshot: bigint; direction: 'ASC' | 'DESC'; position: { createdAt: number; id: string } | null; size: number; archiveEpoch: number | null }
  | { kind: 'counts'; selection: RunSelection; snapshot: bigint; scope: CountScope; archiveEpoch: number | null }
  | { kind: 'trend'; selection: RunSelection; snapshot: bigint; bucket: TimeBucket; from: number; to: number }
  | { kind: 'stats'; workflowId: string; snapshot: bigint; from: number | null; to: number | null };

/** The cache key of an answer. */
export function answerKey(question: HistoryQuestion): string {
  switch (question.kind) {
    case 'page': {
      const position = question.position ? `${question.position.createdAt}:${question.position.id}` : '';
      return `page|${selectionKey(question.selection)}|${question.snapshot}|${question.direction}|${position}|${question.size}|${question.archiveEpoch ?? ''}`;
    }
    case 'counts':
      return `counts|${selectionKey(question.selection)}|${question.snapshot}|${question.scope}|${question.archiveEpoch ?? ''}`;
    case 'trend':
      return `trend|${selectionKey(question.selection)}|${question.snapshot}|${question.bucket}|${question.from}|${question.to}`;
    case 'stats':
      return `stats|${question.workflowId}|${question.snapshot}|${question.from}|${question.to}`;
  }
}
