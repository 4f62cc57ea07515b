import { progressBar, type ProgressStream } from './progress-bar.ts';

function terminal(isTTY: boolean): ProgressStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, columns: 200, written, write: (text) => written.push(text) > 0 };
}

describe('the progress bar', () => {
  it('draws nothing when stderr is no terminal (a log file, CI)', () => {
    expect(progressBar('seed', 10, terminal(false))).toBeNull();
  });

  it('redraws one line in place at most every 100 ms, and ends it with the final count', () => {
    const stream = terminal(true);
    let now = 0;
    const bar = progressBar('seed', 200, stream, () => now);

    bar?.update(50);
    now = 50;
    bar?.update(60);
    now = 1_000;
    bar?.update(100);
    bar?.stop();

    expect(stream.written).toHaveLength(4);
    expect(stream.written[0]).toMatch(/^\r.*seed \[█{8}░{22}\] 25% 50\/200\x1b\[K$/);
    expect(stream.written[1]).toBe('\rseed [███████████████░░░░░░░░░░░░░░░] 50% 100/200 100/s\x1b[K');
    expect(stream.written[2]).toBe(stream.written[1]);
    expect(stream.written[3]).toBe('\n');
  });
});
