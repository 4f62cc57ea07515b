import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseWorkflow } from './parse-workflow.ts';
import { workflowJsonSchema } from './workflow-json-schema.ts';

describe('workflowJsonSchema', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(workflowJsonSchema());

  it.each([
    ['snake_case keys', 'timeout_sec: 5\nsteps:\n  - name: a\n    command: x\n    retry_policy: {limit: 2, interval_sec: 1, backoff: true}\n'],
    ['camelCase keys', 'timeoutSec: 5\nsteps:\n  - name: a\n    command: x\n    retryPolicy: {limit: 2, intervalSec: 1, backoff: true}\n'],
    ['string steps and a parallel group', 'steps:\n  - echo a\n  - [echo b, echo c]\n'],
  ])('accepts %s, as the parser does', (_name, yamlText) => {
    expect(parseWorkflow(yamlText, { defaultName: 'wf' }).ok).toBe(true);
    expect(validate(parse(yamlText))).toBe(true);
  });

  it.each([
    ['an unknown key', 'stpes: []\nsteps:\n  - echo\n'],
    ['a step without steps', 'name: x\n'],
    ['a wrong signal', 'steps:\n  - name: a\n    command: x\n    signal_on_stop: SIGSTOP\n'],
    ['a wrong type', 'type: agent\nsteps:\n  - echo\n'],
  ])('refuses %s, as the parser does', (_name, yamlText) => {
    expect(parseWorkflow(yamlText, { defaultName: 'wf' }).ok).toBe(false);
    expect(validate(parse(yamlText))).toBe(false);
  });
});
