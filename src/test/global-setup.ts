import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Tests that run `node dist/main.js` as a real process need the server build to be current,
 * and the browser tests need the UI's production build in `.next/`; each is rebuilt only when
 * its sources changed.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..', '..');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build-if-stale.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Building the server and the UI for the tests failed');
}
