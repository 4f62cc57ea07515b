// How every benchmark prints: aligned tables, and numbers in the same units and precision.
import os from 'node:os';

/** A title line, a rule, then one line per row, each column as wide as its widest cell. */
export function table(titles: readonly string[], cells: readonly (readonly string[])[]): string[] {
  const widths = titles.map((title, index) => Math.max(title.length, ...cells.map((line) => line[index]?.length ?? 0)));
  const line = (texts: readonly string[]) => texts.map((text, index) => text.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  return [line(titles), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)];
}

/** Nearest rank of ascending samples: a value that was measured, not an interpolation. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Milliseconds with three significant digits or so. */
export function ms(value: number): string {
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

/** A span for people: milliseconds below a second, seconds above. */
export function duration(milliseconds: number): string {
  return milliseconds < 1000 ? `${ms(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}

export function megabytes(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** The machine the figures come from, and a warning when it was busy when the bench started. */
export function machineLines(): string[] {
  const cpus = os.cpus();
  const lines = [
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown cpu'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.platform()} ${os.release()}, node ${process.version}`,
  ];
  const [load] = os.loadavg();
  if (load !== undefined && load > cpus.length / 2) lines.push(`note: the machine is busy (load average ${load.toFixed(1)} on ${cpus.length} cores): expect noisy figures`);
  return lines;
}
