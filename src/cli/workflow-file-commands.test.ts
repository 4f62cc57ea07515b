import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'runtrail');

function runtrail(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '' }, timeout: 60_000 });
}

describe('runtrail validate, dry and schema', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-file-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('validate prints the notes of an accepted file: the Dagu keys Runtrail gives another way', () => {
    const result = runtrail(['validate', 'examples/dagu/queue.yaml']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('examples/dagu/queue.yaml: ok (queue, 1 steps)');
    expect(result.stdout).toMatch(/note: examples\/dagu\/queue\.yaml:5:1 queue: Runtrail has no named queues/);
  });

  it('dry shows the steps in the order they can start, their depends and the params as given, and runs nothing', () => {
    const marker = path.join(dir, 'ran');
    const file = path.join(dir, 'plan.yaml');
    writeFileSync(file, `params: "first WHO=world"\nsteps:\n  - name: b\n    depends: a\n    command: touch ${marker}\n  - name: a\n    depends: []\n    command: touch ${marker}\n`);

    const result = runtrail(['dry', file, '--', 'WHO=dagu', 'one']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('$1 = "one" (given)');
    expect(result.stdout).toContain('WHO = "dagu" (given)');
    expect(result.stdout.indexOf('1. a  [wave 1]')).toBeGreaterThan(0);
    expect(result.stdout.indexOf('2. b  [wave 2]')).toBeGreaterThan(result.stdout.indexOf('1. a'));
    expect(result.stdout).toContain('depends: a');
    expect(spawnSync('test', ['-e', marker]).status).toBe(1);
  });

  it('dry refuses an invalid file with its problems, and a param the workflow does not declare', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'steps:\n  - name: a\n    depends: [x]\n    command: y\n');

    const invalid = runtrail(['dry', bad]);
    const unknownParam = runtrail(['dry', 'examples/dagu/params-string.yaml', '--', 'NOPE=1']);

    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain(`${bad}:3:15 steps[0] (a).depends: unknown step "x"`);
    expect(unknownParam.status).toBe(1);
    expect(unknownParam.stderr).toContain('unknown param NOPE; the workflow declares A, B, C');
  });

  it('schema prints the workflow JSON Schema, with both spellings of the keys', () => {
    const result = runtrail(['schema']);
    const schema: unknown = JSON.parse(result.stdout);

    expect(result.status).toBe(0);
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', properties: { timeout_sec: { type: 'number' }, timeoutSec: { type: 'number' } } });
  });
});
