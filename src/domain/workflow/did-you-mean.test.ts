import { closestMatch, didYouMean, editDistance } from './did-you-mean.ts';

describe('editDistance', () => {
  it.each([
    ['equal words are 0 apart', 'command', 'command', 0],
    ['case does not count', 'Command', 'command', 0],
    ['a missing letter is 1 edit', 'comand', 'command', 1],
    ['two swapped neighbours are 1 edit', 'biuld', 'build', 1],
    ['a changed letter is 1 edit', 'skip', 'skid', 1],
    ['an empty word is as far as the other is long', '', 'abc', 3],
  ])('%s', (_sentence, a, b, expected) => {
    const distance = editDistance(a, b);

    expect(distance).toBe(expected);
  });
});

describe('closestMatch', () => {
  it.each([
    ['the closest candidate wins', 'tset', ['test', 'tests', 'build'], 'test'],
    ['on a tie the first candidate wins', 'ab', ['a', 'b'], 'a'],
    ['nothing within two edits gives null', 'deploy', ['build', 'test'], null],
  ])('%s', (_sentence, word, candidates, expected) => {
    const match = closestMatch(word, candidates);

    expect(match).toBe(expected);
  });

  it('didYouMean writes the suggestion as the end of a message', () => {
    const suffix = didYouMean('stpes', ['name', 'steps']);

    expect(suffix).toBe('; did you mean "steps"?');
  });
});
