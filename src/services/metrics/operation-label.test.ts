import { OperationLabels } from './operation-label.ts';

describe('OperationLabels', () => {
  it.each([
    ['no name', undefined, '(anonymous)'],
    ['an empty name', '', '(anonymous)'],
    ['a GraphQL name', 'RunsPage', 'RunsPage'],
    ['a name no document could hold', 'drop table; --', '(other)'],
    ['a name longer than 64 characters', `A${'a'.repeat(64)}`, '(other)'],
  ])('labels %s as %s', (_sentence, name, label) => {
    expect(new OperationLabels(10).labelOf(name, true)).toBe(label);
  });

  it('keeps the first names of successful operations and counts the rest as (other)', () => {
    const labels = new OperationLabels(2);

    const first = ['A', 'B', 'C', 'A'].map((name) => labels.labelOf(name, true));

    expect(first).toEqual(['A', 'B', '(other)', 'A']);
  });

  it('gives no place to the name of a failed operation, yet labels a known name that fails', () => {
    const labels = new OperationLabels(2);
    labels.labelOf('Known', true);

    const failed = [labels.labelOf('Hostile1', false), labels.labelOf('Known', false), labels.labelOf('Later', true)];

    expect(failed).toEqual(['(other)', 'Known', 'Later']);
  });
});
