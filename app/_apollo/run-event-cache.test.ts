import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { RUN_HISTORY } from '../_components/run/run-history.tsx';
import { RUN_STEPS } from '../_components/run/step-timeline.tsx';
import { LIVE_RUN, type LiveRunEvent } from './live.ts';
import { writeRunEvent } from './run-event-cache.ts';

const RUN_ID = 'run_20250310120000_a1';
const STEP_ID = 'step_1';

// As the server sends them: with __typename, which the cache needs to normalize nested objects.
const workflow = { __typename: 'Workflow', id: 'wf_1', name: 'nightly' };
const project = { __typename: 'Project', id: 'prj_1', name: 'Core' };
const runningRun = {
  __typename: 'Run',
  id: RUN_ID,
  status: 'RUNNING' as const,
  trigger: 'MANUAL' as const,
  createdAt: '2025-03-10T12:00:00.000Z',
  startedAt: '2025-03-10T12:00:01.000Z',
  finishedAt: null,
  durationMs: null,
  attempt: 1,
  error: null,
  workflow,
  project,
};
const buildStep = { __typename: 'StepRun', id: STEP_ID, name: 'build', status: 'RUNNING' as const, startedAt: '2025-03-10T12:00:01.000Z', finishedAt: null, exitCode: null, error: null, attempt: 1 };
const startedEvent = { __typename: 'RunEvent', seq: '7', at: '2025-03-10T12:00:01.000Z', kind: 'RUN' as const, from: 'QUEUED', to: 'RUNNING', message: null, actor: null, step: null };

/** A client whose every request fails the test: what it shows must come from the cache alone. */
function offlineClient(): { client: ApolloClient; requests: () => number } {
  let requests = 0;
  const link = new ApolloLink(() => {
    requests += 1;
    throw new Error('The cache update sent a request');
  });
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), requests: () => requests };
}

/** The run page's data in the cache: the run, its steps and its history. */
function loadRunPage(client: ApolloClient): string | undefined {
  const id = client.cache.identify({ __typename: 'Run', id: RUN_ID });
  client.cache.writeFragment({ id, fragment: LIVE_RUN, fragmentName: 'LiveRun', data: runningRun });
  client.cache.writeFragment({ id, fragment: RUN_STEPS, fragmentName: 'RunSteps', data: { steps: [buildStep] } });
  client.cache.writeFragment({ id, fragment: RUN_HISTORY, fragmentName: 'RunHistory', data: { events: [startedEvent] } });
  return id;
}

function runFinished(): LiveRunEvent {
  const run = { ...runningRun, status: 'FAILED' as const, finishedAt: '2025-03-10T12:00:31.000Z', durationMs: 30_000, error: 'step build failed' };
  return { ...startedEvent, seq: '9', at: '2025-03-10T12:00:31.000Z', from: 'RUNNING', to: 'FAILED', run, step: null };
}

function stepFinished(stepId: string): LiveRunEvent {
  const step = { ...buildStep, id: stepId, status: 'FAILED' as const, finishedAt: '2025-03-10T12:00:30.000Z', exitCode: 2 };
  return { ...startedEvent, seq: '8', at: '2025-03-10T12:00:30.000Z', kind: 'STEP', from: 'RUNNING', to: 'FAILED', run: runningRun, step };
}

describe('writeRunEvent', () => {
  it('changes the run status, its fields and its history in the cache without a network request', () => {
    const { client, requests } = offlineClient();
    const id = loadRunPage(client);

    const written = writeRunEvent(client.cache, runFinished());

    expect(written).toBe(true);
    expect(client.cache.readFragment({ id, fragment: LIVE_RUN, fragmentName: 'LiveRun' })).toMatchObject({ status: 'FAILED', durationMs: 30_000, error: 'step build failed' });
    expect(client.cache.readFragment({ id, fragment: RUN_HISTORY, fragmentName: 'RunHistory' })?.events.map((event) => `${event.seq}:${event.to}`)).toEqual(['7:RUNNING', '9:FAILED']);
    expect(requests()).toBe(0);
  });

  it('updates a listed step in place', () => {
    const { client } = offlineClient();
    const id = loadRunPage(client);

    const written = writeRunEvent(client.cache, stepFinished(STEP_ID));

    expect(written).toBe(true);
    expect(client.cache.readFragment({ id, fragment: RUN_STEPS, fragmentName: 'RunSteps' })?.steps).toEqual([expect.objectContaining({ id: STEP_ID, status: 'FAILED', exitCode: 2 })]);
  });

  it('adds an event to the history once, however often it arrives', () => {
    const { client } = offlineClient();
    const id = loadRunPage(client);

    writeRunEvent(client.cache, runFinished());
    writeRunEvent(client.cache, runFinished());

    expect(client.cache.readFragment({ id, fragment: RUN_HISTORY, fragmentName: 'RunHistory' })?.events).toHaveLength(2);
  });

  it('asks for a refetch when the event names a step the cached run does not list', () => {
    const { client } = offlineClient();
    loadRunPage(client);

    expect(writeRunEvent(client.cache, stepFinished('step_new'))).toBe(false);
  });

  it('writes the run where neither its steps nor its history are loaded, as on a list', () => {
    const { client } = offlineClient();
    const id = client.cache.identify({ __typename: 'Run', id: RUN_ID });
    client.cache.writeFragment({ id, fragment: LIVE_RUN, fragmentName: 'LiveRun', data: runningRun });

    expect(writeRunEvent(client.cache, stepFinished(STEP_ID))).toBe(true);
    expect(writeRunEvent(client.cache, runFinished())).toBe(true);
    expect(client.cache.readFragment({ id, fragment: LIVE_RUN, fragmentName: 'LiveRun' })?.status).toBe('FAILED');
  });
});
