import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../../src/test/test-server.ts';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..', '..');

/** A script run by plain Node from the repository root, where npm's workspace link resolves @runtrail/client to its dist/. */
async function nodeOutput(args: string[], server: TestServer): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: root, env: { ...process.env, RUNTRAIL_URL: server.url, RUNTRAIL_TOKEN: server.adminToken } });
  return stdout.trim();
}

const USE = `const client = createClient({ url: process.env.RUNTRAIL_URL, token: process.env.RUNTRAIL_TOKEN });
const snapshot = await client.headSnapshot();
const failure = await client.cancelRun({ id: 'run_missing' }).catch((error) => error);
console.log(JSON.stringify({ snapshot: /^[0-9]+$/.test(snapshot), error: failure.constructor.name, typed: failure instanceof NotFoundError }));`;

describe('the built @runtrail/client package', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('works when imported as an ES module', async () => {
    const output = await nodeOutput(['--input-type=module', '-e', `import { createClient, NotFoundError } from '@runtrail/client';\n${USE}`], server);
    expect(JSON.parse(output)).toEqual({ snapshot: true, error: 'NotFoundError', typed: true });
  });

  it('works when required as CommonJS', async () => {
    const output = await nodeOutput(['-e', `const { createClient, NotFoundError } = require('@runtrail/client');\n(async () => {\n${USE}\n})();`], server);
    expect(JSON.parse(output)).toEqual({ snapshot: true, error: 'NotFoundError', typed: true });
  });

  it('ships type declarations that TypeScript resolves for both formats', async () => {
    const consumers = ['esm-consumer.mts', 'cjs-consumer.cts'].map((file) => path.join(__dirname, 'consumers', file));
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', ...consumers], { cwd: root });
    await expect(check).resolves.toEqual(expect.objectContaining({ stderr: '' }));
  });
});
