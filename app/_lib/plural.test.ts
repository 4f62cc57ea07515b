import { countOf } from './plural.ts';

describe('countOf', () => {
  it.each([
    [0, '0 runs'],
    [1, '1 run'],
    [2, '2 runs'],
    [12_345, '12,345 runs'],
  ])('writes %d as "%s"', (count, text) => {
    expect(countOf(count, 'run', 'runs')).toBe(text);
  });

  it('takes an irregular plural as given', () => {
    expect(countOf(1, 'anomaly', 'anomalies')).toBe('1 anomaly');
    expect(countOf(3, 'anomaly', 'anomalies')).toBe('3 anomalies');
  });
});
