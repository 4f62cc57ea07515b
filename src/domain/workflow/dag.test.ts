import { downstreamOf, findCycle, topologicalOrder } from './dag.ts';

type Steps = { name: string; depends: string[] }[];

/** `'b<a c<a,b'` → steps b (depends a) and c (depends a, b); a bare name has no dependencies. */
function steps(shorthand: string): Steps {
  return shorthand.split(' ').map((part) => {
    const [name = '', depends = ''] = part.split('<');
    return { name, depends: depends ? depends.split(',') : [] };
  });
}

describe('findCycle', () => {
  it.each([
    ['a chain has no cycle', 'a b<a c<b', null],
    ['a diamond has no cycle', 'a b<a c<a d<b,c', null],
    ['a step depending on itself is a cycle of one', 'a<a', ['a', 'a']],
    ['a cycle is given in run order and closed by its first step', 'a<c b<a c<b', ['a', 'b', 'c', 'a']],
    ['a cycle starts at its step that comes first in the file', 'x c<b b<a a<c', ['c', 'a', 'b', 'c']],
    ['steps outside the cycle are left out', 'start a<start,c b<a c<b end<c', ['a', 'b', 'c', 'a']],
    ['dependencies on unknown steps are ignored', 'a<ghost b<a', null],
  ])('%s', (_sentence, shorthand, expected) => {
    const cycle = findCycle(steps(shorthand));

    expect(cycle).toEqual(expected);
  });
});

describe('topologicalOrder', () => {
  it.each([
    ['a chain runs in file order', 'a b<a c<b', ['a', 'b', 'c']],
    ['a step waits for a dependency written after it', 'b<c a c', ['a', 'c', 'b']],
    ['ready steps keep file order', 'd<b,c b<a c<a a', ['a', 'b', 'c', 'd']],
    ['steps without dependencies come in file order', 'z y x', ['z', 'y', 'x']],
    ['dependencies outside the given steps count as met', 'test<build deploy<test', ['test', 'deploy']],
  ])('%s', (_sentence, shorthand, expected) => {
    const order = topologicalOrder(steps(shorthand));

    expect(order).toEqual(expected);
  });

  it('throws on a cycle, naming it', () => {
    const cyclic = steps('a<b b<a');

    const order = () => topologicalOrder(cyclic);

    expect(order).toThrow('Steps have a dependency cycle: a → b → a');
  });

  it('throws on a step name given twice', () => {
    const twice = steps('a a');

    const order = () => topologicalOrder(twice);

    expect(order).toThrow('Step "a" appears twice');
  });
});

describe('downstreamOf', () => {
  it.each([
    ['a failed step brings everything after it', 'a b<a c<b d', ['b'], ['b', 'c']],
    ['a join below two branches is included once', 'a b<a c<a d<b,c', ['b'], ['b', 'd']],
    ['several starting steps are merged', 'a b<a c<a d<b,c e', ['b', 'c'], ['b', 'c', 'd']],
    ['the first step brings the whole graph', 'a b<a c<a d<b,c', ['a'], ['a', 'b', 'c', 'd']],
    ['a last step brings only itself', 'a b<a', ['b'], ['b']],
    ['no names give an empty set', 'a b<a', [], []],
  ])('%s', (_sentence, shorthand, names, expected) => {
    const downstream = downstreamOf(steps(shorthand), names);

    expect([...downstream].sort()).toEqual(expected);
  });
});
