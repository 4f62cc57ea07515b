import type { Services } from '../composition.ts';
import { ResponseBudget } from '../domain/response-budget.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { composeTestServices, TEST_ENGINE } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow, waitForRunEnd } from '../test/engine-helpers.ts';

const CAP = 4096;

describe.each(PROVIDERS)('step logs in the database on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;

  beforeAll(async () => {
    services = composeTestServices(database(), { engine: { ...TEST_ENGINE, stepLogMaxBytes: CAP } });
    await services.engine.start({ recover: false });
  });
  afterAll(async () => {
    await services.engine.stop('test over');
  });

  async function runToEnd(yaml: string) {
    const workflow = await saveTestWorkflow(services, yaml);
    const run = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    return waitForRunEnd(services, run.id);
  }

  const logOf = async (runId: string, step: string) => (await services.runQueries.stepLog(ADMIN_PRINCIPAL, runId, step, 0, 100_000, new ResponseBudget(100_000))).content;

  it('keeps STEP_LOG_MAX_BYTES of a step and notes the truncation once', async () => {
    const run = await runToEnd("steps:\n  - name: loud\n    command: yes | head -c 100000\n");

    expect(await logOf(run.id, 'loud')).toBe(`${'y\n'.repeat(CAP / 2)}\n[runtrail: log truncated at ${CAP} bytes]\n`);
  });

  it('keeps the output of every attempt of a retried step, in order', async () => {
    const run = await runToEnd(`steps:\n  - name: flaky\n    command: echo "try $(cat tries 2>/dev/null | wc -c)"; printf x >> tries; test "$(wc -c < tries)" -ge 3\n    retryPolicy: {limit: 2, intervalSec: 0}\n`);

    expect(run.status).toBe('SUCCEEDED');
    expect(await logOf(run.id, 'flaky')).toBe('try 0\ntry 1\ntry 2\n');
  });

  it('ships a chatty step in a few statements, not one per line', async () => {
    const inserts: string[] = [];
    database().onStatement((sql) => {
      if (/^\s*INSERT INTO\s.*StepLogChunk/is.test(sql)) inserts.push(sql);
    });
    try {
      const run = await runToEnd('steps:\n  - name: chatty\n    command: for i in $(seq 1 300); do echo "line $i"; done\n');

      const log = await logOf(run.id, 'chatty');
      expect(log.split('\n').slice(0, -1)).toEqual(Array.from({ length: 300 }, (_, index) => `line ${index + 1}`));
      expect(inserts.length).toBeGreaterThan(0);
      expect(inserts.length).toBeLessThan(100);
    } finally {
      database().onStatement(null);
    }
  });

  it('copies the logs that were only files into the database once, for finished steps', async () => {
    const run = await runToEnd('steps:\n  - name: old\n    command: echo written before the upgrade\n');
    // A log of before the upgrade: in its file, not in the database.
    await database().db.stepLogChunk.deleteMany({ where: { stepRun: { runId: run.id } } });
    const before = await logOf(run.id, 'old');

    const first = await services.logImport.importOnce();
    const second = await services.logImport.importOnce();

    expect(before).toBe('');
    expect(await logOf(run.id, 'old')).toBe('written before the upgrade\n');
    expect(first?.steps).toBe(1);
    expect(second).toBeNull();
  });

  it('deletes the log with its run', async () => {
    const run = await runToEnd('steps:\n  - name: say\n    command: echo gone soon\n');
    const before = await database().db.stepLogChunk.count({ where: { stepRun: { runId: run.id } } });

    await database().db.run.delete({ where: { id: run.id } });

    expect(before).toBe(1);
    expect(await database().db.stepLogChunk.count({ where: { stepRun: { runId: run.id } } })).toBe(0);
  });
});
