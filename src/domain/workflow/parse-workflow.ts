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
  HANDLER_KINDS,
  HANDLER_STEP_NAMES,
  MAX_WORKFLOW_STEPS,
  STEP_NAME_PATTERN,
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
import { readParams } from './parse-params.ts';
import { NO_CONTINUE, NO_RETRY, readContinueOn, readOutput, readRepeatPolicy, readRetryPolicy, readShell, readStopSignal } from './parse-step-policies.ts';
import { readBoolean, readChoice, readKeyValues, readNumber, readPreconditions, readText } from './read-values.ts';
import { describe, field, isEmpty, item, ROOT, scalarText, spelledAs, YamlReader, type Entry, type Where } from './yaml-reader.ts';

const LOG_OUTPUT_NOTE = 'Runtrail keeps stdout and stderr of a step in one log; write "stdout"/"stderr" on a step for files of their own';

/** Dagu settings Runtrail accepts and provides another way: each is said once, in a note. */
const NOTED_WORKFLOW_KEYS: Readonly<Record<string, string>> = {
  queue: 'Runtrail has no named queues: each workflow queues its own runs and runs max_active_runs of them at once (the server-wide bound is MAX_ACTIVE_RUNS); the queue name is not used',
  logDir: 'Runtrail keeps step logs itself, under DATA_DIR/logs and in the database (the run page and `runtrail logs` show them); log_dir is not used',
  logOutput: LOG_OUTPUT_NOTE,
  group: 'Runtrail groups workflows by project and by "tags"; group is not used',
  restartWaitSec: 'Runtrail restarts nothing by itself; restart_wait_sec is not used',
  maxCleanUpTimeSec: 'the server\'s KILL_GRACE_MS sets how long a stopped step has before SIGKILL; max_clean_up_time_sec is not used',
  maxActiveSteps: 'the server\'s MAX_PARALLEL_STEPS_PER_RUN bounds the steps of one run running at once; max_active_steps is not used',
  maxOutputSize: 'Runtrail keeps up to 1 MiB of a step\'s output (STEP_LOG_MAX_BYTES bounds its log); max_output_size is not used',
};

const WORKFLOW_KEYS = [
  'name',
  'description',
  'tags',
  'schedule',
  'missedTicks',
  'params',
  'env',
  'dotenv',
  'maxActiveRuns',
  'workerSelector',
  'histRetentionDays',
  'histRetentionRuns',
  'handlerOn',
  'steps',
  'mailOn',
  'smtp',
  'ssh',
  'errorMail',
  'infoMail',
  'type',
  'defaults',
  'timeoutSec',
  'delaySec',
  'preconditions',
  'precondition',
  'shell',
  'workingDir',
  ...Object.keys(NOTED_WORKFLOW_KEYS),
];
const DAGU_WORKFLOW_KEYS: Record<string, string | null> = {
  skipIfSuccessful: 'a schedule runs every tick; check in a precondition whether the work is done',
  container: 'run "docker run ..." in a command step',
  otel: null,
  runConfig: null,
  secrets: 'pass secrets to steps through the server environment (STEP_ENV_PASSTHROUGH) and "env"',
  registryAuths: null,
  retryPolicy: 'set retry_policy on the steps, or once for all of them in "defaults"',
  catchupWindow: 'missed_ticks: latest runs the latest tick missed while the server was down',
  overlapPolicy: 'max_active_runs bounds the runs of a workflow at once; the others wait in the queue',
  llm: null,
  harness: null,
  harnesses: null,
  s3: null,
  redis: null,
  kubernetes: null,
};

const STEP_KEYS = [
  'name',
  'id',
  'description',
  'type',
  'command',
  'script',
  'shell',
  'dir',
  'workingDir',
  'env',
  'depends',
  'output',
  'retryPolicy',
  'repeatPolicy',
  'timeoutSec',
  'continueOn',
  'preconditions',
  'precondition',
  'stdout',
  'stderr',
  'signalOnStop',
  'mailOnError',
  'logOutput',
  'executor',
  'with',
  ...CALL_STEP_KEYS,
];
const DAGU_STEP_KEYS: Record<string, string | null> = {
  config: null,
  args: 'write the arguments in "command"',
  container: 'run "docker run ..." in the command',
  approval: 'write type: approval for a step that waits for a person',
  workerSelector: 'worker_selector is set for the whole workflow',
  shellPackages: null,
  llm: null,
  agent: null,
};
/** What `defaults` may set for every step. */
const DEFAULTS_KEYS = ['retryPolicy', 'continueOn', 'repeatPolicy', 'timeoutSec', 'mailOnError', 'signalOnStop', 'env', 'preconditions'];
const HANDLER_FORBIDDEN_KEYS = {
  depends: 'a handler runs when the workflow ends, so it has no "depends"; remove it',
  output: 'nothing runs after a handler to use its "output"; remove it',
};
const DAGU_HANDLER_KEYS: Record<string, string | null> = {
  cancel: 'it is Dagu\'s older name for "abort"; write abort',
  wait: null,
  init: 'put the step first in "steps": in a chain every other step waits for it',
};

const NAME_RULE = 'use up to 100 letters, digits, "_", "." and "-", starting with a letter or digit';
const STEP_NAME_RULE = 'use up to 100 letters, digits, spaces and _ . : , ( ) # + @ -, starting with a letter or digit';
/** Dagu's `id`: what `${id.stdout}` names, so a word a reference can hold. */
const STEP_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Parses a workflow file: Dagu's YAML, keys in snake_case or camelCase (see WorkflowSpec for
 * what is read, and NOTED_WORKFLOW_KEYS for what is accepted and done another way). Every
 * problem in the file is reported, each with the line and column of the YAML node it is
 * about; only YAML syntax errors stop the reading early, since the tree after them is a guess.
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
        ? 'the file holds several documents (separated by "---") in a way that cannot be split; start each workflow after it with a line "---" of its own'
        : error.message;
    reader.reportYaml(error, 'invalid YAML', text);
  }
  if (document.errors.length > 0) return { ok: false, problems: reader.sortedProblems() };
  for (const warning of document.warnings) reader.reportYaml(warning, 'YAML');
  const spec = readWorkflow(reader, reader.resolve(document.contents as Node | null, ROOT), options.defaultName, options.maxSteps ?? MAX_WORKFLOW_STEPS);
  return spec && reader.problems.length === 0 ? { ok: true, spec, notes: reader.notes } : { ok: false, problems: reader.sortedProblems() };
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
  /** A name written but refused: steps that depend on it are not reported again. */
  refusedName: string | null;
  idNode: Node | null;
  /** Null when the step has no `depends` key: in a chain it follows the steps before it (`after`), in a graph it starts at once. */
  depends: { name: string; node: Node }[] | null;
  /** The steps a chain puts before this one: the previous entry of `steps` (all of it, when that was a parallel group). */
  after: number[];
  outputNode: Node | null;
}

/** What `defaults` and the DAG-level `shell` and `working_dir` give every step that does not set its own. */
interface StepDefaults {
  values: Partial<Pick<StepSpec, 'retryPolicy' | 'continueOn' | 'repeatPolicy' | 'timeoutSec' | 'signalOnStop' | 'dir'>> & { shell?: { shell: string; args: string[] } };
  env: KeyValue[];
  preconditions: StepSpec['preconditions'];
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
  const rootWhere = spelledAs(ROOT, keys);
  const at = (key: string) => field(rootWhere, key);
  noteWorkflowKeys(r, keys, rootWhere);

  const graph = readChoice(r, keys.get('type'), at('type'), ['chain', 'graph']) === 'graph';
  const defaults = readDefaults(r, keys, rootWhere);
  const handlerOn = readHandlers(r, keys.get('handlerOn'), at('handlerOn'), defaults);
  const stepsEntry = keys.get('steps');
  const steps = stepsEntry ? readSteps(r, stepsEntry, at('steps'), handlerOn, maxSteps, { graph, defaults }) : [];
  if (!stepsEntry) r.report(at('steps'), root, 'missing; a workflow needs a non-empty list of steps, each with a command');
  attachSmtp(r, [...steps, ...handlerOn.values()], keys.get('smtp'));
  applyWorkflowSsh(r, steps, keys.get('ssh'));

  return {
    name: readWorkflowName(r, keys.get('name'), root, defaultName),
    description: readText(r, keys.get('description'), at('description')),
    tags: readTags(r, keys.get('tags'), at('tags')),
    schedule: readSchedule(r, keys.get('schedule'), at('schedule')),
    missedTicks: (readChoice(r, keys.get('missedTicks'), at('missedTicks'), ['skip', 'latest']) ?? 'skip') as WorkflowSpec['missedTicks'],
    ...paramsOf(readParams(r, keys.get('params'), at('params'))),
    env: readKeyValues(r, keys.get('env'), at('env')),
    dotenv: readDotenv(r, keys.get('dotenv'), at('dotenv')),
    preconditions: [...readPreconditions(r, keys.get('preconditions'), at('preconditions')), ...readPreconditions(r, keys.get('precondition'), at('precondition'))],
    timeoutSec: readNumber(r, keys.get('timeoutSec'), at('timeoutSec'), { min: 0, exclusive: true, max: 366 * 24 * 3600, expected: 'a positive number of seconds' }),
    delaySec: readNumber(r, keys.get('delaySec'), at('delaySec'), { min: 0, max: 24 * 3600, expected: 'a number of seconds from 0 to 86400' }) ?? 0,
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
    mail: readMail(r, keys, rootWhere),
    handlerOn: Object.fromEntries([...handlerOn].map(([kind, draft]) => [kind, draft.spec])),
    steps: steps.map((draft) => draft.spec),
    localWorkflows: [],
  };
}

function paramsOf(read: ReturnType<typeof readParams>): Pick<WorkflowSpec, 'params' | 'paramRules'> {
  return { params: read.params, paramRules: read.rules };
}

const MAX_DOTENV_FILES = 20;

/** Dagu's `dotenv`: a path or a list of paths (read when a run starts; see WorkflowSpec.dotenv). */
function readDotenv(r: YamlReader, entry: Entry | undefined, where: Where): string[] {
  if (!entry || isEmpty(entry.value)) return [];
  const nodes = isSeq(entry.value) ? entry.value.items.map((node, index) => r.resolve(node as Node, item(where, index))) : [entry.value];
  const files: string[] = [];
  nodes.forEach((node, index) => {
    const text = node && isScalar(node) && node.value !== null ? scalarText(node).trim() : '';
    if (text === '' || text.includes('\0')) r.report(isSeq(entry.value) ? item(where, index) : where, node ?? entry.at, `must be the path of a .env file, or a list of them, got ${describe(node)}`);
    else if (!files.includes(text)) files.push(text);
  });
  if (files.length > MAX_DOTENV_FILES) r.report(where, entry.at, `names ${files.length} files; at most ${MAX_DOTENV_FILES}`);
  return files;
}

/** Dagu's `defaults` (step defaults), with the DAG-level `shell` and `working_dir` (which Dagu gives every step too). */
function readDefaults(r: YamlReader, rootKeys: ReadonlyMap<string, Entry>, root: Where): StepDefaults {
  const defaults: StepDefaults = { values: {}, env: [], preconditions: [] };
  const shell = readShell(r, rootKeys.get('shell'), field(root, 'shell'));
  if (shell) defaults.values.shell = shell;
  const dir = readText(r, rootKeys.get('workingDir'), field(root, 'workingDir'));
  if (dir !== null && dir.trim() !== '') defaults.values.dir = dir;
  const entry = rootKeys.get('defaults');
  const where = field(root, 'defaults');
  if (!entry || isEmpty(entry.value)) return defaults;
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map of step settings such as {retry_policy: {limit: 2}}, got ${describe(entry.value)}`);
    return defaults;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: DEFAULTS_KEYS, dagu: { agent: null } });
  const at = (key: string) => field(spelledAs(where, keys), key);
  if (keys.has('retryPolicy')) defaults.values.retryPolicy = readRetryPolicy(r, keys.get('retryPolicy'), at('retryPolicy'));
  if (keys.has('continueOn')) defaults.values.continueOn = readContinueOn(r, keys.get('continueOn'), at('continueOn'));
  if (keys.has('repeatPolicy')) defaults.values.repeatPolicy = readRepeatPolicy(r, keys.get('repeatPolicy'), at('repeatPolicy'));
  if (keys.has('timeoutSec')) defaults.values.timeoutSec = readStepTimeout(r, keys.get('timeoutSec'), at('timeoutSec'));
  if (keys.has('signalOnStop')) defaults.values.signalOnStop = readStopSignal(r, keys.get('signalOnStop'), at('signalOnStop')) ?? 'SIGTERM';
  if (keys.has('mailOnError')) noteMailOnError(r, keys.get('mailOnError'), at('mailOnError'));
  defaults.env = readKeyValues(r, keys.get('env'), at('env'));
  defaults.preconditions = readPreconditions(r, keys.get('preconditions'), at('preconditions'));
  return defaults;
}

function readStepTimeout(r: YamlReader, entry: Entry | undefined, where: Where): number | null {
  // Dagu's 0 is "no timeout".
  if (entry?.value && isScalar(entry.value) && entry.value.value === 0) return null;
  return readNumber(r, entry, where, { min: 0, exclusive: true, expected: 'a positive number of seconds' });
}

function noteMailOnError(r: YamlReader, entry: Entry | undefined, where: Where): void {
  if (readBoolean(r, entry, where)) r.note(where, entry?.keyNode, 'Runtrail mails about the run, not one step: mail_on: {failure: true} sends a mail when the run fails, naming the step that failed');
}

function noteWorkflowKeys(r: YamlReader, keys: ReadonlyMap<string, Entry>, root: Where): void {
  for (const [key, text] of Object.entries(NOTED_WORKFLOW_KEYS)) {
    const entry = keys.get(key);
    if (entry) r.note(field(root, key), entry.keyNode, text);
  }
}

const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** `mailOn` with the `smtp` server and the `errorMail`/`infoMail` addressing the kinds it turns on need. */
function readMail(r: YamlReader, keys: ReadonlyMap<string, Entry>, root: Where): WorkflowMail | null {
  const mailOn = { entry: keys.get('mailOn'), where: field(root, 'mailOn') };
  const smtpEntry = keys.get('smtp');
  const errorMail = { entry: keys.get('errorMail'), where: field(root, 'errorMail') };
  const infoMail = { entry: keys.get('infoMail'), where: field(root, 'infoMail') };
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

function readSteps(
  r: YamlReader,
  entry: Entry,
  where: Where,
  handlers: ReadonlyMap<HandlerKind, StepDraft>,
  maxSteps: number,
  options: { graph: boolean; defaults: StepDefaults },
): StepDraft[] {
  if (isMap(entry.value) && entry.value.items.length > 0) return readStepMap(r, entry.value, where, handlers, maxSteps, options);
  if (!isSeq(entry.value) || entry.value.items.length === 0) {
    r.report(where, entry.at, `must be a non-empty list of steps, each a command or a map with a command, got ${describe(entry.value)}`);
    return [];
  }
  // Dagu's parallel group (a list inside the list) holds several steps: counted each.
  const count = entry.value.items.reduce<number>((total, node) => total + (isSeq(node) ? node.items.length : 1), 0);
  // Refused before any step is read: the cost of the rest grows with the steps.
  if (count > maxSteps) {
    r.report(where, entry.at, `has ${count} steps; a workflow may have at most ${maxSteps}; split it into several workflows`);
    return [];
  }
  const drafts: StepDraft[] = [];
  let previousGroup: number[] = [];
  entry.value.items.forEach((itemNode, index) => {
    const node = r.resolve(itemNode as Node, item(where, index));
    const group: number[] = [];
    const members = node && isSeq(node) ? node.items.map((member, inner) => ({ node: r.resolve(member as Node, item(item(where, index), inner)), inner })) : [{ node, inner: null }];
    for (const member of members) {
      const whereFor = (name: string | null) => (member.inner === null ? item(where, index, name) : item(item(where, index), member.inner, name));
      const draft = readStep(r, member.node, whereFor, null, entry.at, { index: drafts.length, defaults: options.defaults, after: options.graph ? [] : previousGroup });
      if (draft) {
        group.push(drafts.length);
        drafts.push(draft);
      }
    }
    previousGroup = group;
  });
  checkStepNames(r, drafts, handlers);
  resolveDepends(r, drafts);
  checkOutputs(r, drafts);
  return drafts;
}

/** Dagu's map form of `steps` (`steps: {build: {command: make}}`): each key names its step; in a chain they follow in the file's order. */
function readStepMap(r: YamlReader, map: Node, where: Where, handlers: ReadonlyMap<HandlerKind, StepDraft>, maxSteps: number, options: { graph: boolean; defaults: StepDefaults }): StepDraft[] {
  const entries = r.entries(map, where);
  if (entries.length > maxSteps) {
    r.report(where, map, `has ${entries.length} steps; a workflow may have at most ${maxSteps}; split it into several workflows`);
    return [];
  }
  const drafts: StepDraft[] = [];
  for (const entry of entries) {
    if (!STEP_NAME_PATTERN.test(entry.key)) {
      r.report(where, entry.keyNode, `"${entry.key}" is not a valid step name; ${STEP_NAME_RULE}`);
      continue;
    }
    const stepWhere = (name: string | null) => ({ label: `${where.label}.${name ?? entry.key}`, path: `${where.path}.${entry.key}` });
    const after = options.graph || drafts.length === 0 ? [] : [drafts.length - 1];
    const draft = readStep(r, entry.value, stepWhere, null, entry.at, { index: drafts.length, defaults: options.defaults, after, mapKey: entry.key });
    if (draft) drafts.push(draft);
  }
  checkStepNames(r, drafts, handlers);
  resolveDepends(r, drafts);
  checkOutputs(r, drafts);
  return drafts;
}

function checkStepNames(r: YamlReader, drafts: readonly StepDraft[], handlers: ReadonlyMap<HandlerKind, StepDraft>): void {
  const firstWithName = new Map<string, StepDraft>();
  const firstWithId = new Map<string, StepDraft>();
  const reserved = new Map([...handlers.keys()].map((kind) => [HANDLER_STEP_NAMES[kind], kind]));
  for (const draft of drafts) {
    const name = draft.spec.name;
    if (!name) continue;
    const first = firstWithName.get(name);
    const handler = reserved.get(name);
    if (first) {
      const generated = draft.nameNode ? '' : ' (the name Dagu gives a step without one; give this step a "name")';
      r.report(field(draft.where, 'name'), draft.nameNode ?? draft.node, `"${name}" is already the name of ${first.where.label}${generated}; step names must be unique`);
    } else if (handler) {
      r.report(field(draft.where, 'name'), draft.nameNode ?? draft.node, `"${name}" is the name of the handler_on.${handler} step; rename this step`);
    }
    if (!first) firstWithName.set(name, draft);
    const id = draft.spec.id;
    if (id === null) continue;
    const sameId = firstWithId.get(id);
    if (sameId) r.report(field(draft.where, 'id'), draft.idNode, `"${id}" is already the id of ${sameId.where.label}; ids must be unique`);
    else firstWithId.set(id, draft);
  }
  for (const draft of drafts) {
    const id = draft.spec.id;
    const named = id === null ? undefined : firstWithName.get(id);
    if (id !== null && named && named !== draft) r.report(field(draft.where, 'id'), draft.idNode, `"${id}" is the name of ${named.where.label}; an id must not be another step's name`);
  }
}

/** Fills in each step's depends (a chain's order when the key is absent, ids read as their step) and reports unknown steps and cycles. */
function resolveDepends(r: YamlReader, drafts: readonly StepDraft[]): void {
  const names = drafts.map((draft) => draft.spec.name).filter((name) => name !== '');
  const known = new Set(names);
  const byId = new Map(drafts.filter((draft) => draft.spec.id !== null).map((draft) => [draft.spec.id ?? '', draft.spec.name]));
  const refused = new Set(drafts.map((draft) => draft.refusedName).filter((name) => name !== null));
  let consistent = known.size === names.length && names.length === drafts.length && refused.size === 0;
  for (const draft of drafts) {
    if (draft.depends === null) {
      draft.spec.depends = draft.after.map((index) => drafts[index]?.spec.name ?? '').filter((name) => name !== '');
      continue;
    }
    const depends: string[] = [];
    for (const dependency of draft.depends) {
      const name = known.has(dependency.name) ? dependency.name : byId.get(dependency.name);
      if (name !== undefined) {
        if (!depends.includes(name)) depends.push(name);
        continue;
      }
      consistent = false;
      // The step's name was refused already; saying here that no step has it would say it twice.
      if (refused.has(dependency.name)) continue;
      const choices = [...names, ...byId.keys()];
      r.report(field(draft.where, 'depends'), dependency.node, `unknown step "${dependency.name}"${choices.length > 0 ? `; steps are: ${names.join(', ')}` : ''}${didYouMean(dependency.name, choices)}`);
    }
    draft.spec.depends = depends;
  }
  if (!consistent) return;

  const cycle = findCycle(drafts.map((draft) => draft.spec));
  if (!cycle) return;
  const [first, ...rest] = cycle;
  const firstDraft = drafts.find((draft) => draft.spec.name === first);
  const closing = firstDraft?.depends?.find((dependency) => dependency.name === cycle[cycle.length - 2]);
  const inCycle = new Set(cycle);
  const implicit = drafts.filter((draft) => draft.depends === null && inCycle.has(draft.spec.name)).map((draft) => draft.spec.name);
  const note = implicit.length
    ? ` (${implicit.join(', ')} ${implicit.length === 1 ? 'has' : 'have'} no "depends", so ${implicit.length === 1 ? 'it follows' : 'each follows'} the step before it; add depends: [] to start at once, or write type: graph)`
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

function readHandlers(r: YamlReader, entry: Entry | undefined, where: Where, defaults: StepDefaults): Map<HandlerKind, StepDraft> {
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
    const draft = readStep(r, handler.value, () => field(where, kind), kind, handler.at, { index: 0, defaults, after: [] });
    if (draft) handlers.set(kind, draft);
  }
  return handlers;
}

/**
 * Dagu names a step written without a name by what it runs and its place: `cmd_1` for the
 * first step of the list, `cmd_2` for the second…
 */
function generatedStepName(index: number): string {
  return `cmd_${index + 1}`;
}

/** Dagu's list form of `command`: each runs in turn, and the first that fails ends the step. */
function readCommand(r: YamlReader, entry: Entry | undefined, where: Where): string | null {
  if (entry?.value && isSeq(entry.value)) {
    const nodes = entry.value.items.map((node) => r.resolve(node as Node, where));
    const commands = nodes.map((node) => (node && isScalar(node) && node.value !== null ? scalarText(node) : null));
    if (commands.length === 0 || commands.some((command) => command === null || command.trim() === '')) {
      r.report(where, entry.at, `must be a command, or a list of commands that run in turn, got ${describe(entry.value)}`);
      return null;
    }
    // `{ ...\n}` groups without a subshell, so a `cd` or an export carries on to the next command as in Dagu.
    return commands.map((command) => `{ ${command}\n}`).join(' && ');
  }
  return readText(r, entry, where, 'a string (run by the shell), or a list of them');
}

/**
 * A step of `steps` (handler null) or a handler; `whereFor` names it `steps[2] (deploy)` or
 * `handler_on.failure`. A bare string is Dagu's shorthand for a step with that command.
 */
function readStep(
  r: YamlReader,
  node: Node | null,
  whereFor: (name: string | null) => Where,
  handler: HandlerKind | null,
  at: Node,
  context: { index: number; defaults: StepDefaults; after: number[]; mapKey?: string },
): StepDraft | null {
  const baseWhere = whereFor(null);
  if (node && isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '' && !handler) {
    const name = context.mapKey ?? generatedStepName(context.index);
    return { spec: commandStep(name, node.value, context.defaults), where: whereFor(name), node, nameNode: null, refusedName: null, idNode: null, depends: null, after: context.after, outputNode: null };
  }
  if (!node || !isMap(node)) {
    r.report(baseWhere, node ?? at, `must be a map with a command (or the command itself, as a string), got ${describe(node)}`);
    return null;
  }
  const entries = r.entries(node, baseWhere);
  let name = handler ? HANDLER_STEP_NAMES[handler] : (context.mapKey ?? generatedStepName(context.index));
  const nameEntry = entries.find((entry) => entry.key === 'name');
  let refusedName: string | null = null;
  if (!handler && nameEntry) {
    const written = readText(r, nameEntry, field(baseWhere, 'name'));
    if (written !== null && STEP_NAME_PATTERN.test(written)) name = written;
    else if (written !== null) {
      refusedName = written;
      r.report(field(baseWhere, 'name'), nameEntry.at, `"${written}" is not a valid step name; ${STEP_NAME_RULE}`);
    }
  }
  // Dagu's advice is an `id` on every step and a `name` only where the label differs: the id names it then.
  const idOnly = !handler && !nameEntry ? entries.find((entry) => entry.key === 'id') : undefined;
  const idText = idOnly?.value && isScalar(idOnly.value) ? scalarText(idOnly.value) : null;
  if (idText !== null && STEP_ID_PATTERN.test(idText)) name = idText;
  const plainWhere = handler ? baseWhere : whereFor(name);
  const keys = r.checkKeys(entries, plainWhere, {
    supported: handler ? STEP_KEYS.filter((key) => key !== 'name' && key !== 'id' && !(key in HANDLER_FORBIDDEN_KEYS)) : STEP_KEYS,
    dagu: DAGU_STEP_KEYS,
    forbidden: handler ? { ...HANDLER_FORBIDDEN_KEYS, name: `a handler is recorded as the step "${name}"; remove "name"` } : {},
  });
  const where = spelledAs(plainWhere, keys);
  const inStep = (key: string) => field(where, key);
  const defaults = context.defaults;

  const { type, executor } = readStepExecutor(r, keys, where, node);
  const call = readCall(r, keys, where);
  const command = readCommand(r, keys.get('command'), inStep('command'));
  const script = readText(r, keys.get('script'), inStep('script'), 'a string (a script run by "shell", or by "command")');
  const shell = keys.has('shell') ? readShell(r, keys.get('shell'), inStep('shell')) : (defaults.values.shell ?? null);
  for (const [key, value] of [['command', command], ['script', script]] as const) {
    const entry = keys.get(key);
    if (entry && (isEmpty(entry.value) || value?.trim() === '')) r.report(inStep(key), entry.at, 'must not be empty');
  }
  if (type === 'approval') {
    if (handler) r.report(inStep('type'), keys.get('type')?.at, 'a handler cannot wait for approval; remove "type"');
    for (const key of ['command', 'script', 'output']) {
      const entry = keys.get(key);
      if (entry) r.report(where, entry.keyNode, `an approval step waits for a person and runs nothing; remove "${entry.key}"`);
    }
  } else if (executorNeedsCommand(executor) && call === null && !keys.has('command') && !keys.has('script')) {
    r.report(where, node, 'needs a "command" or a "script" (or type: approval for a step that waits for a person)');
  }
  const dirKey = keys.has('dir') ? 'dir' : 'workingDir';
  if (keys.has('dir') && keys.has('workingDir')) r.report(where, keys.get('workingDir')?.keyNode, '"dir" is given too; keep one of them');
  const idEntry = keys.get('id');
  const id = readText(r, idEntry, inStep('id'));
  if (id !== null && !STEP_ID_PATTERN.test(id)) r.report(inStep('id'), idEntry?.at, `"${id}" is not a valid id; use up to 64 letters, digits, "_" and "-", starting with a letter`);
  if (keys.has('mailOnError')) noteMailOnError(r, keys.get('mailOnError'), inStep('mailOnError'));
  if (keys.has('logOutput')) r.note(inStep('logOutput'), keys.get('logOutput')?.keyNode, LOG_OUTPUT_NOTE);

  const dependsEntry = keys.get('depends');
  const output = readOutput(r, keys.get('output'), inStep('output'));
  const stepEnv = readKeyValues(r, keys.get('env'), inStep('env'));
  const spec: StepSpec = {
    ...commandStep(name, null, defaults),
    id: id !== null && STEP_ID_PATTERN.test(id) ? id : null,
    description: readText(r, keys.get('description'), inStep('description')),
    type,
    executor,
    call,
    command: type === 'approval' ? null : command,
    script: type === 'approval' ? null : script,
    shell: shell?.shell ?? DEFAULT_SHELL,
    shellArgs: shell?.args ?? [],
    stdout: readText(r, keys.get('stdout'), inStep('stdout')),
    stderr: readText(r, keys.get('stderr'), inStep('stderr')),
    signalOnStop: keys.has('signalOnStop') ? (readStopSignal(r, keys.get('signalOnStop'), inStep('signalOnStop')) ?? 'SIGTERM') : (defaults.values.signalOnStop ?? 'SIGTERM'),
    dir: keys.has(dirKey) ? readText(r, keys.get(dirKey), inStep(dirKey)) : (defaults.values.dir ?? null),
    env: [...defaults.env.filter((entry) => !stepEnv.some((own) => own.name === entry.name)), ...stepEnv],
    output: type === 'approval' ? null : output.name,
    outputOptions: output.options,
    retryPolicy: keys.has('retryPolicy') ? readRetryPolicy(r, keys.get('retryPolicy'), inStep('retryPolicy')) : (defaults.values.retryPolicy ?? NO_RETRY),
    repeatPolicy: keys.has('repeatPolicy') ? readRepeatPolicy(r, keys.get('repeatPolicy'), inStep('repeatPolicy')) : (defaults.values.repeatPolicy ?? null),
    timeoutSec: keys.has('timeoutSec') ? readStepTimeout(r, keys.get('timeoutSec'), inStep('timeoutSec')) : (defaults.values.timeoutSec ?? null),
    continueOn: keys.has('continueOn') ? readContinueOn(r, keys.get('continueOn'), inStep('continueOn')) : (defaults.values.continueOn ?? NO_CONTINUE),
    preconditions: [...defaults.preconditions, ...readPreconditions(r, keys.get('preconditions'), inStep('preconditions')), ...readPreconditions(r, keys.get('precondition'), inStep('precondition'))],
  };
  return {
    spec,
    where,
    node,
    nameNode: nameEntry?.at ?? null,
    refusedName,
    idNode: idEntry?.at ?? null,
    depends: dependsEntry ? readDependsItems(r, dependsEntry, inStep('depends')) : null,
    after: context.after,
    outputNode: output.nameNode,
  };
}

/** A command step with everything else left to the defaults: Dagu's string shorthand, and the base of every step. */
function commandStep(name: string, command: string | null, defaults: StepDefaults): StepSpec {
  return {
    name,
    id: null,
    description: null,
    type: 'command',
    executor: { kind: 'shell' },
    call: null,
    command,
    script: null,
    shell: defaults.values.shell?.shell ?? DEFAULT_SHELL,
    shellArgs: defaults.values.shell?.args ?? [],
    stdout: null,
    stderr: null,
    signalOnStop: defaults.values.signalOnStop ?? 'SIGTERM',
    dir: defaults.values.dir ?? null,
    env: defaults.env,
    depends: [],
    output: null,
    outputOptions: { key: null, omit: false },
    retryPolicy: defaults.values.retryPolicy ?? NO_RETRY,
    repeatPolicy: defaults.values.repeatPolicy ?? null,
    timeoutSec: defaults.values.timeoutSec ?? null,
    continueOn: defaults.values.continueOn ?? NO_CONTINUE,
    preconditions: defaults.preconditions,
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
  // Dagu's key=value tags (`{env: prod}`, `- team: data`) are kept as the text "env=prod".
  const addPairs = (map: Node, at: Where) => {
    for (const pair of r.entries(map, at)) {
      if (pair.value && isScalar(pair.value) && pair.value.value !== null) tags.push(`${pair.key}=${scalarText(pair.value)}`);
      else r.report(field(at, pair.key), pair.at, `must be the tag's value (a string), got ${describe(pair.value)}`);
    }
  };
  if (isScalar(value)) {
    tags = scalarText(value).split(',');
  } else if (isMap(value)) {
    addPairs(value, where);
  } else if (isSeq(value)) {
    value.items.forEach((itemNode, index) => {
      const node = r.resolve(itemNode as Node, item(where, index));
      if (node && isScalar(node) && node.value !== null) tags.push(scalarText(node));
      else if (node && isMap(node)) addPairs(node, item(where, index));
      else r.report(item(where, index), node ?? entry.at, `must be a tag (a string or {key: value}), got ${describe(node)}`);
    });
  } else {
    r.report(where, entry.at, `must be a list of tags or a comma-separated string, got ${describe(value)}`);
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
  nodes.forEach((written, index) => {
    const entryWhere = item(where, index);
    const node = written && isMap(written) ? typedScheduleEntry(r, written, entryWhere) : written;
    if (node === undefined) return;
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

/** Dagu's typed entry `{kind: cron, expression: "0 3 * * *"}`: its expression node; undefined when it was reported. */
function typedScheduleEntry(r: YamlReader, map: Node, where: Where): Node | null | undefined {
  const entries = r.entries(map, where);
  const keys = r.checkKeys(entries, where, { supported: ['kind', 'expression'], dagu: { at: 'a one-off start is a run triggered at that time (runtrail start, or the API); schedules here are cron expressions' } });
  // A one-off entry is reported once, by its "at", not again by its kind.
  if (entries.some((entry) => entry.key === 'at')) return undefined;
  readChoice(r, keys.get('kind'), field(spelledAs(where, keys), 'kind'), ['cron']);
  const expression = keys.get('expression');
  if (!expression) {
    r.report(where, map, 'needs an "expression", a cron expression such as "0 3 * * *"');
    return undefined;
  }
  return expression.value;
}

