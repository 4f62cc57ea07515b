import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { findStepProcesses, stepCookie } from './process-sweep.ts';

interface RunView {
  status: string;
  error: string | null;
  steps: { name: string; status: string }[];
  events: { to: string; message: string | null; step: { name: string } | null }[];
}

/** /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'. */
function statFields(pid: string | number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
}

function processGroupOf(pid: number): number {
  return Number(statFields(pid)[2]);
}

/** Whether any live (not zombie) process is in the group; an orphan's zombie may wait long for a reaper. */
function groupAlive(pgid: number): boolean {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((entry) => {
      try {
        const fields = statFields(entry);
        return fields[0] !== 'Z' && Number(fields[2]) === pgid;
      } catch {
        return false;
      }
    });
}

async function eventually<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a server killed during a run', () => {
  let dataDir: string;
  let workflowsDir: string;
  let server: ServerProcess | null = null;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-crash-'));
    workflowsDir = path.join(dataDir, 'workflows');
    mkdirSync(workflowsDir);
    writeFileSync(path.join(workflowsDir, 'long.yaml'), 'steps:\n  - name: work\n    command: sleep 60\n  - name: after\n    command: echo never\n');
    writeFileSync(path.join(workflowsDir, 'broken.yaml'), 'steps:\n  - name: [oops\n');
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ DATA_DIR: dataDir, WORKFLOWS_DIR: workflowsDir, SCHEDULER: 'off' });

  async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const response = await fetch(`${server?.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: text, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  /** The process group of the step's processes, found by its cookie as recovery finds them. */
  async function stepGroup(runId: string): Promise<number | null> {
    const [pid] = await findStepProcesses({ cookies: new Set([stepCookie(runId, 'work')]), groups: new Set() });
    return pid === undefined ? null : processGroupOf(pid);
  }

  const RUN = 'query ($id: ID!) { run(id: $id) { status error steps { name status } events { to message step { name } } } }';

  it('finishes the run as FAILED "executor lost", aborts its steps and kills their processes on the next start', async () => {
    server = await startServerProcess(env());
    const { workflows } = await query<{ workflows: { edges: { node: { id: string; name: string } }[] } }>('{ workflows { edges { node { id name } } } }');
    const names = workflows.edges.map((edge) => edge.node.name);
    const long = workflows.edges.find((edge) => edge.node.name === 'long')?.node.id;
    const { triggerRun } = await query<{ triggerRun: { id: string } }>('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: long });
    await eventually(async () => {
      const { run } = await query<{ run: RunView }>(RUN, { id: triggerRun.id });
      return run.steps.find((step) => step.name === 'work')?.status === 'RUNNING' ? run : null;
    }, 'the step to run');
    const pid = await eventually(() => stepGroup(triggerRun.id), 'the step process');
    const aliveBeforeCrash = groupAlive(pid);

    server.child.kill('SIGKILL');
    await server.exited;
    writeFileSync(path.join(workflowsDir, 'long.yaml'), 'steps: [not valid\n');
    server = await startServerProcess(env());
    await server.ready();
    const { run } = await query<{ run: RunView }>(RUN, { id: triggerRun.id });
    const { workflow } = await query<{ workflow: { definition: string; loadError: string | null } }>('query ($id: ID!) { workflow(id: $id) { definition loadError } }', { id: long });

    expect(aliveBeforeCrash).toBe(true);
    expect(groupAlive(pid)).toBe(false);
    expect(names).toEqual(expect.arrayContaining(['diamond', 'flaky', 'slow-with-timeout', 'approval', 'every-minute', 'long']));
    expect(names).not.toContain('broken');
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('executor lost');
    expect(run.steps).toEqual([
      { name: 'work', status: 'ABORTED' },
      { name: 'after', status: 'ABORTED' },
    ]);
    expect(run.events.slice(-3).map((event) => [event.step?.name ?? 'run', event.to, event.message])).toEqual([
      ['work', 'ABORTED', 'executor lost'],
      ['after', 'ABORTED', 'executor lost'],
      ['run', 'FAILED', 'executor lost'],
    ]);
    expect(workflow.definition).toContain('sleep 60');
    expect(workflow.loadError).toContain('invalid YAML');
  });
});
