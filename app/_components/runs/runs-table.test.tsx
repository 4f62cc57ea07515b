/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import type { RunRowFragment, RunStatus } from '../../_gql/graphql.ts';
import { RunsTable } from './runs-table.tsx';

function row(id: string, status: RunStatus, queuedReason: string | null): RunRowFragment & { queuedReason: string | null } {
  return {
    id,
    status,
    trigger: 'MANUAL',
    createdAt: '2025-03-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    attempt: 1,
    workflow: { id: 'wf_1', name: 'nightly' },
    project: { id: 'prj_1', name: 'Billing' },
    queuedReason,
  };
}

function rowOf(runId: string): HTMLElement {
  const found = screen.getAllByRole('row').find((element) => element.dataset.runId === runId);
  if (!found) throw new Error(`no row for ${runId}`);
  return found;
}

describe('RunsTable', () => {
  it('says under a queued run why it waits', () => {
    render(<RunsTable caption="Runs" runs={[row('run_eu', 'QUEUED', 'no live worker has the labels region=eu')]} />);

    expect(within(rowOf('run_eu')).getByText('Waiting: no live worker has the labels region=eu')).toBeTruthy();
  });

  it('says nothing of a wait for a queued run without a reason, or a run that has started since its reason was read', () => {
    render(
      <RunsTable
        caption="Runs"
        runs={[row('run_turn', 'QUEUED', null), row('run_started', 'RUNNING', 'no live worker has the labels region=eu')]}
      />,
    );

    expect(within(rowOf('run_turn')).queryByText(/Waiting/)).toBeNull();
    expect(within(rowOf('run_started')).queryByText(/Waiting/)).toBeNull();
  });
});
