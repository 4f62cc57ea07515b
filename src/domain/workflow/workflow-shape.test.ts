import { runOutputsOf, workflowParamsOf, workflowStepsOf } from './workflow-shape.ts';
import { parseValid } from '../../test/workflow-specs.ts';

const PIPELINE = [
  'params:',
  '  - REGION: eu',
  '  - DAY: "`date +%F`"',
  'steps:',
  '  - name: extract',
  '    description: pulls the day',
  '    command: echo rows',
  '    output: ROWS',
  '  - name: check',
  '    type: approval',
  '  - name: load',
  '    depends: [extract, check]',
  '    command: echo done',
  '    output: LOADED',
  '  - name: notify',
  '    command: echo hi',
  'handlerOn:',
  '  failure:',
  '    command: echo failed',
].join('\n');

describe('workflowStepsOf', () => {
  it('lists the steps in file order with their resolved depends, kind and description, leaving the handlers out of the graph', () => {
    const steps = workflowStepsOf(parseValid(PIPELINE));

    expect(steps).toEqual([
      { name: 'extract', depends: [], kind: 'command', description: 'pulls the day', call: null },
      { name: 'check', depends: ['extract'], kind: 'approval', description: null, call: null },
      { name: 'load', depends: ['extract', 'check'], kind: 'command', description: null, call: null },
      { name: 'notify', depends: ['load'], kind: 'command', description: null, call: null },
    ]);
  });

  it("names an executor step by its executor and a call step by the workflow it runs", () => {
    const steps = workflowStepsOf(
      parseValid(['steps:', '  - name: fetch', '    type: http', '    command: GET https://example.com/data', '  - name: each region', '    call: load-region', '    parallel: [eu, us]'].join('\n')),
    );

    expect(steps.map((step) => [step.name, step.kind, step.call])).toEqual([
      ['fetch', 'http', null],
      ['each region', 'call', 'load-region'],
    ]);
  });
});

describe('workflowParamsOf', () => {
  it('gives each declared param with its default as written, unexpanded', () => {
    expect(workflowParamsOf(parseValid(PIPELINE))).toEqual([
      { name: 'REGION', default: 'eu' },
      { name: 'DAY', default: '`date +%F`' },
    ]);
  });
});

describe('runOutputsOf', () => {
  it.each([
    ['both steps captured their output', [{ name: 'extract', output: 'rows' }, { name: 'load', output: 'done' }, { name: 'notify', output: null }], { ROWS: 'rows', LOADED: 'done' }],
    ['the second step has not run yet', [{ name: 'extract', output: 'rows' }, { name: 'load', output: null }], { ROWS: 'rows' }],
    ['no step has run', [], {}],
  ])('maps each output variable to the value its step captured when %s', (_case, steps, expected) => {
    expect(runOutputsOf(parseValid(PIPELINE), steps)).toEqual(expected);
  });

  it('ignores what a step without `output` wrote there', () => {
    expect(runOutputsOf(parseValid(PIPELINE), [{ name: 'notify', output: 'stray' }])).toEqual({});
  });

  it("lists an output under its key, and leaves out one marked omit (Dagu's object form)", () => {
    const spec = parseValid(['steps:', '  - name: count', '    command: echo 3', '    output: {name: ROWS, key: rowCount}', '  - name: scratch', '    command: echo tmp', '    output: {name: TMP, omit: true}'].join('\n'));

    expect(runOutputsOf(spec, [{ name: 'count', output: '3' }, { name: 'scratch', output: 'tmp' }])).toEqual({ rowCount: '3' });
  });
});
