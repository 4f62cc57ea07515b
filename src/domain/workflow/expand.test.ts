import { bindReferences, escapeRegExp, expandValue, expandVariables, readJsonPath } from './expand.ts';

const variables = new Map([
  ['VERSION', '1.4.0'],
  ['OUT', 'a b'],
  ['EMPTY', ''],
  ['REF', '${VERSION}'],
]);

describe('expandVariables', () => {
  it.each([
    ['a known name is replaced', 'deploy ${VERSION}', 'deploy 1.4.0'],
    ['every occurrence is replaced', '${VERSION}-${VERSION}', '1.4.0-1.4.0'],
    ['values go in as they are, spaces included', 'echo ${OUT}', 'echo a b'],
    ['an empty value replaces the reference', '[${EMPTY}]', '[]'],
    ['an unknown name is left for the shell', 'cd ${HOME}/${VERSION}', 'cd ${HOME}/1.4.0'],
    ['$NAME without braces is the shell\'s', 'echo $VERSION', 'echo $VERSION'],
    ['a backslash keeps the reference for the shell to print literally', 'echo \\${VERSION}', 'echo \\${VERSION}'],
    ['two backslashes are an escaped backslash, so the reference expands', 'echo \\\\${VERSION}', 'echo \\\\1.4.0'],
    ['$$ keeps its shell meaning', 'echo $$ $${VERSION}', 'echo $$ $1.4.0'],
    ['a value is not expanded again', 'echo ${REF}', 'echo ${VERSION}'],
    ['shell forms that are not plain names are untouched', 'echo ${VERSION:-x} ${1} ${#VERSION}', 'echo ${VERSION:-x} ${1} ${#VERSION}'],
    ['text without references is unchanged', 'make test', 'make test'],
  ])('%s', (_sentence, text, expected) => {
    const expanded = expandVariables(text, variables);

    expect(expanded).toBe(expected);
  });
});

describe('expandVariables with an encoding', () => {
  it('escapes values for a regular expression, so they match only themselves', () => {
    const pattern = expandVariables('^${VALUE}$', new Map([['VALUE', 'a.b*(c)']]), escapeRegExp);

    expect(new RegExp(pattern).test('a.b*(c)')).toBe(true);
    expect(new RegExp(pattern).test('aXbbb(c)')).toBe(false);
  });
});

describe("Dagu's expansion of values", () => {
  const variables = new Map([
    ['BASE', '/srv'],
    ['CONFIG', '{"db":{"host":"h","port":5432},"items":["a","b"]}'],
  ]);
  const lookup = (name: string, fieldPath: readonly string[]) => {
    const value = variables.get(name);
    return value === undefined || fieldPath.length === 0 ? value : readJsonPath(value, fieldPath);
  };

  it.each([
    ['${VAR}', '${BASE}/logs', '/srv/logs'],
    ['$VAR', '$BASE/cache', '/srv/cache'],
    ['a JSON path', '${CONFIG.db.host}:${CONFIG.db.port}', 'h:5432'],
    ['a list index', '${CONFIG.items.1}', 'b'],
    ['an object as JSON', '${CONFIG.db}', '{"host":"h","port":5432}'],
    ['an unknown path, left as written', '${CONFIG.nope}', '${CONFIG.nope}'],
    ['an unknown name, left as written', '$UNKNOWN', '$UNKNOWN'],
    ['an escaped reference', '\\${BASE}', '\\${BASE}'],
    ['a leading ~', '~/data', '/home/u/data'],
    ['a ~ elsewhere, untouched', 'a~b', 'a~b'],
  ])('expands %s', (_name, text, expected) => {
    expect(expandValue(text, lookup, { home: '/home/u' })).toBe(expected);
  });

  it('binds JSON paths in a command to variables, so no value is parsed as code', () => {
    const bound = bindReferences('echo "${CONFIG.db.host}" ${BASE} ${CONFIG.nope}', lookup);

    expect(bound.text).toBe('echo "${RUNTRAIL_REF_1}" ${BASE} ${CONFIG.nope}');
    expect([...bound.bound]).toEqual([['RUNTRAIL_REF_1', 'h']]);
  });

  it('reads nothing from an output that is not JSON', () => {
    expect(readJsonPath('plain text', ['a'])).toBeUndefined();
  });
});

describe('references to step ids with a dash', () => {
  it('binds ${data-fetcher.stdout} and leaves the shell its ${a-b} default form', () => {
    const lookup = (name: string, fieldPath: readonly string[]) => (name === 'data-fetcher' && fieldPath[0] === 'stdout' ? '/logs/fetch.out' : undefined);
    const bound = bindReferences('cat "${data-fetcher.stdout}" ${a-b}', lookup);

    expect(bound.text).toBe('cat "${RUNTRAIL_REF_1}" ${a-b}');
    expect(expandValue('${data-fetcher.stdout}', lookup)).toBe('/logs/fetch.out');
  });
});
