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

describe('graphs deeper than the call stack', () => {
  const chain = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `s${index}`, depends: index === 0 ? [] : [`s${index - 1}`] }));

  it('finds no cycle in a chain of 100,000 steps', () => {
    expect(findCycle(chain(100_000))).toBeNull();
  });

  it('finds the cycle that closes a chain of 100,000 steps, every step of it', () => {
    const steps = chain(100_000);
    steps[0] = { name: 's0', depends: ['s99999'] };

    const cycle = findCycle(steps);

    expect(cycle?.length).toBe(100_001);
    expect(cycle?.slice(0, 3)).toEqual(['s0', 's1', 's2']);
    expect(cycle?.slice(-2)).toEqual(['s99999', 's0']);
  });

  it('orders a chain of 100,000 steps written backwards', () => {
    const order = topologicalOrder(chain(100_000).reverse());

    expect(order.slice(0, 2)).toEqual(['s0', 's1']);
    expect(order[99_999]).toBe('s99999');
  });
});
