import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { systemErrorCode } from '../domain/errors.ts';

/** A stored file's name: a report's id and a format's extension; nothing else is read or removed. */
const FILE_NAME = /^rep_[0-9a-z]{25}\.[a-z]+$/;
/** A file being written: a report's file name, the writer's pid and `.tmp`. */
const TEMPORARY_NAME = /^(rep_[0-9a-z]{25}\.[a-z]+)\.[0-9]+\.tmp$/;

/** A file of the directory, as a sweep looks at it. */
export interface StoredReportFile {
  name: string;
  /** Written whole and renamed (false: a temporary file its writer never renamed). */
  complete: boolean;
  modifiedAt: Date;
}

/**
 * The files of reports on SQLite: one per stored format under DATA_DIR/reports/, named by the
 * report's id and extension. A file is written under a temporary name, synced and renamed before
 * the row naming it commits, so a row never names a file that is missing or half written; a crash
 * between the two leaves a file no row names, which nothing reads.
 */
export class ReportFileStore {
  constructor(private readonly deps: { directory: string }) {}

  nameOf(reportId: string, extension: string): string {
    const name = `${reportId}.${extension}`;
    if (!FILE_NAME.test(name)) throw new Error(`"${name}" is not the file name of a report`);
    return name;
  }

  async write(name: string, bytes: Buffer): Promise<void> {
    const target = this.pathOf(name);
    const temporary = `${target}.${process.pid}.tmp`;
    await mkdir(this.deps.directory, { recursive: true });
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  }

  async read(name: string): Promise<Buffer> {
    return readFile(this.pathOf(name));
  }

  async remove(names: readonly string[]): Promise<void> {
    for (const name of names) await rm(this.pathOf(name), { force: true });
  }

  /** The directory's report files and temporary files; anything else in it is not listed (and never removed). */
  async list(): Promise<StoredReportFile[]> {
    let names: string[];
    try {
      names = await readdir(this.deps.directory);
    } catch (error) {
      if (systemErrorCode(error) === 'ENOENT') return [];
      throw error;
    }
    const files: StoredReportFile[] = [];
    for (const name of names) {
      const complete = FILE_NAME.test(name);
      if (!complete && !TEMPORARY_NAME.test(name)) continue;
      try {
        files.push({ name, complete, modifiedAt: (await stat(path.join(this.deps.directory, name))).mtime });
      } catch (error) {
        // Removed since the listing (a report deleted meanwhile): nothing left to look at.
        if (systemErrorCode(error) !== 'ENOENT') throw error;
      }
    }
    return files;
  }

  /** Removes a temporary file left by a writer that never renamed it. */
  async removeTemporary(name: string): Promise<void> {
    if (!TEMPORARY_NAME.test(name)) throw new Error(`"${name}" is not the name of a report's temporary file`);
    await rm(path.join(this.deps.directory, name), { force: true });
  }

  private pathOf(name: string): string {
    if (!FILE_NAME.test(name)) throw new Error(`"${name}" is not the file name of a report`);
    return path.join(this.deps.directory, name);
  }
}
