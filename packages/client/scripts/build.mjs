// Builds dist/esm (ES modules) and dist/cjs (CommonJS), each with its .d.ts, with the
// repository's TypeScript; a package.json in each tells Node which module format it holds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const [config, type] of [['tsconfig.esm.json', 'module'], ['tsconfig.cjs.json', 'commonjs']]) {
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, config)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`@runtrail/client: tsc -p ${config} failed`);
    process.exit(result.status ?? 1);
  }
  const outDir = path.join(root, 'dist', type === 'module' ? 'esm' : 'cjs');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
