import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The server build (for tests that run `node dist/main.js`) and the package's own dist/, each before any client test. */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const steps: [string, string[]][] = [
    ['the server', [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build-if-stale.ts', '--server']],
    ['@runtrail/client', [path.join(root, 'packages', 'client', 'scripts', 'build.mjs')]],
  ];
  for (const [what, args] of steps) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`Building ${what} for the client tests failed`);
  }
}
