import { splitParamString } from './parse-call.ts';
import { parseValid, problemsOf } from '../../test/workflow-specs.ts';

const parseMain = (yamlText: string) => parseValid(yamlText, 'main');
const problemsOfMain = (yamlText: string) => problemsOf(yamlText, 'main');

describe('call steps', () => {
  it('reads call (and its old name run) with params as a string, a map or a list', () => {
    const spec = parseMain(
      [
        'steps:',
        '  - name: a',
        '    call: etl',
        '    params: "DATE=2026-12-01 LABEL=\'two words\' Q=\\"x y\\""',
        '  - name: b',
        '    run: workflows/etl.yaml',
        '    params: {DATE: today}',
        '  - name: c',
        '    call: etl',
        '    params: [DATE=yesterday]',
      ].join('\n'),
    );
    expect(spec.steps.map((step) => step.call)).toEqual([
      { workflow: 'etl', params: [{ name: 'DATE', value: '2026-12-01' }, { name: 'LABEL', value: 'two words' }, { name: 'Q', value: 'x y' }], parallel: null },
      { workflow: 'etl', params: [{ name: 'DATE', value: 'today' }], parallel: null },
      { workflow: 'etl', params: [{ name: 'DATE', value: 'yesterday' }], parallel: null },
    ]);
  });

  it('reads parallel as a list, a ${VAR} reference, or {items, maxConcurrent}, object items as JSON', () => {
    const spec = parseMain(
      [
        'steps:',
        '  - name: list',
        '    call: etl',
        '    parallel: [a, b]',
        '    params: "FILE=${ITEM}"',
        '  - name: ref',
        '    call: etl',
        '    parallel: ${FILES}',
        '  - name: full',
        '    call: etl',
        '    parallel:',
        '      items: [{region: eu}, {region: us}]',
        '      maxConcurrent: 2',
      ].join('\n'),
    );
    expect(spec.steps.map((step) => step.call?.parallel)).toEqual([
      { items: { kind: 'list', values: ['a', 'b'] }, maxConcurrent: 10 },
      { items: { kind: 'reference', text: '${FILES}' }, maxConcurrent: 10 },
      { items: { kind: 'list', values: ['{"region":"eu"}', '{"region":"us"}'] }, maxConcurrent: 2 },
    ]);
  });

  it('says what is wrong with a call step', () => {
    expect(problemsOfMain('steps:\n  - name: a\n    call: etl\n    command: echo\n')).toContain('main.yaml:4:5 steps[0] (a): a step with "call" runs another workflow and nothing else; remove "command"');
    expect(problemsOfMain('steps:\n  - name: a\n    command: echo\n    params: "A=1"\n')).toContain('"params" belongs to a step that runs another workflow; add call: <workflow>');
    expect(problemsOfMain('steps:\n  - name: a\n    call: etl\n    parallel: {items: [1], maxConcurrent: 0}\n')).toContain('steps[0] (a).parallel.maxConcurrent: must be a whole number from 1 to 100, got 0');
    expect(problemsOfMain('steps:\n  - name: a\n    call: etl\n    params: "A=1 oops"\n')).toContain('"oops" is not NAME=value');
  });

  it('splits a params string as Dagu writes it', () => {
    expect(splitParamString(`A=1  B="q \\"x\\"" C='y z' D=`)).toEqual({ pairs: [{ name: 'A', value: '1' }, { name: 'B', value: 'q "x"' }, { name: 'C', value: 'y z' }, { name: 'D', value: '' }], bad: null });
  });
});

describe('multi-document files', () => {
  const file = [
    'steps:',
    '  - name: fan-out',
    '    call: worker',
    '    parallel: [1, 2]',
    '    params: "N=${ITEM}"',
    '---',
    '# the worker',
    'name: worker',
    'params: {N: "0"}',
    'steps:',
    '  - name: square',
    '    command: echo $((N * N))',
    '    output: SQUARE',
    '  - name: nested',
    '    call: helper',
    '---',
    'name: helper',
    'steps:',
    '  - name: hi',
    '    command: echo hi',
  ].join('\n');

  it('reads each document after "---" as a local sub-workflow, saved as <workflow>.<name>, its calls renamed alike', () => {
    const spec = parseMain(file);
    expect(spec.steps[0]?.call?.workflow).toBe('main.worker');
    expect(spec.localWorkflows.map((local) => local.name)).toEqual(['main.worker', 'main.helper']);
    const worker = parseMain(spec.localWorkflows[0]?.definition ?? '');
    expect(worker.name).toBe('main.worker');
    expect(worker.steps[1]?.call?.workflow).toBe('main.helper');
    expect(spec.localWorkflows[0]?.definition).toContain('# the worker');
  });

  it('reports problems of a later document at their own lines, and a name used twice', () => {
    expect(problemsOfMain(file.replace('command: echo hi', 'comand: echo hi'))).toContain('main.yaml:20:5 steps[0] (hi): unknown key "comand"');
    expect(problemsOfMain(file.replace('name: helper', 'name: worker'))).toContain('main.yaml:16:1 workflow: "worker" names another document of this file; give each document its own name');
  });
});
