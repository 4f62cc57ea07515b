import type { Services } from '../../composition.ts';
import { ResponseBudget } from '../../domain/response-budget.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { saveTestWorkflow, waitForRunEnd, waitForStepStatus } from '../../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';
import { startTestSshd, type TestSshd } from '../../test/sshd.ts';

describe('the ssh executor against a real OpenSSH sshd', () => {
  const database = useMigratedDatabase('sqlite');
  let services: Services;
  let sshd: TestSshd;

  beforeAll(async () => {
    services = composeTestServices(database());
    await services.engine.start({ recover: false });
    sshd = await startTestSshd();
  });
  afterAll(async () => {
    await services.engine.stop('test over');
    await sshd.stop();
  });

  function sshWith(extra = ''): string {
    return `{user: ${sshd.user}, host: 127.0.0.1, port: ${sshd.port}, key: ${sshd.keyFile}, knownHostFile: ${sshd.knownHostsFile}${extra}}`;
  }

  async function runToEnd(yaml: string) {
    const workflow = await saveTestWorkflow(services, yaml);
    const run = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    return waitForRunEnd(services, run.id);
  }

  async function stepRow(runId: string, name: string) {
    const row = (await services.repositories.steps.listByRunIds([runId])).find((candidate) => candidate.name === name);
    if (!row) throw new Error(`no step ${name}`);
    return row;
  }

  it('runs the command on the remote host, with its output, log and exit code, in both spellings', async () => {
    const run = await runToEnd(`
params:
  WORD: remote
steps:
  - name: hello
    type: ssh
    with: ${sshWith()}
    command: echo "hello \${WORD}"; echo "to stderr" >&2
    output: GREETING
  - name: script
    executor:
      type: ssh
      config: ${sshWith()}
    script: |
      x=40
      echo $((x + 2))
    output: ANSWER
  - name: check
    command: test "\${GREETING}" = "hello remote" && test "\${ANSWER}" = 42
  - name: failing
    type: ssh
    with: ${sshWith()}
    command: exit 3
    continueOn: {failure: true}
`);
    expect(run.status).toBe('PARTIALLY_SUCCEEDED');
    const log = await services.runQueries.stepLog(ADMIN_PRINCIPAL, run.id, 'hello', 0, 10_000, new ResponseBudget(10_000));
    expect(log.content).toContain('hello remote\n');
    expect(log.content).toContain('to stderr\n');
    expect(await stepRow(run.id, 'check')).toMatchObject({ status: 'SUCCEEDED' });
    expect(await stepRow(run.id, 'failing')).toMatchObject({ status: 'FAILED', exitCode: 3, error: `exit code 3 on ${sshd.user}@127.0.0.1:${sshd.port}` });
  });

  it("runs every plain step over SSH with the workflow's ssh: settings, as Dagu does", async () => {
    const run = await runToEnd(`
ssh: {user: ${sshd.user}, host: 127.0.0.1, port: ${sshd.port}, key: ${sshd.keyFile}, knownHostFile: ${sshd.knownHostsFile}}
steps:
  - name: where
    command: echo "$SSH_CONNECTION" | cut -d' ' -f3
    output: SERVER
  - name: typed
    type: ssh
    command: echo typed
    output: TYPED
`);
    expect(run.status).toBe('SUCCEEDED');
    expect(await stepRow(run.id, 'where')).toMatchObject({ output: '127.0.0.1' });
    expect(await stepRow(run.id, 'typed')).toMatchObject({ output: 'typed' });
  });

  it('refuses a host whose key is not the known one, and lets it in with strictHostKey: false', async () => {
    const run = await runToEnd(`
steps:
  - name: strict
    type: ssh
    with: {user: ${sshd.user}, host: 127.0.0.1, port: ${sshd.port}, key: ${sshd.keyFile}, knownHostFile: ${sshd.wrongKnownHostsFile}}
    command: echo never
    depends: []
  - name: lax
    type: ssh
    with: {user: ${sshd.user}, host: 127.0.0.1, port: ${sshd.port}, key: ${sshd.keyFile}, strictHostKey: false}
    command: echo in
    depends: []
`);
    expect(run.status).toBe('FAILED');
    expect((await stepRow(run.id, 'strict')).error).toContain('its host key is not in the known-hosts file');
    expect(await stepRow(run.id, 'lax')).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ends the remote command when the run is cancelled', async () => {
    const workflow = await saveTestWorkflow(services, `
steps:
  - name: long
    type: ssh
    with: ${sshWith()}
    command: sleep 60
`);
    const started = await services.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(services, started.id, 'long', 'RUNNING');
    await services.control.cancelRun(ADMIN_PRINCIPAL, started.id);
    const cancelled = await waitForRunEnd(services, started.id, 20_000);
    expect(cancelled.status).toBe('ABORTED');
    expect((await stepRow(started.id, 'long')).status).toBe('ABORTED');
  });
});
