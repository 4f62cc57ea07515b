import { deliver, follow, resumeAfter, startAt, type StreamPosition } from './stream-position.ts';

/** Delivers each seq in turn, as the subscription would, and returns those that reached the page. */
function receive(position: StreamPosition, seqs: string[]): { position: StreamPosition; delivered: string[] } {
  const delivered: string[] = [];
  let current = position;
  for (const seq of seqs) {
    const next = deliver(current, seq);
    if (next === null) continue;
    current = next;
    delivered.push(seq);
  }
  return { position: current, delivered };
}

describe('a stream of run events', () => {
  it('starts after the snapshot the page shows and drops what the snapshot already holds', () => {
    const { delivered } = receive(startAt('10'), ['9', '10', '11', '12']);

    expect(delivered).toEqual(['11', '12']);
  });

  it('resumes after the last seq it delivered when the tab is shown again, so the replay neither misses nor repeats an event', () => {
    const beforeHiding = receive(startAt('10'), ['11', '12']);

    const from = resumeAfter(beforeHiding.position);
    const afterShowing = receive(beforeHiding.position, ['12', '13', '14']);

    expect(from).toBe('12');
    expect(afterShowing.delivered).toEqual(['13', '14']);
  });

  it('resumes at its snapshot when nothing arrived before the tab was hidden', () => {
    expect(resumeAfter(startAt('10'))).toBe('10');
  });

  it('cannot resume a stream that started from the moment it opened and delivered nothing yet', () => {
    expect(resumeAfter(startAt(null))).toBeNull();
    expect(resumeAfter(receive(startAt(null), ['5']).position)).toBe('5');
  });

  it('compares seqs as numbers, not as text', () => {
    const { delivered } = receive(startAt('9'), ['10', '100', '99']);

    expect(delivered).toEqual(['10', '100']);
  });
});

describe('follow', () => {
  it('keeps the stream when the page now shows an event the stream already delivered', () => {
    const { position } = receive(startAt('10'), ['11', '12']);

    const followed = follow(position, '12');

    expect(followed.restart).toBe(false);
    expect(resumeAfter(followed.position)).toBe('12');
  });

  it('starts the stream over from a newer snapshot, as after a refetch', () => {
    const { position } = receive(startAt('10'), ['11']);

    const followed = follow(position, '40');

    expect(followed.restart).toBe(true);
    expect(receive(followed.position, ['39', '40', '41']).delivered).toEqual(['41']);
  });

  it('changes nothing when the snapshot is the same', () => {
    const position = startAt('10');

    expect(follow(position, '10')).toEqual({ position, restart: false });
  });
});
