import { toRunEventMessage, type RecordedRunEvent } from './run-event-message.ts';

const RUN = { trigger: 'API', createdAt: new Date('2026-11-30T10:00:00Z') };

function recorded(kind: string): RecordedRunEvent {
  return { seq: 42n, at: new Date('2026-11-30T10:00:01Z'), kind, runId: 'run_1', stepRunId: null, projectId: 'prj_1', workflowId: 'wf_1', from: 'QUEUED', to: 'RUNNING', message: null, actor: null };
}

describe('toRunEventMessage', () => {
  it.each(['RUN', 'STEP'])('carries a %s event with its seq and times as strings', (kind) => {
    expect(toRunEventMessage(recorded(kind), RUN)).toMatchObject({ seq: '42', kind, at: '2026-11-30T10:00:01.000Z', runCreatedAt: '2026-11-30T10:00:00.000Z' });
  });

  it('refuses an event kind it does not know instead of calling it a RUN event', () => {
    expect(() => toRunEventMessage(recorded('WORKFLOW'), RUN)).toThrow('Unknown event kind "WORKFLOW" in event 42 of run run_1');
  });
});
