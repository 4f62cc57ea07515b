import { ACTIVE_RUN_STATUSES, RUN_STATUSES } from '../domain/status.ts';
import type { SeedResult } from './history-seeder.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The one-screen account of a seeded history: what it covers and how it behaves. */
export function summaryLines(result: SeedResult): string[] {
  const { tally } = result;
  const total = Math.max(1, tally.runs);
  const percent = (count: number) => `${((count / total) * 100).toFixed(1)}%`;
  const nameOf = (id: string) => {
    const workflow = result.workflows.find((candidate) => candidate.id === id);
    return workflow ? `${workflow.project}/${workflow.name}` : id;
  };
  const flaky = result.workflows.filter((workflow) => workflow.flaky).map((workflow) => `${workflow.project}/${workflow.name}`);
  const projects = new Set(result.workflows.map((workflow) => workflow.project)).size;
  const finished = RUN_STATUSES.filter((status) => !ACTIVE_RUN_STATUSES.has(status)).map((status) => `${status} ${percent(tally.statuses.get(status) ?? 0)}`);
  const active = [...ACTIVE_RUN_STATUSES].map((status) => `${count(tally.statuses.get(status) ?? 0)} ${status}`);
  const triggers = [...tally.triggers.entries()].sort((a, b) => b[1] - a[1]).map(([trigger, runs]) => `${trigger} ${percent(runs)}`);
  const streak = tally.longestFailureStreak;
  const lines = [
    `range      ${minute(result.from)} → ${minute(result.to)} UTC (${formatDays(result.to.getTime() - result.from.getTime())}), seed ${result.seed}`,
    `workflows  ${result.workflows.length} in ${projects} project${projects === 1 ? '' : 's'}, disabled; flaky: ${flaky.length > 0 ? flaky.join(', ') : 'none'}`,
    `finished   ${finished.join(', ')}`,
    `active     ${count(tally.active)} still going at the end: ${active.join(', ')}`,
    `triggers   ${triggers.join(', ')}`,
    `failures   ${streak.runs > 0 ? `longest streak ${streak.runs} FAILED runs in a row (${nameOf(streak.workflowId)})` : 'none'}`,
  ];
  if (tally.runs > 0) lines.push(`rhythm     ${rhythmLine(tally.byHour, tally.byWeekday, percent)}`);
  return lines;
}

function rhythmLine(byHour: readonly number[], byWeekday: readonly number[], percent: (count: number) => string): string {
  const busiest = byHour.indexOf(Math.max(...byHour));
  const quietest = byHour.indexOf(Math.min(...byHour));
  const weekday = byWeekday.slice(1, 6).reduce((sum, runs) => sum + runs, 0) / 5;
  const weekend = ((byWeekday[0] ?? 0) + (byWeekday[6] ?? 0)) / 2;
  const week = weekend > 0 ? `; a weekday has ${(weekday / weekend).toFixed(1)}× the runs of a weekend day` : '';
  return `busiest hour ${hour(busiest)} UTC (${percent(byHour[busiest] ?? 0)}), quietest ${hour(quietest)} (${percent(byHour[quietest] ?? 0)})${week}`;
}

function hour(index: number): string {
  return `${String(index).padStart(2, '0')}:00`;
}

function minute(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

function formatDays(ms: number): string {
  const days = ms / DAY_MS;
  return `${Number.isInteger(days) ? days : days.toFixed(1)} day${days === 1 ? '' : 's'}`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}
