import { isMap, isSeq, parseAllDocuments, parseDocument } from 'yaml';
import { WORKFLOW_NAME_PATTERN, type ParseResult, type SpecProblem, type StepSpec, type WorkflowSpec } from './workflow-spec.ts';

type ParseOne = (yamlText: string, options: { defaultName?: string; maxSteps?: number }) => ParseResult;

/**
 * Dagu's multi-document files: the first document is the workflow, each one after a `---` a
 * local sub-workflow its steps (and each other) can `call` by name. A local sub-workflow is
 * saved as a workflow of the same project named `<workflow>.<name>` (see LocalWorkflow), so
 * each of its runs is an ordinary run with its own history and page.
 */
export function parseWorkflowDocuments(yamlText: string, options: { defaultName?: string; maxSteps?: number }, parseOne: ParseOne): ParseResult {
  // Most files hold one document: they are not read twice to find out.
  if (!/^---/m.test(yamlText)) return parseOne(yamlText, options);
  const documents = parseAllDocuments(yamlText);
  if (!Array.isArray(documents) || documents.length <= 1) return parseOne(yamlText, options);
  const ranges = documents.map((document) => ({ start: document.range[0], end: document.range[2] }));
  // Everything outside a document is blanked, lines kept: its problems keep their lines and columns.
  const results = ranges.map((range, index) => parseOne(blankOutside(yamlText, range.start, range.end), index === 0 ? options : { maxSteps: options.maxSteps }));
  const problems: SpecProblem[] = results.flatMap((result, index) =>
    result.ok ? [] : result.problems.map((problem) => (index > 0 && problem.path === 'name' && problem.message === 'name: missing; add a "name"' ? { ...problem, message: 'name: missing; a workflow after "---" needs a "name", which steps of this file call it by' } : problem)),
  );
  const specs = results.flatMap((result) => (result.ok ? [result.spec] : []));
  const [main, ...locals] = specs;
  if (problems.length > 0 || !main) return { ok: false, problems };

  const qualified = new Map<string, string>();
  locals.forEach((local, index) => {
    const name = `${main.name}.${local.name}`;
    const line = lineOf(yamlText, ranges[index + 1]?.start ?? 0);
    if (local.name === main.name || qualified.has(local.name)) {
      problems.push({ message: `workflow: "${local.name}" names ${local.name === main.name ? 'the workflow itself' : 'another document of this file'}; give each document its own name`, line, column: 1, path: 'name' });
    } else if (!WORKFLOW_NAME_PATTERN.test(name)) {
      problems.push({ message: `workflow: "${local.name}" is saved as "${name}", longer than a workflow name may be (100 characters); shorten one of the names`, line, column: 1, path: 'name' });
    }
    qualified.set(local.name, name);
  });
  if (problems.length > 0) return { ok: false, problems };
  const rename = (steps: StepSpec[]) => steps.map((step) => (step.call && qualified.has(step.call.workflow) ? { ...step, call: { ...step.call, workflow: qualified.get(step.call.workflow) ?? step.call.workflow } } : step));
  return {
    ok: true,
    spec: {
      ...main,
      steps: rename(main.steps),
      localWorkflows: locals.map((local, index) => {
        const range = ranges[index + 1] ?? { start: 0, end: 0 };
        return { name: qualified.get(local.name) ?? local.name, definition: localDefinition(yamlText.slice(range.start, range.end), qualified) };
      }),
    },
    notes: results.flatMap((result) => (result.ok ? result.notes : [])),
  };
}

/** The document as its own file: named `<workflow>.<name>`, its calls of other local workflows by their saved names. */
function localDefinition(text: string, qualified: ReadonlyMap<string, string>): string {
  const document = parseDocument(text.replace(/^---[^\n]*\n/, ''));
  const name = document.get('name');
  document.set('name', qualified.get(typeof name === 'string' ? name : '') ?? name);
  const steps = document.get('steps');
  if (isSeq(steps)) {
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      for (const key of ['call', 'run']) {
        const target = step.get(key);
        if (typeof target === 'string' && qualified.has(target)) step.set(key, qualified.get(target));
      }
    }
  }
  return String(document);
}

function blankOutside(text: string, start: number, end: number): string {
  const blank = (part: string) => part.replace(/[^\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}
