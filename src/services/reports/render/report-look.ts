/**
 * How statuses look in a report: the same labels and colours as the app (app/_lib/statuses.ts
 * and the light values of globals.css), written out as values because a mail client or a PDF
 * knows no CSS variables, and reports are read on white paper.
 */
import type { RunStatus } from '../../../domain/status';

export const STATUS_LABELS: Record<RunStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  WAITING: 'Waiting',
  SUCCEEDED: 'Succeeded',
  PARTIALLY_SUCCEEDED: 'Partly succeeded',
  FAILED: 'Failed',
  ABORTED: 'Aborted',
  REJECTED: 'Rejected',
};

export const STATUS_COLORS: Record<RunStatus, string> = {
  QUEUED: '#6e7781',
  RUNNING: '#0969da',
  WAITING: '#9a6700',
  SUCCEEDED: '#1a7f37',
  PARTIALLY_SUCCEEDED: '#7e9d0c',
  FAILED: '#cf222e',
  ABORTED: '#8250df',
  REJECTED: '#bc4c00',
};

export const COLORS = {
  text: '#1f2328',
  muted: '#59636e',
  border: '#d1d9e0',
  surfaceMuted: '#f0f3f6',
  background: '#f6f8fa',
  accent: '#0958c9',
  danger: '#a40e26',
  ok: '#116329',
} as const;
