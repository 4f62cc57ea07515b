// Builds what `npm start` needs, only when its inputs changed since the last build:
// @runtrail/client (packages/client/dist, which the CLI's server commands require), the server
// (tsc → dist/) and the UI (next build → .next/). `--server` builds the client and the server.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

interface Target {
  name: string;
  inputs: string[];
  stamp: string;
  command: string[];
}

const targets: Target[] = [
  {
    name: 'client',
    inputs: ['packages/client/src', 'packages/client/scripts', 'packages/client/package.json', 'packages/client/tsconfig.json', 'packages/client/tsconfig.esm.json', 'packages/client/tsconfig.cjs.json'],
    stamp: 'packages/client/dist/.build-stamp',
    command: [path.join(root, 'packages', 'client', 'scripts', 'build.mjs')],
  },
  {
    name: 'server',
    inputs: ['src', 'packages/client/src', 'prisma', 'tsconfig.json', 'tsconfig.server.json', 'package-lock.json'],
    stamp: 'dist/.build-stamp',
    command: [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.server.json'],
  },
  {
    name: 'ui',
    inputs: ['app', 'public', 'next.config.ts', 'tsconfig.json', 'package-lock.json'],
    stamp: '.next/runtrail-build-stamp',
    command: [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
  },
];

function filesUnder(relative: string): string[] {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.test.tsx'))
    .flatMap((entry) => filesUnder(path.join(relative, entry.name)));
}

function fingerprint(inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesUnder).sort()) {
    hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

const only = process.argv.includes('--server') ? ['client', 'server'] : targets.map((target) => target.name);
for (const target of targets.filter((candidate) => only.includes(candidate.name))) {
  const stampFile = path.join(root, target.stamp);
  const expected = fingerprint(target.inputs);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === expected) continue;
  console.log(`Building the ${target.name} (its sources changed since the last build)…`);
  const result = spawnSync(process.execPath, target.command, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) {
    console.error(`Building the ${target.name} failed; see the output above.`);
    process.exit(result.status ?? 1);
  }
  writeFileSync(stampFile, expected);
}
