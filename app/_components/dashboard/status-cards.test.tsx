/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import type { RunStatus } from '../../_gql/graphql.ts';
import { RUN_STATUS_ORDER } from '../../_lib/statuses.ts';
import { StatusCards } from './status-cards.tsx';

const linkFor = (status: RunStatus) => `/runs?status=${status}&range=24h`;

function cards(): HTMLElement {
  return screen.getByRole('list', { name: 'Runs per status in this period' });
}

function card(label: string): HTMLElement {
  return within(cards()).getByRole('link', { name: new RegExp(`^${label}`) });
}

describe('StatusCards', () => {
  it('shows the total and every status count, zeros included', () => {
    render(
      <StatusCards
        counts={{
          total: 1_234_567,
          byStatus: [
            { status: 'SUCCEEDED', count: 1_200_000 },
            { status: 'FAILED', count: 34_567 },
          ],
        }}
        linkFor={linkFor}
      />,
    );

    const total = within(cards()).getByText('All runs').closest('li');
    expect(total && within(total).getByText('1,234,567')).toBeTruthy();
    expect(within(card('Succeeded')).getByText('1,200,000')).toBeTruthy();
    expect(within(card('Failed')).getByText('34,567')).toBeTruthy();
    expect(within(card('Waiting')).getByText('0')).toBeTruthy();
  });

  it('has one card per status, in the status table order, each leading to those runs', () => {
    render(<StatusCards counts={{ total: 0, byStatus: [] }} linkFor={linkFor} />);

    const links = within(cards()).getAllByRole('link');
    expect(links.map((link) => link.closest('[data-status]')?.getAttribute('data-status'))).toEqual(RUN_STATUS_ORDER);
    expect(links.map((link) => link.getAttribute('href'))).toEqual(RUN_STATUS_ORDER.map(linkFor));
  });

  it('marks the cards busy and shows no numbers while the counts load', () => {
    render(<StatusCards counts={null} linkFor={linkFor} />);

    expect(cards().getAttribute('aria-busy')).toBe('true');
    expect(within(cards()).queryByText(/\d/)).toBeNull();
    expect(within(card('Running')).getByText('…')).toBeTruthy();
  });
});
