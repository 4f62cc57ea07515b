import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { daguExampleFiles, readDaguExample } from '../../test/dagu-corpus.ts';
import { formatProblems, parseWorkflow } from './parse-workflow.ts';
import { workflowJsonSchema } from './workflow-json-schema.ts';

/** Every file of examples/dagu/ (written from Dagu's documented examples, one a feature) is a valid Runtrail workflow. */
describe('the Dagu example corpus', () => {
  const files = daguExampleFiles();
  const validate = new Ajv({ allErrors: true, strict: false }).compile(workflowJsonSchema());

  it('holds at least 40 examples, each opening with a comment on the feature it shows', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const file of files) expect(`${file}: ${readDaguExample(file).yaml.split('\n')[0] ?? ''}`).toMatch(/^[^:]+: # \S/);
  });

  it.each(files)('%s validates', (file) => {
    const result = parseWorkflow(readDaguExample(file).yaml, { defaultName: file });

    expect(result.ok ? 'ok' : formatProblems(result.problems, file)).toBe('ok');
  });

  it.each(files)('%s fits the workflow JSON Schema', (file) => {
    // A file may hold several documents (Dagu's local sub-workflows): each is a workflow.
    const errors = parseAllDocuments(readDaguExample(file).yaml).flatMap((document) => (validate(document.toJS()) ? [] : (validate.errors ?? [])));

    expect(errors).toEqual([]);
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
