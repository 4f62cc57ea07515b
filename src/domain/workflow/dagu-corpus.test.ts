import Ajv from 'ajv';
import { parse } from 'yaml';
import { daguExampleFiles, readDaguExample } from '../../test/dagu-corpus.ts';
import { formatProblems, parseWorkflow } from './parse-workflow.ts';
import { workflowJsonSchema } from './workflow-json-schema.ts';

/** Every file of examples/dagu/ (written from Dagu's documented examples, one a feature) is a valid Runtrail workflow. */
describe('the Dagu example corpus', () => {
  const files = daguExampleFiles();
  const validate = new Ajv({ allErrors: true, strict: false }).compile(workflowJsonSchema());

  it('holds at least 40 examples, each saying the feature and what Dagu documents', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const file of files) expect(readDaguExample(file).yaml).toMatch(/^# Feature: .+\n# Dagu documents: /);
  });

  it.each(files)('%s validates', (file) => {
    const result = parseWorkflow(readDaguExample(file).yaml, { defaultName: file });

    expect(result.ok ? 'ok' : formatProblems(result.problems, file)).toBe('ok');
  });

  it.each(files)('%s fits the workflow JSON Schema', (file) => {
    const valid = validate(parse(readDaguExample(file).yaml));

    expect(valid ? [] : validate.errors).toEqual([]);
  });

  it('every step name and output an expectation names exists in its file', () => {
    for (const file of files) {
      const { yaml, expect: expected } = readDaguExample(file);
      const result = parseWorkflow(yaml, { defaultName: file });
      if (!result.ok) continue;
      const names = [...result.spec.steps.map((step) => step.name), 'onSuccess', 'onFailure', 'onAbort', 'onExit'];
      for (const { step } of [...expected.steps, ...expected.outputs]) expect(`${file}: ${names.includes(step) ? step : `unknown step ${step}`}`).toBe(`${file}: ${step}`);
    }
  });
});
