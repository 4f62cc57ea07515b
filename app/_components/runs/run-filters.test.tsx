/** @jest-environment jsdom */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import type { RunStatus } from '../../_gql/graphql.ts';
import { countsByStatus } from '../../_lib/chart-data.ts';
import { DEFAULT_VIEW, type RunsView } from '../../_lib/run-filters.ts';
import { RunFilters } from './run-filters.tsx';

const COUNTS = countsByStatus([
  { status: 'SUCCEEDED', count: 12_345 },
  { status: 'FAILED', count: 678 },
  { status: 'RUNNING', count: 9 },
]);

const PROJECTS = [
  { id: 'prj_a', name: 'Billing' },
  { id: 'prj_b', name: 'Search' },
];

/** The runs page's part: it keeps the view the filters report, as the URL would. */
function FiltersOnPage({ initial, counts, onChange }: { initial: RunsView; counts: Record<RunStatus, number> | null; onChange(view: RunsView): void }) {
  const [view, setView] = useState(initial);
  return (
    <RunFilters
      view={view}
      counts={counts}
      projects={PROJECTS}
      workflows={[]}
      onChange={(next) => {
        onChange(next);
        setView(next);
      }}
    />
  );
}

function show(initial: RunsView = DEFAULT_VIEW, counts: Record<RunStatus, number> | null = COUNTS): { reported: RunsView[] } {
  const reported: RunsView[] = [];
  render(<FiltersOnPage initial={initial} counts={counts} onChange={(view) => reported.push(view)} />);
  return { reported };
}

function statusChip(label: string): HTMLElement {
  return within(screen.getByRole('group', { name: 'Status' })).getByRole('button', { name: new RegExp(`^${label}`) });
}

describe('RunFilters', () => {
  it('reports a view with both statuses and no paging cursor after two status chips are clicked on a later page', () => {
    const { reported } = show({ ...DEFAULT_VIEW, after: 'cursor-page-3' });

    fireEvent.click(statusChip('Failed'));
    fireEvent.click(statusChip('Running'));

    const last = reported.at(-1);
    expect(reported).toHaveLength(2);
    expect([...(last?.statuses ?? [])].sort()).toEqual(['FAILED', 'RUNNING']);
    expect(last?.after).toBeNull();
    expect(last?.before).toBeNull();
  });

  it('shows the chosen statuses as pressed and the others as not pressed', () => {
    show({ ...DEFAULT_VIEW, statuses: ['FAILED', 'ABORTED'] });

    expect(statusChip('Failed').getAttribute('aria-pressed')).toBe('true');
    expect(statusChip('Aborted').getAttribute('aria-pressed')).toBe('true');
    expect(statusChip('Succeeded').getAttribute('aria-pressed')).toBe('false');
    expect(statusChip('Queued').getAttribute('aria-pressed')).toBe('false');
  });

  it('unpresses a chip that is clicked again', () => {
    const { reported } = show({ ...DEFAULT_VIEW, statuses: ['FAILED'] });

    fireEvent.click(statusChip('Failed'));

    expect(reported.at(-1)?.statuses).toEqual([]);
    expect(statusChip('Failed').getAttribute('aria-pressed')).toBe('false');
  });

  it('shows each status count beside its chip, zeros included', () => {
    show();

    expect(within(statusChip('Succeeded')).getByText('12,345')).toBeTruthy();
    expect(within(statusChip('Failed')).getByText('678')).toBeTruthy();
    expect(within(statusChip('Running')).getByText('9')).toBeTruthy();
    expect(within(statusChip('Rejected')).getByText('0')).toBeTruthy();
  });

  it('shows an ellipsis instead of counts while they load', () => {
    show(DEFAULT_VIEW, null);

    expect(within(statusChip('Failed')).getByText('…')).toBeTruthy();
  });

  it('offers "Any status" only while statuses are chosen, and it clears them', () => {
    const { reported } = show();
    expect(screen.queryByRole('button', { name: 'Any status' })).toBeNull();

    fireEvent.click(statusChip('Failed'));
    fireEvent.click(screen.getByRole('button', { name: 'Any status' }));

    expect(reported.at(-1)?.statuses).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Any status' })).toBeNull();
  });

  it('reports a time preset and presses it, leaving the first page', () => {
    const { reported } = show({ ...DEFAULT_VIEW, before: 'cursor-newer' });
    const range = screen.getByRole('group', { name: 'Time range' });

    fireEvent.click(within(range).getByRole('button', { name: '24h' }));

    expect(reported.at(-1)).toMatchObject({ range: '24h', before: null, after: null });
    expect(within(range).getByRole('button', { name: '24h' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(range).getByRole('button', { name: 'Any time' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('shows from and until fields only for a custom range', () => {
    show();
    expect(screen.queryByLabelText('From')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Custom' }));

    expect(screen.getByLabelText('From')).toBeTruthy();
    expect(screen.getByLabelText('Until')).toBeTruthy();
  });

  it('reports the search when it is submitted, not on every keystroke', () => {
    const { reported } = show({ ...DEFAULT_VIEW, after: 'cursor-page-2' });
    const search = screen.getByRole('searchbox', { name: 'Search' });

    fireEvent.change(search, { target: { value: 'nightly' } });
    expect(reported).toHaveLength(0);
    fireEvent.submit(screen.getByRole('search'));

    expect(reported.at(-1)).toMatchObject({ search: 'nightly', after: null });
  });

  it('forgets the workflow when another project is picked', () => {
    const { reported } = show({ ...DEFAULT_VIEW, projectId: 'prj_a', workflowId: 'wf_1' });

    fireEvent.change(screen.getByRole('combobox', { name: 'Project' }), { target: { value: 'prj_b' } });

    expect(reported.at(-1)).toMatchObject({ projectId: 'prj_b', workflowId: null });
  });

  it('reports trigger chips like status chips', () => {
    const { reported } = show();
    const triggers = screen.getByRole('group', { name: 'Trigger' });

    fireEvent.click(within(triggers).getByRole('button', { name: 'Schedule' }));
    fireEvent.click(within(triggers).getByRole('button', { name: 'API' }));

    expect([...(reported.at(-1)?.triggers ?? [])].sort()).toEqual(['API', 'SCHEDULER']);
    expect(within(triggers).getByRole('button', { name: 'API' }).getAttribute('aria-pressed')).toBe('true');
  });
});
