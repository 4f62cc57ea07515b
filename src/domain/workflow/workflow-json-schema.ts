import { snakeKey } from './yaml-reader.ts';
import { HANDLER_KINDS, STOP_SIGNALS } from './workflow-spec.ts';

/** A JSON Schema document (draft-07), as plain JSON. */
export type JsonSchema = { readonly [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonSchema;

const string: JsonSchema = { type: 'string' };
const boolean: JsonSchema = { type: 'boolean' };
const scalar: JsonSchema = { type: ['string', 'number', 'boolean'] };
const seconds: JsonSchema = { type: 'number', minimum: 0 };
const stringOrList: JsonSchema = { oneOf: [string, { type: 'array', items: string }] };
const exitCodes: JsonSchema = { oneOf: [{ type: 'integer', minimum: 0, maximum: 255 }, { type: 'string', pattern: '^[0-9]{1,3}$' }, { type: 'array', items: { type: 'integer', minimum: 0, maximum: 255 } }] };
const variableName: JsonSchema = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
const backoff: JsonSchema = { oneOf: [boolean, { type: 'number', exclusiveMinimum: 1, maximum: 10 }] };

/**
 * Each key under its camelCase name and its snake_case spelling (Dagu reads both; the parser
 * refuses a map that holds both, which a schema cannot say simply).
 */
function bothSpellings(properties: Readonly<Record<string, JsonSchema>>): JsonSchema {
  const entries = Object.entries(properties).flatMap(([key, schema]) => (snakeKey(key) === key ? [[key, schema]] : [[key, schema], [snakeKey(key), schema]]));
  return Object.fromEntries(entries);
}

function object(properties: Readonly<Record<string, JsonSchema>>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties: bothSpellings(properties), additionalProperties: false, ...extra };
}

const keyValues: JsonSchema = {
  oneOf: [
    { type: 'object', additionalProperties: scalar },
    { type: 'array', items: { oneOf: [{ type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*=' }, { type: 'object', additionalProperties: scalar }] } },
  ],
};

const precondition: JsonSchema = { oneOf: [string, object({ condition: string, expected: string, negate: boolean }, { required: ['condition'] })] };
const preconditions: JsonSchema = { oneOf: [string, { type: 'array', items: precondition }] };

const retryPolicy = object({
  limit: { oneOf: [{ type: 'integer', minimum: 0, maximum: 10_000 }, { type: 'string', pattern: '^[0-9]{1,4}$' }] },
  intervalSec: { oneOf: [seconds, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' }] },
  backoff,
  maxIntervalSec: seconds,
  exitCode: exitCodes,
});

const repeatPolicy = object({
  repeat: { oneOf: [boolean, { enum: ['while', 'until'] }] },
  condition: string,
  expected: string,
  exitCode: exitCodes,
  intervalSec: seconds,
  limit: { type: 'integer', minimum: 1, maximum: 100_000 },
  backoff,
  maxIntervalSec: seconds,
});

const continueOn: JsonSchema = {
  oneOf: [{ enum: ['failed', 'failure', 'skipped'] }, object({ failure: boolean, skipped: boolean, exitCode: exitCodes, output: stringOrList, markSuccess: boolean })],
};

const shell: JsonSchema = { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: string, minItems: 1 }] };
const signal: JsonSchema = { enum: [...STOP_SIGNALS, ...STOP_SIGNALS.map((name) => name.slice(3))] };

/** What the step keys of executors and sub-workflows take; their parsers check them in detail. */
const executorKeys: Readonly<Record<string, JsonSchema>> = {
  executor: { oneOf: [string, { type: 'object' }] },
  with: { type: 'object' },
  config: { type: 'object' },
  call: string,
  run: string,
  params: { oneOf: [string, { type: 'object' }, { type: 'array' }] },
  parallel: { oneOf: [string, { type: 'array' }, { type: 'object' }] },
};

const stepProperties: Readonly<Record<string, JsonSchema>> = {
  name: { type: 'string', maxLength: 100 },
  id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' },
  description: string,
  type: string,
  command: { oneOf: [string, { type: 'array', items: scalar, minItems: 1 }] },
  script: string,
  shell,
  dir: string,
  workingDir: string,
  env: keyValues,
  depends: stringOrList,
  output: { oneOf: [variableName, object({ name: variableName, key: string, omit: boolean }, { required: ['name'] })] },
  retryPolicy,
  repeatPolicy,
  timeoutSec: seconds,
  continueOn,
  preconditions,
  precondition: preconditions,
  stdout: string,
  stderr: string,
  signalOnStop: signal,
  mailOnError: boolean,
  logOutput: { enum: ['separate', 'merged'] },
  ...executorKeys,
};

const step = object(stepProperties);
const stepItem: JsonSchema = { oneOf: [string, step, { type: 'array', items: { oneOf: [string, step] } }] };

const typedParam = object(
  {
    name: variableName,
    default: scalar,
    description: string,
    type: { enum: ['string', 'integer', 'number', 'boolean'] },
    required: boolean,
    enum: { type: 'array', items: scalar },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 0 },
    pattern: string,
  },
  { required: ['name'] },
);
const params: JsonSchema = {
  oneOf: [string, { type: 'object', additionalProperties: scalar }, { type: 'array', items: { oneOf: [string, typedParam, { type: 'object', additionalProperties: scalar, maxProperties: 1 }] } }],
};

const mailAddressing = object({ from: string, to: stringOrList, prefix: string });

/**
 * The JSON Schema of a Runtrail workflow file (Dagu's format as Runtrail reads it), every key
 * in both spellings, for editors (`runtrail schema > workflow.schema.json`). It accepts what
 * the parser accepts, except the checks a schema cannot make (unique names, known depends,
 * cron expressions); `runtrail validate` makes those.
 */
export function workflowJsonSchema(): JsonSchema {
  const handler = object(Object.fromEntries(Object.entries(stepProperties).filter(([key]) => !['name', 'id', 'depends', 'output'].includes(key))));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Runtrail workflow',
    description: "A Runtrail workflow file: Dagu's YAML format, keys in snake_case or camelCase.",
    ...object(
      {
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$' },
        description: string,
        tags: { oneOf: [string, { type: 'object', additionalProperties: scalar }, { type: 'array', items: { oneOf: [string, { type: 'object', additionalProperties: scalar }] } }] },
        schedule: { oneOf: [string, { type: 'array', items: { oneOf: [string, object({ kind: { enum: ['cron'] }, expression: string }, { required: ['expression'] })] } }] },
        missedTicks: { enum: ['skip', 'latest'] },
        type: { enum: ['chain', 'graph'] },
        params,
        env: keyValues,
        dotenv: stringOrList,
        preconditions,
        precondition: preconditions,
        timeoutSec: seconds,
        maxActiveRuns: { type: 'integer', minimum: 1 },
        workerSelector: { type: 'object', additionalProperties: scalar },
        histRetentionDays: { type: 'integer', minimum: 1 },
        histRetentionRuns: { type: 'integer', minimum: 1 },
        shell,
        workingDir: string,
        defaults: object({ retryPolicy, continueOn, repeatPolicy, timeoutSec: seconds, mailOnError: boolean, signalOnStop: signal, env: keyValues, preconditions }),
        handlerOn: object(Object.fromEntries(HANDLER_KINDS.map((kind) => [kind, handler]))),
        mailOn: object({ failure: boolean, success: boolean }),
        smtp: object({ host: string, port: { oneOf: [{ type: 'integer' }, string] }, username: string, password: string }),
        // Its settings are checked by the parser, as an ssh step's `with` is.
        ssh: { type: 'object' },
        errorMail: mailAddressing,
        infoMail: mailAddressing,
        queue: string,
        logDir: string,
        logOutput: { enum: ['separate', 'merged'] },
        group: string,
        delaySec: seconds,
        restartWaitSec: seconds,
        maxCleanUpTimeSec: seconds,
        maxActiveSteps: { type: 'integer', minimum: 1 },
        maxOutputSize: { type: 'integer', minimum: 1 },
        steps: { oneOf: [{ type: 'array', items: stepItem, minItems: 1 }, { type: 'object', additionalProperties: { oneOf: [string, step] }, minProperties: 1 }] },
      },
      { required: ['steps'] },
    ),
  };
}
