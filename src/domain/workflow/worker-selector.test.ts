import { formatLabels, matchesSelector } from './worker-selector.ts';

describe('matchesSelector', () => {
  it.each([
    ['an empty selector matches an executor without labels', {}, {}, true],
    ['an empty selector matches any executor', { region: 'eu' }, {}, true],
    ['the same label matches', { region: 'eu' }, { region: 'eu' }, true],
    ['extra labels of the executor do not matter', { region: 'eu', gpu: 'yes' }, { region: 'eu' }, true],
    ['every pair of the selector must match', { region: 'eu', gpu: 'yes' }, { region: 'eu', gpu: 'yes' }, true],
    ['another value does not match', { region: 'us' }, { region: 'eu' }, false],
    ['a missing label does not match', { gpu: 'yes' }, { region: 'eu' }, false],
    ['one missing pair of several does not match', { region: 'eu' }, { region: 'eu', gpu: 'yes' }, false],
    ['values compare exactly, case included', { region: 'EU' }, { region: 'eu' }, false],
    ['names compare exactly, case included', { Region: 'eu' }, { region: 'eu' }, false],
    ['a name inherited by every object is not a label', {}, { constructor: 'x' }, false],
  ])('%s', (_sentence, labels: Record<string, string>, selector: Record<string, string>, expected) => {
    const matches = matchesSelector(labels, selector);

    expect(matches).toBe(expected);
  });
});

describe('formatLabels', () => {
  it('writes name=value pairs in the order written', () => {
    const text = formatLabels({ region: 'eu', gpu: 'yes' });

    expect(text).toBe('region=eu, gpu=yes');
  });
});
