import { keyValueRows } from './key-values.ts';

describe('keyValueRows', () => {
  it('lists each named value in order, showing a value that is not text as its JSON', () => {
    expect(keyValueRows({ REGION: 'eu', LIMIT: 10, FLAGS: { dry: true } })).toEqual([
      { name: 'REGION', value: 'eu' },
      { name: 'LIMIT', value: '10' },
      { name: 'FLAGS', value: '{"dry":true}' },
    ]);
  });

  it.each([[null], ['text'], [['a', 'b']], [42]])('answers null for %j, which holds no named values', (value) => {
    expect(keyValueRows(value)).toBeNull();
  });
});
