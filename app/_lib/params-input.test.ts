import { changedParams, parseParamLines } from './params-input.ts';

describe('parseParamLines', () => {
  it('reads NAME=VALUE lines, trimming both sides', () => {
    expect(parseParamLines('REGION = eu-west-1\nDRY_RUN=true')).toEqual({ ok: true, params: { REGION: 'eu-west-1', DRY_RUN: 'true' } });
  });

  it('skips blank lines and # comments', () => {
    expect(parseParamLines('\n# the target\nTARGET=prod\n   \n')).toEqual({ ok: true, params: { TARGET: 'prod' } });
  });

  it('keeps everything after the first = as the value, and allows an empty value', () => {
    expect(parseParamLines('QUERY=a=b&c=d\nEMPTY=')).toEqual({ ok: true, params: { QUERY: 'a=b&c=d', EMPTY: '' } });
  });

  it('lets a later line override an earlier one with the same name', () => {
    expect(parseParamLines('MODE=fast\nMODE=safe')).toEqual({ ok: true, params: { MODE: 'safe' } });
  });

  it('reads Windows line endings like Unix ones', () => {
    expect(parseParamLines('A=1\r\nB=2\r\n')).toEqual({ ok: true, params: { A: '1', B: '2' } });
  });

  it.each([
    ['a line without =', 'A=1\njust words', 'Line 2: "just words" is not NAME=VALUE'],
    ['a line with no name', '=value', 'Line 1: "=value" is not NAME=VALUE'],
  ])('names the offending line for %s', (_case, text, message) => {
    expect(parseParamLines(text)).toEqual({ ok: false, message });
  });

  it('gives no params for empty input', () => {
    expect(parseParamLines('')).toEqual({ ok: true, params: {} });
  });
});

describe('changedParams', () => {
  const declared = [
    { name: 'REGION', default: 'eu' },
    { name: 'DAY', default: '`date +%F`' },
    { name: 'TARGET', default: null },
  ];

  it('sends only the params whose field differs from the default, so the server expands the defaults left alone', () => {
    expect(changedParams(declared, { REGION: 'us', DAY: '`date +%F`', TARGET: '' })).toEqual({ REGION: 'us' });
  });

  it('sends a param without default once something is typed, and an emptied default as empty', () => {
    expect(changedParams(declared, { REGION: '', DAY: '`date +%F`', TARGET: 'prod' })).toEqual({ REGION: '', TARGET: 'prod' });
  });
});
