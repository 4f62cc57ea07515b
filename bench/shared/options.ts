// Command-line options of the benchmarks: parsed strictly, with the usage beside any mistake.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BenchFailure } from './bench-failure.ts';

/** The values of `options` in `argv`; an unknown or malformed option fails with the usage. */
export function parseBenchArgs<const O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O, usage: string) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new BenchFailure(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
}

/** `1_000_000` or `1000000`, at least `min`. */
export function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) throw new BenchFailure(`${name} must be a whole number >= ${min}, got "${text}"`);
  return value;
}
