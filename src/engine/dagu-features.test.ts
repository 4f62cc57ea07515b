import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { waitForRunEnd } from '../test/engine-helpers.ts';
import { backoffDelaySec, outputMatches } from './run-variables.ts';

/** What the Dagu features do when something is wrong, and with a run's own params (the corpus covers the documented cases). */
describe('Dagu features at run time', () => {
  const database = useMigratedDatabase('sqlite');
  let services: Services;
  let projectId: string;
  let dir: string;

  beforeAll(async () => {
    services = composeTestServices(database());
    await services.engine.start({ recover: false });
    projectId = (await services.repositories.projects.create({ id: newId('prj'), slug: `feat-${newId('prj').slice(-8)}`, name: 'Dagu features' })).id;
    dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-dagu-features-'));
  });
  afterAll(async () => {
    await services.engine.stop('test over');
    rmSync(dir, { recursive: true, force: true });
  });

  async function runFile(name: string, yaml: string, params: Record<string, string> = {}) {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    const loaded = await services.workflows.load({ projectId, yaml, source: `file:${file}`, defaultName: name });
    if (!loaded.ok) throw new Error(loaded.message);
    const started = await services.control.start(loaded.workflow, params, 'MANUAL', 'tester');
    const run = await waitForRunEnd(services, started.id);
    const steps = await services.repositories.steps.listByRunIds([run.id]);
    return { run, steps: Object.fromEntries(steps.map((step) => [step.name, step])) };
  }

  it('a missing dotenv file fails the step, saying which file', async () => {
    const { run, steps } = await runFile('dotenv-missing', 'dotenv: missing.env\nsteps:\n  - name: a\n    command: echo never\n');

    expect(run.status).toBe('FAILED');
    expect(steps.a?.error).toContain(`dotenv file "${path.join(dir, 'missing.env')}" cannot be read`);
  });

  it('a later dotenv file overrides an earlier one, and env overrides both', async () => {
    writeFileSync(path.join(dir, 'one.env'), 'A=1\nB=1\nC=1\n');
    writeFileSync(path.join(dir, 'two.env'), 'B=2\nC=2\n');
    const { steps } = await runFile('dotenv-order', 'dotenv: [one.env, two.env]\nenv:\n  - C: env\nsteps:\n  - name: a\n    command: echo "$A$B$C"\n    output: ABC\n');

    expect(steps.a?.output).toBe('12env');
  });

  it('a backtick in the workflow env runs once a run: every step sees the same value', async () => {
    const { steps } = await runFile('backtick-once', 'env:\n  - STAMP: "`date +%s%N`"\nsteps:\n  - name: a\n    command: echo $STAMP\n    output: A\n  - name: b\n    command: sleep 0.05; echo $STAMP\n    output: B\n');

    expect(steps.a?.output).toMatch(/^[0-9]+$/);
    expect(steps.b?.output).toBe(steps.a?.output);
  });

  it('a typed param given a value its type refuses fails the run before any step runs, saying why', async () => {
    const yaml = 'params:\n  - name: REPLICAS\n    type: integer\n    default: 3\n    maximum: 10\nsteps:\n  - name: a\n    command: echo "$REPLICAS"\n    output: OUT\n';
    const refused = await runFile('typed-refused', yaml, { REPLICAS: 'many' });
    const accepted = await runFile('typed-accepted', yaml, { REPLICAS: '7' });

    expect(refused.run.status).toBe('FAILED');
    expect(refused.steps.a?.error).toBe('param REPLICAS: "many" is not an integer, as "type" requires');
    expect(accepted.steps.a?.output).toBe('7');
  });

  it('a stdout file in a directory that does not exist fails the step with the reason', async () => {
    const { steps } = await runFile('stdout-missing-dir', 'steps:\n  - name: a\n    command: echo hi\n    stdout: /nonexistent-dir/out.txt\n');

    expect(steps.a?.status).toBe('FAILED');
    expect(steps.a?.error).toContain('could not open the output file');
  });

  it('positional params given to a run become $1, $2; backticks in a step\'s env see the params', async () => {
    const { steps } = await runFile('positional-override', 'params: "one two NAME=x"\nsteps:\n  - name: a\n    env:\n      - UPPER: "`echo $NAME | tr a-z A-Z`"\n    command: echo "$1 $2 $UPPER"\n    output: OUT\n', { '2': 'given', NAME: 'dagu' });

    expect(steps.a?.output).toBe('one given DAGU');
  });

  it('a step output that is not JSON leaves ${OUT.field} unexpanded, which the shell refuses', async () => {
    const { steps } = await runFile('json-path-missing', 'steps:\n  - name: a\n    command: echo plain\n    output: OUT\n  - name: b\n    command: echo "${OUT.field}"\n');

    expect(steps.b?.status).toBe('FAILED');
  });

  it('computes backoff waits capped by the maximum, and matches outputs by text or pattern', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelaySec(1, 2, 5, n))).toEqual([1, 2, 4, 5]);
    expect(outputMatches('a\nWARN: x\n', ['re:^WARN:'])).toBe(true);
    expect(outputMatches('all fine', ['WARN'])).toBe(false);
  });
});
