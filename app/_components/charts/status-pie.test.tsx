/** @jest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import type { StatusCountLike } from '../../_lib/chart-data.ts';
import { StatusPie } from './status-pie.tsx';

// The legend list carries the same numbers for everyone; most tests read it.
function legendItems(): { label: string; count: string; share: string }[] {
  const legend = screen.getByRole('list', { name: 'Runs by status' });
  return within(legend)
    .getAllByRole('listitem')
    .map((item) => ({
      label: item.querySelector('.status-pie__label')?.textContent ?? '',
      count: item.querySelector('.status-pie__count')?.textContent ?? '',
      share: item.querySelector('.status-pie__share')?.textContent ?? '',
    }));
}

describe('StatusPie', () => {
  it('lists each status with runs, its count and share, in the status table order', () => {
    const byStatus: StatusCountLike[] = [
      { status: 'FAILED', count: 250 },
      { status: 'SUCCEEDED', count: 1_500 },
      { status: 'RUNNING', count: 250 },
    ];

    render(<StatusPie byStatus={byStatus} total={2_000} />);

    expect(legendItems()).toEqual([
      { label: 'Running', count: '250', share: '13%' },
      { label: 'Succeeded', count: '1,500', share: '75%' },
      { label: 'Failed', count: '250', share: '13%' },
    ]);
  });

  it('leaves statuses without runs out of the legend', () => {
    render(
      <StatusPie
        byStatus={[
          { status: 'ABORTED', count: 0 },
          { status: 'QUEUED', count: 3 },
        ]}
        total={3}
      />,
    );

    expect(legendItems().map((item) => item.label)).toEqual(['Queued']);
  });

  it('says there are no runs instead of drawing an empty chart', () => {
    render(<StatusPie byStatus={[{ status: 'FAILED', count: 0 }]} total={0} />);

    expect(screen.getByText('No runs in this period.')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Runs by status' })).toBeNull();
  });

  it('hides the drawing from screen readers, which read the legend instead', () => {
    const { container } = render(<StatusPie byStatus={[{ status: 'SUCCEEDED', count: 1 }]} total={1} />);

    expect(container.querySelector('.status-pie__chart')?.getAttribute('aria-hidden')).toBe('true');
  });

  it('draws one slice per status, as long as its share, together closing the ring', () => {
    const { container } = render(
      <StatusPie
        byStatus={[
          { status: 'SUCCEEDED', count: 3 },
          { status: 'FAILED', count: 1 },
        ]}
        total={4}
      />,
    );

    const slices = Array.from(container.querySelectorAll('circle.status-pie__slice'), (slice) => ({
      status: slice.getAttribute('data-status'),
      share: Number(slice.getAttribute('stroke-dasharray')?.split(' ')[0]) / (2 * Math.PI * Number(slice.getAttribute('r'))),
    }));
    expect(slices.map((slice) => slice.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(slices.map((slice) => slice.share.toFixed(3))).toEqual(['0.750', '0.250']);
  });

  it('draws a single status as one whole ring, with no seam', () => {
    const { container } = render(<StatusPie byStatus={[{ status: 'SUCCEEDED', count: 7 }]} total={7} />);

    const [ring, ...others] = Array.from(container.querySelectorAll('circle.status-pie__slice'));
    const [length, gap] = (ring?.getAttribute('stroke-dasharray') ?? '').split(' ').map(Number);
    expect(others).toEqual([]);
    expect(length).toBeCloseTo(2 * Math.PI * Number(ring?.getAttribute('r')));
    expect(gap).toBeCloseTo(0);
  });
});
