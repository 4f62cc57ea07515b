import type { TimeBucket } from '../time-buckets.ts';
import { selectionKey, type RunSelection } from './run-selection.ts';

/**
 * Every history answer the cache holds, by what it is a pure function of: an answer never
 * changes once computed, so its key is all the cache needs (no invalidation).
 */
export type HistoryQuestion =
  | { kind: 'page'; selection: RunSelection; snapshot: bigint; direction: 'ASC' | 'DESC'; position: { createdAt: number; id: string } | null; size: number }
  | { kind: 'counts'; selection: RunSelection; snapshot: bigint }
  | { kind: 'trend'; selection: RunSelection; snapshot: bigint; bucket: TimeBucket; from: number; to: number }
  | { kind: 'stats'; workflowId: string; snapshot: bigint; from: number | null; to: number | null };

/** The cache key of an answer. */
export function answerKey(question: HistoryQuestion): string {
  switch (question.kind) {
    case 'page': {
      const position = question.position ? `${question.position.createdAt}:${question.position.id}` : '';
      return `page|${selectionKey(question.selection)}|${question.snapshot}|${question.direction}|${position}|${question.size}`;
    }
    case 'counts':
      return `counts|${selectionKey(question.selection)}|${question.snapshot}`;
    case 'trend':
      return `trend|${selectionKey(question.selection)}|${question.snapshot}|${question.bucket}|${question.from}|${question.to}`;
    case 'stats':
      return `stats|${question.workflowId}|${question.snapshot}|${question.from}|${question.to}`;
  }
}
