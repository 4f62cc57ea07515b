import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { findCycle } from './dag.ts';
import { didYouMean } from './did-you-mean.ts';
import { definitionRetention } from '../retention/definition-retention.ts';
import { RETENTION_RULES } from '../retention/retention-policy.ts';
import { parseWorkflowDocuments } from './local-workflows.ts';
import { CALL_STEP_KEYS, readCall } from './parse-call.ts';
import { applyWorkflowSsh, attachSmtp, executorNeedsCommand, readStepExecutor } from './parse-executor.ts';
import { parseScheduleEntry } from './schedule.ts';
import {
  DEFAULT_MAX_ACTIVE_RUNS,
  DEFAULT_SHELL,
  exitZeroCondition,
  HANDLER_KINDS,
  HANDLER_STEP_NAMES,
  MAX_WORKFLOW_STEPS,
  STEP_NAME_PATTERN,
  VARIABLE_NAME_PATTERN,
  WORKFLOW_NAME_PATTERN,
  type HandlerKind,
  type KeyValue,
  type MailAddressing,
  type ParseResult,
  type SpecProblem,
  type StepSpec,
  type WorkflowMail,
  type WorkflowSpec,
} from './workflow-spec.ts';
import { LABEL_NAME_PATTERN, LABEL_NAME_RULE, LABEL_VALUE_PATTERN, LABEL_VALUE_RULE, MAX_LABELS, type Labels } from './worker-selector.ts';
import { describe, field, isEmpty, item, ROOT, scalarText, YamlReader, type Entry, type Where } from './yaml-reader.ts';

const WORKFLOW_KEYS = [
  'name',
  'description',
  'tags',
  'schedule',
  'missedTicks',
  'params',
  'env',
  'maxActiveRuns',
  'workerSelector',
  'histRetentionDays',
  'histRetentionRuns',
  'handlerOn',
  'steps',
  'mailOn',
  'mail_on',
  'smtp',
  'ssh',
  'errorMail',
  'error_mail',
  'infoMail',
  'info_mail',
];
const DAGU_WORKFLOW_KEYS: Record<string, string | null> = {
  dotenv: null,
  logDir: null,
  delaySec: null,
  restartWaitSec: null,
  maxCleanUpTimeSec: null,
  preconditions: 'preconditions can be set on steps',
  precondition: 'preconditions can be set on steps',
  skipIfSuccessful: null,
  queue: null,
  maxOutputSize: null,
  container: null,
  otel: null,
  type: 'Runtrail always works like type: chain (a step without "depends" follows the step before it)',
  group: null,
  runConfig: null,
  maxActiveSteps: null,
  timeoutSec: 'timeoutSec can be set on steps',
  shell: 'shell can be set on steps',
  workingDir: 'dir can be set on steps',
};

const STEP_KEYS = [
  'name',
  'description',
  'type',
  'command',
  'script',
  'shell',
  'dir',
  'env',
  'depends',
  'output',
  'retryPolicy',
  'timeoutSec',
  'continueOn',
  'preconditions',
  'executor',
  'with',
  ...CALL_STEP_KEYS,
];
const DAGU_STEP_KEYS: Record<string, string | null> = {
  container: 'Runtrail runs no containers; run the container from a command step (command: docker run ...)',
  repeatPolicy: null,
  mailOnError: null,
  signalOnStop: null,
  stdout: null,
  stderr: null,
  precondition: 'write "preconditions" (a list)',
  id: null,
  args: null,
  workingDir: 'write "dir"',
};
const HANDLER_FORBIDDEN_KEYS = {
  depends: 'a handler runs when the workflow ends, so it has no "depends"; remove it',
  output: 'nothing runs after a handler to use its "output"; remove it',
};
const DAGU_HANDLER_KEYS: Record<string, string | null> = {
  cancel: 'it is Dagu\'s older name for "abort"; write abort',
  wait: null,
};

const NAME_RULE = 'use up to 100 letters, digits, "_", "." and "-", starting with a letter or digit';
const VARIABLE_RULE = 'use letters, digits and "_", not starting with a digit';

/**
 * Parses a workflow file: a documented subset of Dagu's YAML (see WorkflowSpec). Every problem
 * in the file is reported, each with the line and column of the YAML node it is about; only
 * YAML syntax errors stop the reading early, since the tree after them is a guess.
 * `defaultName` is the file name, used when the file has no `name` (`.yaml`/`.yml` is dropped).
 * `maxSteps` is MAX_WORKFLOW_STEPS unless a caller (a test of the graph code) raises it.
 */
export function parseWorkflow(yamlText: string, options: { defaultName?: string; maxSteps?: number } = {}): ParseResult {
  return parseWorkflowDocuments(yamlText, options, parseOneWorkflow);
}

function parseOneWorkflow(yamlText: string, options: { defaultName?: string; maxSteps?: number }): ParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  const reader = new YamlReader(document, lineCounter);
  for (const error of document.errors) {
    const text =
      error.code === 'MULTIPLE_DOCS'
        ? 'the file holds several documents (separated by "---"); keep one workflow per file (Dagu\'s sub-DAGs in one file are not supported yet)'
        : error.message;
    reader.reportYaml(error, 'invalid YAML', text);
  }
  if (document.errors.length > 0) return { ok: false, problems: reader.sortedProblems() };
  for (const warning of document.warnings) reader.reportYaml(warning, 'YAML');
  const spec = readWorkflow(reader, reader.resolve(document.contents as Node | null, ROOT), options.defaultName, options.maxSteps ?? MAX_WORKFLOW_STEPS);
  return spec && reader.problems.length === 0 ? { ok: true, spec } : { ok: false, problems: reader.sortedProblems() };
}

/** One problem a line: `deploy.yaml:3:5 steps[0].depends: unknown step "x"`. */
export function formatProblems(problems: readonly SpecProblem[], fileName?: string): string {
  return problems
    .map((problem) => {
      const position = problem.line === null ? [] : [problem.line, problem.column ?? 1];
      const prefix = [...(fileName ? [fileName] : []), ...position].join(':');
      return prefix ? `${prefix} ${problem.message}` : problem.message;
    })
    .join('\n');
}

interface StepDraft {
  spec: StepSpec;
  where: Where;
  node: Node;
  nameNode: Node | null;
  /** Null when the step has no `depends` key, so it follows the step before it. */
  depends: { name: string; node: Node }[] | null;
  outputNode: Node | null;
}

function readWorkflow(r: YamlReader, root: Node | null, defaultName: string | undefined, maxSteps: number): WorkflowSpec | null {
  if (!root) {
    r.report(ROOT, null, 'the file is empty; a workflow needs at least a list of "steps"');
    return null;
  }
  if (!isMap(root)) {
    r.report(ROOT, root, `must be a map with keys such as name and steps, got ${describe(root)}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(root, ROOT), ROOT, { supported: WORKFLOW_KEYS, dagu: DAGU_WORKFLOW_KEYS });
  const at = (key: string) => field(ROOT, key);

  const handlerOn = readHandlers(r, keys.get('handlerOn'));
  const stepsEntry = keys.get('steps');
  const steps = stepsEntry ? readSteps(r, stepsEntry, handlerOn, maxSteps) : [];
  if (!stepsEntry) r.report(at('steps'), root, 'missing; a workflow needs a non-empty list of steps, each with a name and a command');
  attachSmtp(r, [...steps, ...handlerOn.values()], keys.get('smtp'));
  applyWorkflowSsh(r, steps, keys.get('ssh'));

  return {
    name: readWorkflowName(r, keys.get('name'), root, defaultName),
    description: readText(r, keys.get('description'), at('description')),
    tags: readTags(r, keys.get('tags'), at('tags')),
    schedule: readSchedule(r, keys.get('schedule'), at('schedule')),
    missedTicks: (readChoice(r, keys.get('missedTicks'), at('missedTicks'), ['skip', 'latest']) ?? 'skip') as WorkflowSpec['missedTicks'],
    params: readKeyValues(r, keys.get('params'), at('params')),
    env: readKeyValues(r, keys.get('env'), at('env')),
    maxActiveRuns: readNumber(r, keys.get('maxActiveRuns'), at('maxActiveRuns'), { min: 1, integer: true, expected: 'a positive whole number' }) ?? DEFAULT_MAX_ACTIVE_RUNS,
    workerSelector: readWorkerSelector(r, keys.get('workerSelector'), at('workerSelector')),
    retention: definitionRetention(
      readNumber(r, keys.get('histRetentionDays'), at('histRetentionDays'), {
        min: RETENTION_RULES.hotDays.min,
        max: RETENTION_RULES.hotDays.max,
        integer: true,
        expected: `a whole number of days from ${RETENTION_RULES.hotDays.min} to ${RETENTION_RULES.hotDays.max}`,
      }),
      readNumber(r, keys.get('histRetentionRuns'), at('histRetentionRuns'), {
        min: 1,
        max: RETENTION_RULES.keepLastRuns.max,
        integer: true,
        expected: `a whole number of runs from 1 to ${RETENTION_RULES.keepLastRuns.max} (leave the key out to keep runs by age alone)`,
      }),
    ),
    mail: readMail(r, keys),
    handlerOn: Object.fromEntries([...handlerOn].map(([kind, draft]) => [kind, draft.spec])),
    steps: steps.map((draft) => draft.spec),
    localWorkflows: [],
  };
}

/** Dagu's key or its snake_case spelling (`mailOn` or `mail_on`); both at once is a problem. */
function eitherKey(r: YamlReader, keys: ReadonlyMap<string, Entry>, camel: string, snake: string): { entry: Entry | undefined; where: Where } {
  const first = keys.get(camel);
  const second = keys.get(snake);
  if (first && second) r.report(field(ROOT, snake), second.keyNode, `"${camel}" is given too; keep one of them`);
  return first || !second ? { entry: first, where: field(ROOT, camel) } : { entry: second, where: field(ROOT, snake) };
}

const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** `mailOn` with the `smtp` server and the `errorMail`/`infoMail` addressing the kinds it turns on need. */
function readMail(r: YamlReader, keys: ReadonlyMap<string, Entry>): WorkflowMail | null {
  const mailOn = eitherKey(r, keys, 'mailOn', 'mail_on');
  const smtpEntry = keys.get('smtp');
  const errorMail = eitherKey(r, keys, 'errorMail', 'error_mail');
  const infoMail = eitherKey(r, keys, 'infoMail', 'info_mail');
  let on = { failure: false, success: false };
  if (mailOn.entry && !isEmpty(mailOn.entry.value)) {
    if (!isMap(mailOn.entry.value)) {
      r.report(mailOn.where, mailOn.entry.at, `must be a map like {failure: true, success: false}, got ${describe(mailOn.entry.value)}`);
    } else {
      const flags = r.checkKeys(r.entries(mailOn.entry.value, mailOn.where), mailOn.where, { supported: ['failure', 'success'] });
      on = { failure: readBoolean(r, flags.get('failure'), field(mailOn.where, 'failure')) ?? false, success: readBoolean(r, flags.get('success'), field(mailOn.where, 'success')) ?? false };
    }
  }
  if (!on.failure && !on.success) return null;
  const smtp = readSmtp(r, smtpEntry, mailOn);
  const failure = on.failure ? readAddressing(r, errorMail, mailOn, 'failure') : null;
  const success = on.success ? readAddressing(r, infoMail, mailOn, 'success') : null;
  return smtp ? { smtp, failure, success } : null;
}

function readSmtp(r: YamlReader, entry: Entry | undefined, mailOn: { entry: Entry | undefined; where: Where }): WorkflowMail['smtp'] | null {
  const where = field(ROOT, 'smtp');
  if (!entry || isEmpty(entry.value) || !isMap(entry.value)) {
    r.report(where, entry?.at ?? mailOn.entry?.at, `${mailOn.where.label} sends email, so the file needs "smtp" as a map: {host, port, username, password}${entry && !isEmpty(entry.value) ? `, got ${describe(entry.value)}` : ''}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: ['host', 'port', 'username', 'password'] });
  const host = readText(r, keys.get('host'), field(where, 'host'));
  if (host === null || host.trim() === '') r.report(field(where, 'host'), keys.get('host')?.at ?? entry.at, 'missing; the SMTP server\'s host name or address');
  const portEntry = keys.get('port');
  const portText = portEntry?.value && isScalar(portEntry.value) ? scalarText(portEntry.value) : null;
  const port = portText !== null && /^[0-9]{1,5}$/.test(portText) ? Number(portText) : null;
  if (port === null || port < 1 || port > 65_535) r.report(field(where, 'port'), portEntry?.at ?? entry.at, `must be a port from 1 to 65535 (587 with STARTTLS, 465 for TLS), got ${describe(portEntry?.value ?? null)}`);
  const username = readText(r, keys.get('username'), field(where, 'username'));
  const password = readText(r, keys.get('password'), field(where, 'password'));
  if (host === null || host.trim() === '' || port === null || port < 1 || port > 65_535) return null;
  return { host: host.trim(), port, username: username === '' ? null : username, password: password === '' ? null : password };
}

function readAddressing(r: YamlReader, mail: { entry: Entry | undefined; where: Where }, mailOn: { entry: Entry | undefined; where: Where }, kind: 'failure' | 'success'): MailAddressing | null {
  const { entry, where } = mail;
  if (!entry || isEmpty(entry.value) || !isMap(entry.value)) {
    r.report(where, entry?.at ?? mailOn.entry?.at, `${mailOn.where.label}.${kind} is on, so the file needs "${where.label}" as a map: {from, to, prefix}${entry && !isEmpty(entry.value) ? `, got ${describe(entry.value)}` : ''}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: ['from', 'to', 'prefix'], dagu: { attachLogs: null } });
  const from = readText(r, keys.get('from'), field(where, 'from'));
  if (from === null || !EMAIL_ADDRESS.test(from)) r.report(field(where, 'from'), keys.get('from')?.at ?? entry.at, `must be an address like runtrail@example.com, got ${describe(keys.get('from')?.value ?? null)}`);
  const toEntry = keys.get('to');
  const toWhere = field(where, 'to');
  const to: string[] = [];
  if (toEntry && !isEmpty(toEntry.value)) {
    const nodes = isSeq(toEntry.value) ? toEntry.value.items.map((node, index) => r.resolve(node as Node, item(toWhere, index))) : [toEntry.value];
    for (const node of nodes) {
      const address = node && isScalar(node) ? scalarText(node).trim() : null;
      if (address !== null && EMAIL_ADDRESS.test(address)) to.push(address);
      else r.report(toWhere, node ?? toEntry.at, `must be an address like oncall@example.com, or a list of them, got ${describe(node)}`);
    }
  } else {
    r.report(toWhere, entry.at, 'missing; the address (or a list of addresses) to send to');
  }
  const prefix = readText(r, keys.get('prefix'), field(where, 'prefix'));
  if (from === null || !EMAIL_ADDRESS.test(from) || to.length === 0) return null;
  return { from, to: [...new Set(to)], prefix: prefix === '' ? null : prefix };
}

function readWorkflowName(r: YamlReader, entry: Entry | undefined, root: Node, defaultName: string | undefined): string {
  const where = field(ROOT, 'name');
  const written = readText(r, entry, where);
  if (entry && written !== null) {
    if (!WORKFLOW_NAME_PATTERN.test(written)) r.report(where, entry.at, `"${written}" is not a valid name; ${NAME_RULE}`);
    return written;
  }
  const fromFile = defaultName?.replace(/\.ya?ml$/i, '');
  if (!fromFile) {
    r.report(where, root, 'missing; add a "name"');
    return '';
  }
  if (!WORKFLOW_NAME_PATTERN.test(fromFile)) {
    r.report(where, root, `the file name "${fromFile}" is not a valid workflow name; add a "name" or rename the file (${NAME_RULE})`);
  }
  return fromFile;
}

function readSteps(r: YamlReader, entry: Entry, handlers: ReadonlyMap<HandlerKind, StepDraft>, maxSteps: number): StepDraft[] {
  const where = field(ROOT, 'steps');
  if (!isSeq(entry.value) || entry.value.items.length === 0) {
    r.report(where, entry.at, `must be a non-empty list of steps, each with a name and a command, got ${describe(entry.value)}`);
    return [];
  }
  // Refused before any step is read: the cost of the rest grows with the steps.
  if (entry.value.items.length > maxSteps) {
    r.report(where, entry.at, `has ${entry.value.items.length} steps; a workflow may have at most ${maxSteps}; split it into several workflows`);
    return [];
  }
  const drafts: StepDraft[] = [];
  entry.value.items.forEach((itemNode, index) => {
    const draft = readStep(r, r.resolve(itemNode as Node, item(where, index)), (name) => item(where, index, name), null, entry.at);
    if (draft) drafts.push(draft);
  });
  checkStepNames(r, drafts, handlers);
  resolveDepends(r, drafts);
  checkOutputs(r, drafts);
  return drafts;
}

function checkStepNames(r: YamlReader, drafts: readonly StepDraft[], handlers: ReadonlyMap<HandlerKind, StepDraft>): void {
  const firstWithName = new Map<string, StepDraft>();
  const reserved = new Map([...handlers.keys()].map((kind) => [HANDLER_STEP_NAMES[kind], kind]));
  for (const draft of drafts) {
    const name = draft.spec.name;
    if (!name || !draft.nameNode) continue;
    const first = firstWithName.get(name);
    const handler = reserved.get(name);
    if (first) {
      r.report(field(draft.where, 'name'), draft.nameNode, `"${name}" is already the name of ${first.where.label}; step names must be unique`);
    } else if (handler) {
      r.report(field(draft.where, 'name'), draft.nameNode, `"${name}" is the name of the handlerOn.${handler} step; rename this step`);
    }
    if (!first) firstWithName.set(name, draft);
  }
}

/** Fills in each step's depends (Dagu's chain when the key is absent) and reports unknown steps and cycles. */
function resolveDepends(r: YamlReader, drafts: readonly StepDraft[]): void {
  const names = drafts.map((draft) => draft.spec.name).filter((name) => name !== '');
  const known = new Set(names);
  let consistent = known.size === names.length && names.length === drafts.length;
  drafts.forEach((draft, index) => {
    if (draft.depends === null) {
      const previous = drafts[index - 1]?.spec.name;
      draft.spec.depends = previous ? [previous] : [];
      return;
    }
    for (const dependency of draft.depends) {
      if (known.has(dependency.name)) continue;
      consistent = false;
      r.report(field(draft.where, 'depends'), dependency.node, `unknown step "${dependency.name}"; steps are: ${names.join(', ')}${didYouMean(dependency.name, names)}`);
    }
    draft.spec.depends = draft.depends.map((dependency) => dependency.name);
  });
  if (!consistent) return;

  const cycle = findCycle(drafts.map((draft) => draft.spec));
  if (!cycle) return;
  const [first, ...rest] = cycle;
  const firstDraft = drafts.find((draft) => draft.spec.name === first);
  const closing = firstDraft?.depends?.find((dependency) => dependency.name === cycle[cycle.length - 2]);
  const inCycle = new Set(cycle);
  const implicit = drafts.filter((draft) => draft.depends === null && inCycle.has(draft.spec.name)).map((draft) => draft.spec.name);
  const note = implicit.length
    ? ` (${implicit.join(', ')} ${implicit.length === 1 ? 'has' : 'have'} no "depends", so ${implicit.length === 1 ? 'it follows' : 'each follows'} the step before it; add depends: [] to start at once)`
    : '';
  r.report(field(ROOT, 'steps'), closing?.node ?? firstDraft?.node, `dependency cycle ${[first, ...rest].join(' → ')}${note}`);
}

function checkOutputs(r: YamlReader, drafts: readonly StepDraft[]): void {
  const firstWithOutput = new Map<string, StepDraft>();
  for (const draft of drafts) {
    const output = draft.spec.output;
    if (output === null) continue;
    const first = firstWithOutput.get(output);
    if (first) {
      r.report(field(draft.where, 'output'), draft.outputNode, `"${output}" is already the output of ${first.where.label}; use another name`);
    } else {
      firstWithOutput.set(output, draft);
    }
  }
}

function readHandlers(r: YamlReader, entry: Entry | undefined): Map<HandlerKind, StepDraft> {
  const where = field(ROOT, 'handlerOn');
  const handlers = new Map<HandlerKind, StepDraft>();
  if (!entry || isEmpty(entry.value)) return handlers;
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map of handlers (${HANDLER_KINDS.join(', ')}), each a step, got ${describe(entry.value)}`);
    return handlers;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: HANDLER_KINDS, dagu: DAGU_HANDLER_KEYS });
  for (const kind of HANDLER_KINDS) {
    const handler = keys.get(kind);
    if (!handler) continue;
    const draft = readStep(r, handler.value, () => field(where, kind), kind, handler.at);
    if (draft) handlers.set(kind, draft);
  }
  return handlers;
}

/** A step of `steps` (handler null) or a handler; `whereFor` names it `steps[2] (deploy)` or `handlerOn.failure`. */
function readStep(r: YamlReader, node: Node | null, whereFor: (name: string | null) => Where, handler: HandlerKind | null, at: Node): StepDraft | null {
  const baseWhere = whereFor(null);
  if (!node || !isMap(node)) {
    r.report(baseWhere, node ?? at, `must be a map with ${handler ? 'a command' : 'a name and a command'}, got ${describe(node)}`);
    return null;
  }
  const entries = r.entries(node, baseWhere);
  let name = handler ? HANDLER_STEP_NAMES[handler] : '';
  const nameEntry = entries.find((entry) => entry.key === 'name');
  if (!handler) {
    const written = readText(r, nameEntry, field(baseWhere, 'name'));
    if (written === null) {
      r.report(baseWhere, nameEntry?.at ?? node, 'missing "name"; every step needs a unique name');
    } else if (!STEP_NAME_PATTERN.test(written)) {
      r.report(field(baseWhere, 'name'), nameEntry?.at, `"${written}" is not a valid name; ${NAME_RULE}`);
    } else {
      name = written;
    }
  }
  const where = handler ? baseWhere : whereFor(name);
  const keys = r.checkKeys(entries, where, {
    supported: handler ? STEP_KEYS.filter((key) => key !== 'name' && !(key in HANDLER_FORBIDDEN_KEYS)) : STEP_KEYS,
    dagu: DAGU_STEP_KEYS,
    forbidden: handler ? { ...HANDLER_FORBIDDEN_KEYS, name: `a handler is recorded as the step "${name}"; remove "name"` } : {},
  });
  const inStep = (key: string) => field(where, key);

  const { type, executor } = readStepExecutor(r, keys, where, node);
  const call = readCall(r, keys, where);
  const command = readText(r, keys.get('command'), inStep('command'), 'a string (run by the shell)');
  const script = readText(r, keys.get('script'), inStep('script'), 'a string (a script run by "shell")');
  const shell = readText(r, keys.get('shell'), inStep('shell'));
  for (const [key, value] of [['command', command], ['script', script], ['shell', shell]] as const) {
    const entry = keys.get(key);
    if (entry && (isEmpty(entry.value) || value?.trim() === '')) r.report(inStep(key), entry.at, 'must not be empty');
  }
  if (type === 'approval') {
    if (handler) r.report(inStep('type'), keys.get('type')?.at, 'a handler cannot wait for approval; remove "type"');
    for (const key of ['command', 'script', 'output']) {
      const entry = keys.get(key);
      if (entry) r.report(where, entry.keyNode, `an approval step waits for a person and runs nothing; remove "${key}"`);
    }
  } else if (executorNeedsCommand(executor) && call === null && !keys.has('command') && !keys.has('script')) {
    r.report(where, node, 'needs a "command" or a "script" (or type: approval for a step that waits for a person)');
  } else if (executor.kind !== 'jq' && keys.has('command') && keys.has('script')) {
    r.report(where, keys.get('script')?.keyNode, 'has both "command" and "script"; keep one');
  }

  const dependsEntry = keys.get('depends');
  const outputEntry = keys.get('output');
  const spec: StepSpec = {
    name,
    description: readText(r, keys.get('description'), inStep('description')),
    type,
    executor,
    call,
    command: type === 'approval' ? null : command,
    script: type === 'approval' ? null : script,
    shell: shell?.trim() || DEFAULT_SHELL,
    dir: readText(r, keys.get('dir'), inStep('dir')),
    env: readKeyValues(r, keys.get('env'), inStep('env')),
    depends: [],
    output: readOutput(r, outputEntry, inStep('output')),
    retryPolicy: readRetryPolicy(r, keys.get('retryPolicy'), inStep('retryPolicy')),
    timeoutSec: readNumber(r, keys.get('timeoutSec'), inStep('timeoutSec'), { min: 0, exclusive: true, expected: 'a positive number of seconds' }),
    continueOn: readContinueOn(r, keys.get('continueOn'), inStep('continueOn')),
    preconditions: readPreconditions(r, keys.get('preconditions'), inStep('preconditions')),
  };
  return {
    spec,
    where,
    node,
    nameNode: nameEntry?.at ?? null,
    depends: dependsEntry ? readDependsItems(r, dependsEntry, inStep('depends')) : null,
    outputNode: outputEntry?.at ?? null,
  };
}

function readDependsItems(r: YamlReader, entry: Entry, where: Where): { name: string; node: Node }[] {
  const value = entry.value;
  if (isEmpty(value)) return [];
  const nodes = isSeq(value) ? value.items.map((node) => r.resolve(node as Node, where)) : [value];
  const items: { name: string; node: Node }[] = [];
  for (const node of nodes) {
    if (!node || !isScalar(node) || node.value === null) {
      r.report(where, node ?? entry.at, `must be a step name or a list of step names, got ${describe(node)}`);
      continue;
    }
    const name = scalarText(node);
    if (!items.some((existing) => existing.name === name)) items.push({ name, node });
  }
  return items;
}

function readOutput(r: YamlReader, entry: Entry | undefined, where: Where): string | null {
  const output = readText(r, entry, where);
  if (output === null || VARIABLE_NAME_PATTERN.test(output)) return output;
  r.report(where, entry?.at, `must be a variable name (${VARIABLE_RULE}), got "${output}"`);
  return null;
}

function readRetryPolicy(r: YamlReader, entry: Entry | undefined, where: Where): StepSpec['retryPolicy'] {
  const none = { limit: 0, intervalSec: 0 };
  if (!entry || isEmpty(entry.value)) return none;
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map like {limit: 3, intervalSec: 10}, got ${describe(entry.value)}`);
    return none;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, {
    supported: ['limit', 'intervalSec'],
    dagu: { exitCode: null, backoff: null, maxIntervalSec: null },
  });
  if (!keys.has('limit')) r.report(where, entry.value, 'missing "limit" (how many times to retry)');
  return {
    limit: readNumber(r, keys.get('limit'), field(where, 'limit'), { min: 0, integer: true, expected: 'a whole number of retries, 0 or more' }) ?? 0,
    intervalSec: readNumber(r, keys.get('intervalSec'), field(where, 'intervalSec'), { min: 0, expected: 'a number of seconds, 0 or more' }) ?? 0,
  };
}

function readContinueOn(r: YamlReader, entry: Entry | undefined, where: Where): StepSpec['continueOn'] {
  const continueOn = { failure: false, skipped: false, exitCodes: [] as number[] };
  if (!entry || isEmpty(entry.value)) return continueOn;
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map like {failure: true}, got ${describe(entry.value)}`);
    return continueOn;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, {
    supported: ['failure', 'skipped', 'exitCode'],
    dagu: { output: null, markSuccess: null },
  });
  continueOn.failure = readBoolean(r, keys.get('failure'), field(where, 'failure')) ?? false;
  continueOn.skipped = readBoolean(r, keys.get('skipped'), field(where, 'skipped')) ?? false;
  const exitCode = keys.get('exitCode');
  if (exitCode && !isEmpty(exitCode.value)) {
    const codeWhere = field(where, 'exitCode');
    const nodes = isSeq(exitCode.value) ? exitCode.value.items.map((node) => r.resolve(node as Node, codeWhere)) : [exitCode.value];
    for (const node of nodes) {
      const code = readNumberNode(r, node, node ?? exitCode.at, codeWhere, { min: 0, max: 255, integer: true, expected: 'an exit code from 0 to 255, or a list of them' });
      if (code !== null && !continueOn.exitCodes.includes(code)) continueOn.exitCodes.push(code);
    }
  }
  return continueOn;
}

/** `{condition, expected}` maps; a bare command, or a condition without expected, must exit 0 (see exitZeroCondition). */
function readPreconditions(r: YamlReader, entry: Entry | undefined, where: Where): StepSpec['preconditions'] {
  if (!entry || isEmpty(entry.value)) return [];
  const list = isSeq(entry.value);
  const nodes = isSeq(entry.value) ? entry.value.items.map((node, index) => r.resolve(node as Node, item(where, index))) : [entry.value];
  const preconditions: StepSpec['preconditions'] = [];
  nodes.forEach((node, index) => {
    const itemWhere = list ? item(where, index) : where;
    const precondition = readPrecondition(r, node, itemWhere, node ?? entry.at);
    if (precondition) preconditions.push(precondition);
  });
  return preconditions;
}

function readPrecondition(r: YamlReader, node: Node | null, where: Where, at: Node): StepSpec['preconditions'][number] | null {
  const shape = 'must be {condition: "...", expected: "..."} or a command that must exit 0';
  if (node && isScalar(node) && node.value !== null) {
    const command = scalarText(node);
    if (command.trim() === '') r.report(where, node, `${shape}, got ""`);
    return exitZeroCondition(command);
  }
  if (!node || !isMap(node)) {
    r.report(where, node ?? at, `${shape}, got ${describe(node)}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(node, where), where, { supported: ['condition', 'expected'], dagu: { negate: null } });
  const condition = readText(r, keys.get('condition'), field(where, 'condition'));
  if (condition === null || condition.trim() === '') {
    r.report(where, keys.get('condition')?.at ?? node, 'needs a non-empty "condition"');
    return null;
  }
  const expectedEntry = keys.get('expected');
  const expected = readText(r, expectedEntry, field(where, 'expected'));
  if (expected === null) return exitZeroCondition(condition);
  if (expected.startsWith('re:')) {
    try {
      new RegExp(expected.slice(3));
    } catch (error) {
      r.report(field(where, 'expected'), expectedEntry?.at, `invalid regular expression after "re:": ${(error as Error).message}`);
    }
  }
  return { condition, expected };
}

function readKeyValues(r: YamlReader, entry: Entry | undefined, where: Where): KeyValue[] {
  if (!entry || isEmpty(entry.value)) return [];
  const value = entry.value;
  const found: { pair: KeyValue; where: Where }[] = [];
  const add = (name: string, valueNode: Node | null, nameNode: Node, pairWhere: Where, valueText?: string) => {
    if (!VARIABLE_NAME_PATTERN.test(name)) {
      r.report(pairWhere, nameNode, `"${name}" is not a valid name; ${VARIABLE_RULE}`);
      return;
    }
    const first = found.find((existing) => existing.pair.name === name);
    if (first) {
      r.report(pairWhere, nameNode, `"${name}" is set twice (first in ${first.where.label}); keep one`);
      return;
    }
    let text = valueText ?? '';
    if (valueText === undefined && valueNode && !isEmpty(valueNode)) {
      if (isScalar(valueNode)) text = scalarText(valueNode);
      else r.report(field(pairWhere, name), valueNode, `must be a string, number or boolean, got ${describe(valueNode)}`);
    }
    found.push({ pair: { name, value: text }, where: pairWhere });
  };
  const addMap = (map: Node, mapWhere: Where) => {
    for (const pair of r.entries(map, mapWhere)) add(pair.key, pair.value, pair.keyNode, mapWhere);
  };

  if (isMap(value)) {
    addMap(value, where);
  } else if (isSeq(value)) {
    value.items.forEach((itemNode, index) => {
      const itemWhere = item(where, index);
      const node = r.resolve(itemNode as Node, itemWhere);
      if (node && isMap(node)) {
        addMap(node, itemWhere);
      } else if (node && isScalar(node) && typeof node.value === 'string') {
        const separator = node.value.indexOf('=');
        if (separator === -1) {
          const positional = where.path === 'params' ? ' (positional parameters are not supported)' : '';
          r.report(itemWhere, node, `"${node.value}" has no "="; write NAME=value${positional}`);
        } else {
          add(node.value.slice(0, separator).trim(), null, node, itemWhere, node.value.slice(separator + 1));
        }
      } else {
        r.report(itemWhere, node ?? entry.at, `must be NAME=value or {NAME: value}, got ${describe(node)}`);
      }
    });
  } else {
    r.report(where, entry.at, `must be a map like {NAME: value} or a list of NAME=value, got ${describe(value)}`);
  }
  return found.map((entryFound) => entryFound.pair);
}

/** Dagu's `workerSelector: {region: eu}`: labels a worker must have, each with this value. */
function readWorkerSelector(r: YamlReader, entry: Entry | undefined, where: Where): Labels {
  if (!entry || isEmpty(entry.value)) return {};
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map of labels like {region: eu}, got ${describe(entry.value)}`);
    return {};
  }
  // Refused before any label is read, like a list of too many steps.
  if (entry.value.items.length > MAX_LABELS) {
    r.report(where, entry.at, `has ${entry.value.items.length} labels; a selector may name at most ${MAX_LABELS}`);
    return {};
  }
  const pairs: [string, string][] = [];
  for (const label of r.entries(entry.value, where)) {
    const labelWhere = field(where, label.key);
    if (!LABEL_NAME_PATTERN.test(label.key)) {
      r.report(where, label.keyNode, `"${label.key}" is not a valid label name; ${LABEL_NAME_RULE}`);
      continue;
    }
    const value = label.value && isScalar(label.value) && label.value.value !== null ? scalarText(label.value) : null;
    if (value === null) {
      r.report(labelWhere, label.at, `must be the label's value (a string such as "eu"), got ${describe(label.value)}`);
    } else if (!LABEL_VALUE_PATTERN.test(value)) {
      r.report(labelWhere, label.at, `"${value}" is not a valid label value; ${LABEL_VALUE_RULE}`);
    } else {
      pairs.push([label.key, value]);
    }
  }
  return Object.fromEntries(pairs);
}

function readTags(r: YamlReader, entry: Entry | undefined, where: Where): string[] {
  if (!entry || isEmpty(entry.value)) return [];
  const value = entry.value;
  let tags: string[] = [];
  if (isScalar(value)) {
    tags = scalarText(value).split(',');
  } else if (isSeq(value)) {
    value.items.forEach((itemNode, index) => {
      const node = r.resolve(itemNode as Node, item(where, index));
      if (node && isScalar(node) && node.value !== null) tags.push(scalarText(node));
      else r.report(item(where, index), node ?? entry.at, `must be a tag (a string), got ${describe(node)}`);
    });
  } else {
    r.report(where, entry.at, `must be a list of strings or a comma-separated string, got ${describe(value)}`);
  }
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

function readSchedule(r: YamlReader, entry: Entry | undefined, where: Where): WorkflowSpec['schedule'] {
  if (!entry || isEmpty(entry.value)) return [];
  const value = entry.value;
  if (isMap(value)) {
    r.report(where, entry.at, 'start/stop/restart schedules are a Dagu feature Runtrail does not support yet; write one cron expression or a list of them');
    return [];
  }
  const nodes = isSeq(value) ? value.items.map((node, index) => r.resolve(node as Node, item(where, index))) : [value];
  const schedule: WorkflowSpec['schedule'] = [];
  nodes.forEach((node, index) => {
    const entryWhere = item(where, index);
    if (!node || !isScalar(node) || typeof node.value !== 'string') {
      r.report(entryWhere, node ?? entry.at, `must be a cron expression such as "0 3 * * *", got ${describe(node)}`);
      return;
    }
    const parsed = parseScheduleEntry(node.value);
    if (parsed.ok) schedule.push(parsed.entry);
    else r.report(entryWhere, node, parsed.reason);
  });
  return schedule;
}

function readText(r: YamlReader, entry: Entry | undefined, where: Where, expected = 'a string'): string | null {
  if (!entry || isEmpty(entry.value)) return null;
  if (entry.value && isScalar(entry.value)) return scalarText(entry.value);
  r.report(where, entry.at, `must be ${expected}, got ${describe(entry.value)}`);
  return null;
}

function readChoice(r: YamlReader, entry: Entry | undefined, where: Where, choices: readonly string[]): string | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? scalarText(entry.value) : null;
  if (value !== null && choices.includes(value)) return value;
  const options = choices.map((choice) => `"${choice}"`);
  const list = `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`;
  r.report(where, entry.at, `must be ${list}, got ${describe(entry.value)}${value === null ? '' : didYouMean(value, choices)}`);
  return null;
}

interface NumberRule {
  min: number;
  max?: number;
  exclusive?: boolean;
  integer?: boolean;
  /** What a right value is, for the message: "a positive number of seconds". */
  expected: string;
}

function readNumber(r: YamlReader, entry: Entry | undefined, where: Where, rule: NumberRule): number | null {
  if (!entry || isEmpty(entry.value)) return null;
  return readNumberNode(r, entry.value, entry.at, where, rule);
}

function readNumberNode(r: YamlReader, node: Node | null, at: Node, where: Where, rule: NumberRule): number | null {
  const value = node && isScalar(node) ? node.value : null;
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.exclusive ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value))
  ) {
    return value;
  }
  const quoted = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? ' (a quoted string; write it without quotes)' : '';
  r.report(where, node ?? at, `must be ${rule.expected}, got ${describe(node)}${quoted}`);
  return null;
}

function readBoolean(r: YamlReader, entry: Entry | undefined, where: Where): boolean | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? entry.value.value : null;
  if (typeof value === 'boolean') return value;
  const quoted = value === 'true' || value === 'false' ? ' (a quoted string; write it without quotes)' : '';
  r.report(where, entry.at, `must be true or false, got ${describe(entry.value)}${quoted}`);
  return null;
}
