// The floor as spawned from a small process, as the engine's step launcher spawns: a fork's
// cost grows with the memory of the process that forks, so spawning from the bench's own
// process (the size of a server) and from a bare `node` give two floors.
import { execFile } from 'node:child_process';
import { spawnEnvironment } from '../../src/engine/step-launcher.ts';
import { BenchFailure } from '../shared/bench-failure.ts';

// Plain JavaScript for a bare `node -e`: the same loop as bareSpawns, timed inside.
const PROGRAM = `
const { spawn } = require('node:child_process');
const [total, width, command, ...args] = JSON.parse(process.argv[1]);
const codes = [];
let next = 0;
const cpu = process.cpuUsage();
const started = performance.now();
Promise.all(Array.from({ length: width }, async () => {
  while (next < total) {
    next += 1;
    codes.push(await new Promise((resolve) => spawn(command, args, { stdio: 'ignore', detached: true }).once('close', resolve)));
  }
})).then(() => {
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, rssMb: process.memoryUsage().rss / 1048576, codes }));
});
`;

export interface SmallProcessSpawns {
  ms: number;
  cpuMs: number;
  rssMb: number;
  codes: (number | null)[];
}

/** Runs `total` spawns of `command`, `width` at once, from a bare `node` process; its own timing, without its start. */
export async function spawnsFromSmallProcess(total: number, width: number, command: string, args: readonly string[]): Promise<SmallProcessSpawns> {
  const output = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['-e', PROGRAM, JSON.stringify([total, width, command, ...args])], { env: spawnEnvironment({ PATH: process.env.PATH ?? '/usr/bin:/bin' }), maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
  const parsed: unknown = JSON.parse(output);
  if (!isSmallProcessSpawns(parsed)) throw new BenchFailure(`the small process's spawns reported ${output.slice(0, 200)}`);
  return parsed;
}

function isSmallProcessSpawns(value: unknown): value is SmallProcessSpawns {
  return (
    typeof value === 'object' &&
    value !== null &&
    'ms' in value &&
    typeof value.ms === 'number' &&
    'cpuMs' in value &&
    typeof value.cpuMs === 'number' &&
    'rssMb' in value &&
    typeof value.rssMb === 'number' &&
    'codes' in value &&
    Array.isArray(value.codes) &&
    value.codes.every((code: unknown) => typeof code === 'number' || code === null)
  );
}
