import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReportFileStore } from './report-file.store.ts';

describe('report files', () => {
  const directory = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-report-store-')), 'reports');
  const store = new ReportFileStore({ directory });
  const id = 'rep_0000000000000000000000001';

  it('writes a file whole under its name, leaving no temporary file, and reads it back', async () => {
    const bytes = Buffer.from('run_id\r\nrun_1\r\n');

    await store.write(store.nameOf(id, 'csv'), bytes);

    expect(readdirSync(directory)).toEqual([`${id}.csv`]);
    expect((await store.read(`${id}.csv`)).equals(bytes)).toBe(true);
  });

  it('refuses a name that is not a report id and an extension, so nothing outside the directory is read or removed', async () => {
    expect(() => store.nameOf('../etc/passwd', 'csv')).toThrow('is not the file name of a report');
    await expect(store.read('../../etc/passwd')).rejects.toThrow('is not the file name of a report');
    await expect(store.remove([`${id}.csv/..`])).rejects.toThrow('is not the file name of a report');
  });
});
