import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'runtrail');

function runtrail(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  });
}

describe('the runtrail command', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('validates every shipped example workflow', () => {
    // examples/ also holds the client's example scripts (examples/client/), which are no workflows.
    const examples = readdirSync(path.join(root, 'examples'))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => path.join('examples', file));

    const result = runtrail(['validate', ...examples]);

    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(examples.length);
    expect(result.stdout).toContain('examples/diamond.yaml: ok (diamond,');
  });

  it('exits 1 with every problem of an invalid file, with line and column', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'schedule: "61 * * * *"\nsteps:\n  - name: a\n    depends: [a]\n    command: echo\n');

    const result = runtrail(['validate', file]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}:1:11 schedule[0]: invalid cron "61 * * * *"`);
    expect(result.stderr).toContain('dependency cycle a → a');
  });

  it('runs a workflow once, prints each status change, and exits by its outcome', () => {
    const ok = path.join(dir, 'ok.yaml');
    const failing = path.join(dir, 'failing.yaml');
    writeFileSync(ok, 'params:\n  WHO: nobody\nsteps:\n  - name: greet\n    command: test "${WHO}" = cli\n');
    writeFileSync(failing, 'steps:\n  - name: broken\n    command: exit 7\n');
    const env = { DATA_DIR: path.join(dir, 'data'), LOAD_EXAMPLES: 'false' };

    const succeeded = runtrail(['run', ok, '--param', 'WHO=cli'], env);
    const failed = runtrail(['run', failing], env);

    expect(succeeded.status).toBe(0);
    expect(succeeded.stdout).toMatch(/step greet\s+NOT_STARTED → RUNNING/);
    expect(succeeded.stdout).toMatch(/run\s+RUNNING → SUCCEEDED/);
    expect(succeeded.stdout).toMatch(/Run run_\w+ SUCCEEDED/);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/step broken\s+RUNNING → FAILED/);
    expect(failed.stdout).toMatch(/Run run_\w+ FAILED/);
  });

  it('prints its version, and an example workflow that validates as it is', () => {
    const example = path.join(dir, 'example.yaml');

    const version = runtrail(['--version']);
    const written = runtrail(['example', example]);
    const refused = runtrail(['example', example]);
    const validated = runtrail(['validate', example]);

    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(written.status).toBe(0);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${example} exists; choose another name or pass --force to overwrite it`);
    expect(validated.status).toBe(0);
    expect(validated.stdout).toContain(`${example}: ok (example, 3 steps)`);
  });

  it("imports Dagu's run history into the workflow of the same name, once", () => {
    const env = { DATA_DIR: path.join(dir, 'dagu-import-data'), LOAD_EXAMPLES: 'false' };
    const daguDir = path.join(dir, 'dagu');
    const attempt = path.join(daguDir, 'nightly', 'dag-runs', '2026', '03', '01', 'dag-run_20260301_020000Z_run-1', 'attempt_20260301_020000_000Z_abcdef');
    mkdirSync(attempt, { recursive: true });
    const status = { name: 'nightly', dagRunId: 'run-1', status: 2, createdAt: Date.parse('2026-03-01T02:00:00Z'), startedAt: '2026-03-01T02:00:01Z', finishedAt: '2026-03-01T02:00:04Z', triggerType: 'scheduler', nodes: [{ step: { name: 'dump' }, status: 2, startedAt: '2026-03-01T02:00:01Z', finishedAt: '2026-03-01T02:00:04Z', error: 'exit status 2' }] };
    writeFileSync(path.join(attempt, 'status.jsonl'), `${JSON.stringify(status)}\n`);
    const workflow = path.join(dir, 'nightly.yaml');
    writeFileSync(workflow, 'steps:\n  - name: dump\n    command: "true"\n');

    expect(runtrail(['run', workflow], env).status).toBe(0);
    const first = runtrail(['import-dagu', daguDir], env);
    const again = runtrail(['import-dagu', daguDir], env);

    expect(first.status).toBe(0);
    expect(first.stdout).toBe('Found 1 Dagu run: imported 1 into project default, 0 imported before\n');
    expect(again.stdout).toBe('Found 1 Dagu run: imported 0 into project default, 1 imported before\n');
  });
});
