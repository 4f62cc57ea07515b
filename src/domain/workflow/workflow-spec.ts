import type { DefinitionRetention } from '../retention/definition-retention.ts';
import type { ExecutorSpec } from './executor-spec.ts';
import type { SubWorkflowCall } from './sub-workflow-spec.ts';
import type { Labels } from './worker-selector.ts';

/**
 * A workflow definition after parsing: a documented subset of Dagu's YAML, with every default
 * filled in and every `depends` resolved, so the engine never looks at YAML.
 */

export interface KeyValue {
  name: string;
  value: string;
}

export interface StepSpec {
  name: string;
  /** Dagu's short `id`: `depends` may name it, and `${id.stdout}`, `${id.stderr}`, `${id.exit_code}` refer to the step's results. */
  id: string | null;
  description: string | null;
  /** `approval` waits for a person to approve or reject; it has no command. */
  type: 'command' | 'approval';
  /** What runs a command step: its shell (the default), or one of Dagu's executors (see ExecutorSpec). */
  executor: ExecutorSpec;
  /** A step that runs another workflow (Dagu's `call`/`run`) and nothing else; null for every other step. */
  call: SubWorkflowCall | null;
  /**
   * Run as `<shell> <shellArgs> -c <command>`. With a `script` too, the command is the program
   * the script file is given to (`command: perl`): `<command> <script file>`. Dagu's list form
   * (several commands, stopping at the first that fails) is joined into one command line here.
   */
  command: string | null;
  /** Written to a file and run by `shell` (or by `command` when both are given). */
  script: string | null;
  /** The shell program; `shellArgs` go before `-c` (Dagu's `shell: bash -o errexit -o pipefail`). */
  shell: string;
  shellArgs: string[];
  /** Files the step's stdout and stderr are written to as well as to its log (relative to its directory); null: the log only. */
  stdout: string | null;
  stderr: string | null;
  /** Dagu's `signal_on_stop`: what a cancel or timeout sends first (SIGKILL still follows after the grace period). */
  signalOnStop: StopSignal;
  dir: string | null;
  env: KeyValue[];
  /**
   * Names of the steps that must finish first. A step written without `depends` depends on
   * the step before it in the file (Dagu's chain); `depends: []` lets it start at once.
   */
  depends: string[];
  /**
   * A variable name: the step's trimmed stdout becomes `${NAME}` for the steps after it, and
   * `${NAME.field.0}` reads into it when it is JSON.
   */
  output: string | null;
  /** Dagu's object form `output: {name, key, omit}`: the name the output is listed under in the run's outputs, and whether it is left out of them. */
  outputOptions: { key: string | null; omit: boolean };
  /**
   * `limit` 0 means no retry. The wait before retry n is `intervalSec * backoff^(n-1)`, at most
   * `maxIntervalSec`; `exitCodes` (empty: any failure) are the exit codes that are retried.
   */
  retryPolicy: { limit: number; intervalSec: number; backoff: number; maxIntervalSec: number | null; exitCodes: number[] };
  /** Dagu's `repeat_policy`; null: the step runs once (retries aside). */
  repeatPolicy: RepeatPolicy | null;
  timeoutSec: number | null;
  /**
   * `failure`: a failure of this step lets its dependents run (the run ends PARTIALLY_SUCCEEDED);
   * `exitCodes`: the same, but only for these exit codes; `skipped`: a skip of this step lets
   * its dependents run instead of skipping them too.
   */
  continueOn: {
    failure: boolean;
    skipped: boolean;
    exitCodes: number[];
    /** A failure whose output (stdout and stderr) holds one of these texts, or matches one `re:` pattern, is allowed like `failure: true`. */
    output: string[];
    /** An allowed failure is recorded SUCCEEDED instead of FAILED. */
    markSuccess: boolean;
  };
  /**
   * All must hold or the step is SKIPPED. As in Dagu, `condition` is expanded by the shell as
   * the inside of a double-quoted string (`${VAR}`, `$(cmd)` and backticks work) and the result
   * is compared with `expected`: exactly, or as a regular expression when `expected` starts
   * with `re:`.
   *
   * Dagu's other form, a bare command that must exit 0 (`preconditions: ["test -f ready"]`,
   * or a `condition` without `expected`), is accepted and stored in that same shape:
   * `{ condition: '$({ test -f ready; } >/dev/null 2>&1 && echo true || echo false)', expected: 'true' }`
   * (see `exitZeroCondition`), so the engine knows one kind of precondition only.
   */
  preconditions: Precondition[];
}

/**
 * Runs the step again after it ends: `while` as long as the condition holds (or the exit code is
 * one of `exitCodes`, or, with neither, every time), `until` until it holds. At most `limit`
 * runs (null: no bound but the run's), waiting `intervalSec * backoff^(n-1)` (at most
 * `maxIntervalSec`) between two.
 */
export interface RepeatPolicy {
  mode: 'while' | 'until';
  condition: { condition: string; expected: string } | null;
  exitCodes: number[];
  intervalSec: number;
  limit: number | null;
  backoff: number;
  maxIntervalSec: number | null;
}

/** `negate` (Dagu's): the precondition holds when the condition does NOT give `expected` (or the command does not exit 0). */
export interface Precondition {
  condition: string;
  expected: string;
  negate?: true;
}

export interface ParamRule {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | null;
  choices: string[] | null;
  minimum: number | null;
  maximum: number | null;
  minLength: number | null;
  maxLength: number | null;
  pattern: string | null;
  required: boolean;
}

export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export const HANDLER_KINDS = ['success', 'failure', 'abort', 'exit'] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

/** Handlers are recorded as steps under these names, which regular steps therefore cannot use. */
export const HANDLER_STEP_NAMES: Readonly<Record<HandlerKind, string>> = {
  success: 'onSuccess',
  failure: 'onFailure',
  abort: 'onAbort',
  exit: 'onExit',
};

export interface WorkflowSpec {
  name: string;
  description: string | null;
  tags: string[];
  /**
   * Five-field cron expressions (or croner's nicknames such as `@daily`), without their
   * `CRON_TZ=` prefix. A null timezone means the server's local time zone, as in cron and Dagu.
   */
  schedule: { expression: string; timezone: string | null }[];
  /** Whether the scheduler runs the latest tick it missed while the server was down. */
  missedTicks: 'skip' | 'latest';
  /**
   * Named defaults; a run may override them. Values are raw text, expanded (with backticks run)
   * when a run starts. Positional params (Dagu's `params: "one two"`) are named "1", "2"…: they
   * are the shell's `$1`, `$2`…, not environment variables.
   */
  params: KeyValue[];
  /** The rules of Dagu's typed params (`type`, `enum`, `minimum`…): a run's given values are checked against them when it starts. */
  paramRules: ParamRule[];
  env: KeyValue[];
  /** `.env` files read when a run starts, relative to the workflow file's directory (WORKFLOWS_DIR for a workflow saved through the API). */
  dotenv: string[];
  /** Dagu's DAG-level `preconditions`: unmet, every step is SKIPPED and the run ends without running any. */
  preconditions: Precondition[];
  /** Dagu's DAG-level `timeout_sec`: the run is stopped after this long and ends FAILED; null: no bound. */
  timeoutSec: number | null;
  /** Dagu's `delay_sec`: how long a run waits before its first step; 0: none. */
  delaySec: number;
  maxActiveRuns: number;
  /**
   * Labels an executor must carry, each with this value, to run this workflow (Dagu's
   * `workerSelector`); empty: any executor. See matchesSelector.
   */
  workerSelector: Labels;
  /** What the file's `histRetentionDays` and `histRetentionRuns` set of the workflow's retention (see definitionRetention). */
  retention: DefinitionRetention;
  /** Dagu's `mailOn` with its `smtp`, `errorMail` and `infoMail`: the email alerts the file asks for; null: none. */
  mail: WorkflowMail | null;
  /** Handler steps have no `depends` and no `output`; their names are HANDLER_STEP_NAMES. */
  handlerOn: Partial<Record<HandlerKind, StepSpec>>;
  /** In file order, depends resolved. */
  steps: StepSpec[];
  /** The documents after `---` in the same file (Dagu's local sub-workflows), each saved as a workflow of the project. */
  localWorkflows: LocalWorkflow[];
}

/** A local sub-workflow: saved as `<workflow>.<name>` from its own document, its calls of its siblings renamed alike. */
export interface LocalWorkflow {
  name: string;
  definition: string;
}

/** Who gets one kind of Dagu mail (`errorMail` or `infoMail`). */
export interface MailAddressing {
  from: string;
  to: string[];
  /** Put before the subject (Dagu's `prefix`); null: none. */
  prefix: string | null;
}

/** What a workflow file's `mailOn`, `smtp`, `errorMail` and `infoMail` say: at least one of failure and success is on. */
export interface WorkflowMail {
  smtp: { host: string; port: number; username: string | null; password: string | null };
  /** `mailOn.failure`: the addressing of `errorMail`; null: off. */
  failure: MailAddressing | null;
  /** `mailOn.success`: the addressing of `infoMail`; null: off. */
  success: MailAddressing | null;
}

export interface SpecProblem {
  /** Complete and readable on its own: `steps[3] (deploy).depends: unknown step "biuld"; …`. */
  message: string;
  /** 1-based, from the YAML node the problem is about; null when no node is (an empty file). */
  line: number | null;
  column: number | null;
  /** The machine form of the message's prefix, without step names: `steps[3].depends`; "" for the whole file. */
  path: string;
}

/** `notes`: Dagu keys accepted that Runtrail gives another way (`log_dir`, `queue`…): what to use instead, never a refusal. */
export type ParseResult = { ok: true; spec: WorkflowSpec; notes: SpecProblem[] } | { ok: false; problems: SpecProblem[] };

export const WORKFLOW_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
/**
 * Dagu allows spaces in step names (`name: build the site`); Runtrail too, with the other
 * characters people write in a title, but none that a path, a shell word or `${...}` would
 * read differently (no "/", "$", quotes, backslash or backtick).
 */
export const STEP_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 _.:,()#+@-]{0,98}[A-Za-z0-9_.)])?$/;
/** Names of params, env entries and outputs: what `${NAME}` can refer to. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const DEFAULT_SHELL = 'sh';
export const DEFAULT_MAX_ACTIVE_RUNS = 1;
/**
 * Steps a workflow may have (handlers not counted). Every run of a workflow records each of
 * its steps, and the engine decides each step against the others, so the bound keeps both in
 * proportion; a longer pipeline is several workflows.
 */
export const MAX_WORKFLOW_STEPS = 1_000;

/**
 * Dagu's "this command must exit 0" precondition, in the compare-with-expected shape: the
 * command's own output is discarded, and the substitution prints true or false.
 */
export function exitZeroCondition(command: string): { condition: string; expected: string } {
  const body = command.trim();
  // A trailing comment or `&`, or several lines, would swallow or break a `; }` on the same line.
  const close = /[\n#]|&$/.test(body) ? '\n}' : '; }';
  return { condition: `$({ ${body}${close} >/dev/null 2>&1 && echo true || echo false)`, expected: 'true' };
}

/** The StepRun names of a workflow: its steps in file order, then its handlers. */
export function stepRunNames(spec: WorkflowSpec): string[] {
  const handlers = HANDLER_KINDS.filter((kind) => spec.handlerOn[kind]).map((kind) => HANDLER_STEP_NAMES[kind]);
  return [...spec.steps.map((step) => step.name), ...handlers];
}
