import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Dagu example corpus (examples/dagu/): each file opens with `# Feature: …` and `# Dagu
 * documents: …` (what it shows, and what Dagu's documentation says it produces), and says in `# expect...` comment lines what
 * Dagu documents it produces, which the corpus tests compare with what Runtrail does:
 *
 *   # expect: status SUCCEEDED            the run's final status
 *   # expect-step: <step name> FAILED     a step's final status (the name may hold spaces)
 *   # expect-output: <step> NAME=value    the output a step recorded
 *
 * A file without `# expect: status` is validated only.
 */
export interface CorpusExpectations {
  status: string | null;
  steps: { step: string; status: string }[];
  outputs: { step: string; value: string }[];
}

export const DAGU_EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples', 'dagu');

export function daguExampleFiles(): string[] {
  return readdirSync(DAGU_EXAMPLES_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export function readDaguExample(file: string): { yaml: string; expect: CorpusExpectations } {
  const yaml = readFileSync(path.join(DAGU_EXAMPLES_DIR, file), 'utf8');
  const expect: CorpusExpectations = { status: null, steps: [], outputs: [] };
  for (const line of yaml.split('\n')) {
    const status = /^# expect: status ([A-Z_]+)$/.exec(line);
    const step = /^# expect-step: (.+) ([A-Z_]+)$/.exec(line);
    const output = /^# expect-output: (\S+) (.+)$/.exec(line);
    if (status?.[1]) expect.status = status[1];
    if (step?.[1] && step[2]) expect.steps.push({ step: step[1], status: step[2] });
    if (output?.[1] && output[2]) expect.outputs.push({ step: output[1], value: output[2] });
  }
  return { yaml, expect };
}
