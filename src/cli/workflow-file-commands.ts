import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { splitWords } from '../domain/workflow/parse-step-policies.ts';
import { POSITIONAL_PARAM } from '../domain/workflow/parse-params.ts';
import { formatProblems, parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import { workflowJsonSchema } from '../domain/workflow/workflow-json-schema.ts';
import { HANDLER_KINDS, type ParseResult, type Precondition, type StepSpec, type WorkflowSpec } from '../domain/workflow/workflow-spec.ts';

/**
 * The commands that work on workflow files only, with no server and no database: `validate`,
 * `dry` (the plan of a run, nothing executed) and `schema` (the JSON Schema for editors).
 */
export function registerWorkflowFileCommands(program: Command): void {
  program
    .command('validate')
    .description('check workflow files; prints every problem with its line and column, exits 1 if any file is invalid')
    .argument('<files...>', 'workflow YAML files')
    .action((files: string[]) => process.exit(validate(files)));

  program
    .command('dry')
    .description('show what a run of a workflow file would do (steps in order, depends, params, preconditions) without running anything')
    .argument('<file>', 'workflow YAML file')
    .argument('[params...]', 'after --: NAME=value overrides, and positional params ($1, $2...)')
    .action((file: string, params: string[]) => process.exit(dry(file, params)));

  program
    .command('schema')
    .description('print the JSON Schema of workflow files (both key spellings), for editors')
    .action(() => {
      console.log(JSON.stringify(workflowJsonSchema(), null, 2));
    });
}

function parseFile(file: string): { parsed: ParseResult } | { error: string } {
  let yaml: string;
  try {
    yaml = readFileSync(file, 'utf8');
  } catch (error) {
    return { error: `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { parsed: parseWorkflow(yaml, { defaultName: path.basename(file).replace(/\.ya?ml$/, '') }) };
}

/** `runtrail validate FILE...`: every problem of every file, and the notes of valid ones; exit 1 when any file is invalid. */
function validate(files: string[]): number {
  let invalid = 0;
  for (const file of files) {
    const read = parseFile(file);
    if ('error' in read) {
      console.error(read.error);
      invalid += 1;
    } else if (read.parsed.ok) {
      console.log(`${file}: ok (${read.parsed.spec.name}, ${read.parsed.spec.steps.length} steps)`);
      for (const note of read.parsed.notes) console.log(`  note: ${formatProblems([note], file)}`);
    } else {
      console.error(formatProblems(read.parsed.problems, file));
      invalid += 1;
    }
  }
  return invalid === 0 ? 0 : 1;
}

/** `runtrail dry FILE [-- params]`: the plan of a run; exit 1 when the file or a param is invalid. */
function dry(file: string, words: string[]): number {
  const read = parseFile(file);
  if ('error' in read) {
    console.error(read.error);
    return 1;
  }
  if (!read.parsed.ok) {
    console.error(formatProblems(read.parsed.problems, file));
    return 1;
  }
  const spec = read.parsed.spec;
  const overrides = paramOverrides(words.flatMap((word) => splitWords(word) ?? [word]));
  const unknown = [...overrides.keys()].filter((name) => !spec.params.some((param) => param.name === name) && !POSITIONAL_PARAM.test(name));
  if (unknown.length > 0) {
    console.error(`${file}: unknown param${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the workflow declares ${spec.params.length > 0 ? spec.params.map((param) => (POSITIONAL_PARAM.test(param.name) ? `$${param.name}` : param.name)).join(', ') : 'none'}`);
    return 1;
  }
  for (const line of planLines(spec, overrides)) console.log(line);
  return 0;
}

/** `A=1 first B=2 second` → A, B by name; the other words are positional: "1", "2"… */
function paramOverrides(words: readonly string[]): Map<string, string> {
  const overrides = new Map<string, string>();
  let position = 0;
  for (const word of words) {
    const separator = word.indexOf('=');
    if (separator > 0 && /^\w+$/.test(word.slice(0, separator))) overrides.set(word.slice(0, separator), word.slice(separator + 1));
    else overrides.set(String((position += 1)), word);
  }
  return overrides;
}

function planLines(spec: WorkflowSpec, overrides: ReadonlyMap<string, string>): string[] {
  const lines = [`Workflow ${spec.name}: nothing is run; a run would do this.`];
  if (spec.params.length > 0 || overrides.size > 0) {
    lines.push('', 'Params:');
    const names = [...new Set([...spec.params.map((param) => param.name), ...overrides.keys()])];
    for (const name of names) {
      const declared = spec.params.find((param) => param.name === name)?.value;
      const value = overrides.get(name) ?? declared ?? '';
      const origin = overrides.has(name) ? 'given' : 'default';
      const evaluated = value.includes('`') ? ', backticks run when the run starts' : '';
      lines.push(`  ${POSITIONAL_PARAM.test(name) ? `$${name}` : name} = ${JSON.stringify(value)} (${origin}${evaluated})`);
    }
  }
  if (spec.dotenv.length > 0) lines.push('', `Dotenv files: ${spec.dotenv.join(', ')}`);
  if (spec.preconditions.length > 0) {
    lines.push('', 'Workflow preconditions (unmet: every step is skipped):');
    for (const precondition of spec.preconditions) lines.push(`  ${describePrecondition(precondition)}`);
  }
  if (spec.timeoutSec !== null) lines.push('', `The run is stopped after ${spec.timeoutSec}s (timeout_sec).`);
  lines.push('', 'Steps, in the order they can start:');
  orderedSteps(spec.steps).forEach(({ step, wave }, index) => {
    lines.push(`  ${index + 1}. ${step.name}  [wave ${wave}]  ${stepKind(step)}`);
    lines.push(`     depends: ${step.depends.length > 0 ? step.depends.join(', ') : 'nothing (starts at once)'}`);
    for (const precondition of step.preconditions) lines.push(`     precondition: ${describePrecondition(precondition)}`);
    if (step.retryPolicy.limit > 0) lines.push(`     retries: up to ${step.retryPolicy.limit}, ${step.retryPolicy.intervalSec}s apart${step.retryPolicy.backoff > 1 ? ` (x${step.retryPolicy.backoff} each time)` : ''}`);
    if (step.repeatPolicy) lines.push(`     repeats: ${step.repeatPolicy.mode}${step.repeatPolicy.limit === null ? '' : `, at most ${step.repeatPolicy.limit} runs`}`);
    if (step.output) lines.push(`     output: ${step.output}`);
  });
  const handlers = HANDLER_KINDS.filter((kind) => spec.handlerOn[kind]);
  if (handlers.length > 0) lines.push('', `Handlers: ${handlers.map((kind) => `${kind} (${spec.handlerOn[kind]?.name ?? kind})`).join(', ')}`);
  return lines;
}

function stepKind(step: StepSpec): string {
  if (step.type === 'approval') return 'waits for approval';
  if (step.call) return `runs the workflow ${step.call.workflow}${step.call.parallel ? ' once per item' : ''}`;
  if (step.executor.kind !== 'shell') return `${step.executor.kind} executor: ${(step.command ?? '').split('\n')[0] ?? ''}`;
  const shell = [step.shell, ...step.shellArgs].join(' ');
  if (step.script !== null && step.command !== null) return `runs a script with: ${step.command}`;
  if (step.script !== null) return `runs a script with: ${shell}`;
  return `runs with ${shell}: ${(step.command ?? '').split('\n')[0] ?? ''}`;
}

function describePrecondition(precondition: Precondition): string {
  const exitZero = /^\$\(\{ ([\s\S]*?)(?:; \}|\n\}) >\/dev\/null 2>&1 && echo true \|\| echo false\)$/.exec(precondition.condition);
  const not = precondition.negate ? ' not' : '';
  return exitZero?.[1] !== undefined && precondition.expected === 'true' ? `"${exitZero[1]}" does${not} exit 0` : `"${precondition.condition}" does${not} give "${precondition.expected}"`;
}

/** The steps by wave: a step's wave is one more than its latest dependency's (file order within a wave). */
function orderedSteps(steps: readonly StepSpec[]): { step: StepSpec; wave: number }[] {
  const waves = new Map<string, number>();
  const byName = new Map(steps.map((step) => [step.name, step]));
  const waveOf = (start: StepSpec): number => {
    // Iterative, as the parser's graph walks: a chain of a thousand steps needs no deep call stack.
    const stack: StepSpec[] = [start];
    while (stack.length > 0) {
      const step = stack[stack.length - 1];
      if (!step) break;
      const pending = step.depends.map((name) => byName.get(name)).filter((dependency): dependency is StepSpec => dependency !== undefined && !waves.has(dependency.name));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      waves.set(step.name, Math.max(0, ...step.depends.map((name) => waves.get(name) ?? 0)) + 1);
    }
    return waves.get(start.name) ?? 1;
  };
  return steps
    .map((step, index) => ({ step, wave: waveOf(step), index }))
    .sort((a, b) => a.wave - b.wave || a.index - b.index)
    .map(({ step, wave }) => ({ step, wave }));
}
