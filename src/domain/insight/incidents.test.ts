import { IncidentDetector, poissonBinomialUpperTail, poissonUpperTail, rankAttributes, type IncidentRun } from './incidents.ts';

const MINUTE = 60_000;
const START = Date.UTC(2026, 11, 1);
let next = 0;
const run = (workflowId: string, projectId: string, at: number, failed: boolean, error: string | null = null, failedStep: string | null = null): IncidentRun => ({
  runId: `run-${(next += 1)}`,
  projectId,
  workflowId,
  at,
  failed,
  error,
  failedStep,
  trigger: 'SCHEDULER',
  worker: null,
  tags: [],
});

describe('IncidentDetector', () => {
  it('opens an incident when several workflows of two projects fail again and again together, ranks their shared error first, and closes it after a quiet spell', () => {
    const detector = new IncidentDetector();
    const workflows = ['a1', 'a2', 'b1', 'b2', 'c1'].map((id) => ({ id, project: id.slice(0, 1) }));
    // A day of ordinary runs: each workflow every 10 minutes, a rare failure of its own.
    for (let at = START; at < START + 24 * 60 * MINUTE; at += 10 * MINUTE) {
      for (const [index, workflow] of workflows.entries()) expect(detector.observe(run(workflow.id, workflow.project, at + index, (at / MINUTE + index) % 97 === 0, 'exit status 1', 'test'))).toBeNull();
    }
    const outage = START + 24 * 60 * MINUTE;
    const raised = [];
    for (const round of [0, 10]) {
      for (const [index, workflow] of workflows.slice(0, 4).entries()) {
        const found = detector.observe(run(workflow.id, workflow.project, outage + (round + index) * MINUTE, true, 'connection refused: db-main.internal:<n>', 'connect'));
        if (found) raised.push(found);
      }
    }
    // Opened when a third workflow failed a second time; the fourth joined when it did.
    expect(raised).toHaveLength(1);
    expect(raised[0]?.members.map((member) => member.workflowId)).toEqual(['a1', 'a2', 'b1', 'a1', 'a2', 'b1']);
    expect(detector.current?.attributes[0]).toMatchObject({ kind: 'ERROR', value: 'connection refused: db-main.internal:<n>', members: 8 });
    const closed = detector.observe(run('c1', 'c', outage + 45 * MINUTE, false));
    expect(closed).toMatchObject({ end: outage + 13 * MINUTE });
    expect(detector.current).toBeNull();
  });

  it('opens nothing for failures of many workflows of one project, nor for workflows that each fail once', () => {
    const detector = new IncidentDetector();
    for (let at = START; at < START + 24 * 60 * MINUTE; at += 10 * MINUTE) detector.observe(run('x', 'p', at, false));
    const later = START + 24 * 60 * MINUTE;
    const oneProject = ['w1', 'w2', 'w3', 'w4'].flatMap((workflowId, index) => [0, 5].map((offset) => detector.observe(run(workflowId, 'p', later + index + offset * MINUTE, true, 'boom'))));
    const once = ['x1', 'y1', 'z1', 'v1'].map((workflowId, index) => detector.observe(run(workflowId, workflowId, later + 20 * MINUTE + index, true, 'bang')));
    expect([...oneProject, ...once].every((incident) => incident === null)).toBe(true);
  });
});

describe('rankAttributes', () => {
  it('puts what the members share and the other runs do not before what every run has', () => {
    const members = [run('a', 'p', 0, true, 'disk full', 'load'), run('b', 'q', 0, true, 'disk full', 'load'), run('c', 'q', 0, true, 'disk full', 'extract')];
    const others = Array.from({ length: 20 }, (_, index) => run(`o${index}`, 'p', 0, false));
    const ranked = rankAttributes(members, others, 10);
    expect(ranked.map(({ kind, value }) => `${kind}:${value}`)).toEqual(['ERROR:disk full', 'STEP:load', 'TRIGGER:SCHEDULER']);
    expect(ranked[2]?.lift).toBeCloseTo(1 / (21 / 22));
  });
});

describe('poissonUpperTail', () => {
  it('is the chance of at least k events', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2));
    expect(poissonUpperTail(5, 0.5)).toBeLessThan(0.001);
  });
});

describe('poissonBinomialUpperTail', () => {
  it('is the chance that at least k of independent events of their own chances happen', () => {
    expect(poissonBinomialUpperTail(1, [0.5, 0.5])).toBeCloseTo(0.75);
    expect(poissonBinomialUpperTail(2, [0.5, 0.5])).toBeCloseTo(0.25);
    // One likely event does not make three unlikely ones likely.
    expect(poissonBinomialUpperTail(3, [0.9, 0.01, 0.01, 0.01])).toBeLessThan(0.001);
  });
});
