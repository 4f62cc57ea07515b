import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, schemaEnum } from '../_test/schema-enum.ts';
import { isActiveRunStatus, isRunStatus, RUN_STATUS_ORDER, RUN_STATUSES, STEP_STATUSES, type StatusLook } from './statuses.ts';

/** The hex colours of one `:root` block of the stylesheet, by variable name. */
function colours(block: string): Map<string, string> {
  return new Map([...block.matchAll(/(--[a-z-]+):\s*(#[0-9a-f]{6})\b/gi)].map((match) => [match[1] ?? '', (match[2] ?? '').toLowerCase()]));
}

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(one: string, other: string): number {
  const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

const css = readFileSync(path.join(ROOT, 'app', 'globals.css'), 'utf8');
const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
const SCHEMES = { light: colours(css.slice(0, darkAt)), dark: colours(css.slice(darkAt)) };

function variableOf(look: StatusLook): string {
  return /^var\((--[a-z-]+)\)$/.exec(look.color)?.[1] ?? look.color;
}

const runLooks = Object.entries(RUN_STATUSES);
const stepLooks = Object.entries(STEP_STATUSES);

describe('the status table', () => {
  it('has an entry for every RunStatus and StepStatus of the schema, and no others', () => {
    expect(Object.keys(RUN_STATUSES).sort()).toEqual(schemaEnum('RunStatus').sort());
    expect(Object.keys(STEP_STATUSES).sort()).toEqual(schemaEnum('StepStatus').sort());
  });

  it.each([...runLooks, ...stepLooks])('gives %s a label, a description and a colour defined in both colour schemes', (_status, look) => {
    expect(look.label.trim()).not.toBe('');
    expect(look.description.trim()).not.toBe('');
    expect(SCHEMES.light.get(variableOf(look))).toMatch(/^#/);
    expect(SCHEMES.dark.get(variableOf(look))).toMatch(/^#/);
  });

  it('gives every run status its own label', () => {
    const labels = runLooks.map(([, look]) => look.label);

    expect(new Set(labels).size).toBe(labels.length);
  });

  it.each(['light', 'dark'] as const)('gives every run status its own colour in the %s scheme, so pie slices can be told apart', (scheme) => {
    const colours = runLooks.map(([, look]) => SCHEMES[scheme].get(variableOf(look)));

    expect(new Set(colours).size).toBe(colours.length);
  });

  it.each(['light', 'dark'] as const)('draws every run status at 3:1 contrast or more against the card surface in the %s scheme', (scheme) => {
    const surface = SCHEMES[scheme].get('--color-surface') ?? '';
    const weak = runLooks.filter(([, look]) => contrast(SCHEMES[scheme].get(variableOf(look)) ?? surface, surface) < 3).map(([status]) => status);

    expect(weak).toEqual([]);
  });

  it('lists every run status exactly once in its display order, active ones first', () => {
    expect([...RUN_STATUS_ORDER].sort()).toEqual(schemaEnum('RunStatus').sort());
    expect(new Set(RUN_STATUS_ORDER).size).toBe(RUN_STATUS_ORDER.length);
    const firstFinished = RUN_STATUS_ORDER.findIndex((status) => !isActiveRunStatus(status));
    expect(RUN_STATUS_ORDER.slice(firstFinished).every((status) => !isActiveRunStatus(status))).toBe(true);
  });

  it('marks exactly the queued, running and waiting runs as still going', () => {
    expect(RUN_STATUS_ORDER.filter(isActiveRunStatus)).toEqual(['QUEUED', 'RUNNING', 'WAITING']);
  });

  it('recognises run status names and nothing else', () => {
    expect(RUN_STATUS_ORDER.every(isRunStatus)).toBe(true);
    expect(isRunStatus('SKIPPED')).toBe(false);
    expect(isRunStatus('failed')).toBe(false);
  });
});
