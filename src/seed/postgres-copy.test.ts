import { inPostgresWriteTransaction } from '../db/write-connection.ts';
import { newId } from '../domain/ids.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { EVENT_TABLE, RUN_TABLE, type Cell } from './history-tables.ts';
import { copyLine, copyRows, timestampText } from './postgres-copy.ts';

const TRICKY_TEXTS = [
  'tab\there',
  'new\nline, and\r\nCRLF',
  'back\\slash, a literal \\N, \\t and \\\\',
  '\\.',
  `quotes ' and " and , ; |`,
  'ünïcødé — 日本語 🚀 e\u0301',
  '',
  '\u0001\b\f\v control',
  ' leading and trailing spaces ',
];

const TRICKY_PARAMS = { 'key\twith tab': 'line\nbreak', quote: 'say "hi" \\ back\\slash', emoji: '🚀', empty: '', unicode: 'naïve 日本' };

const TIMES = [
  Date.UTC(2026, 0, 1),
  Date.UTC(2026, 0, 1, 0, 0, 0, 5),
  Date.UTC(2026, 0, 1, 23, 59, 59, 999),
  Date.UTC(2024, 1, 29, 12, 34, 56, 50),
  Date.UTC(1999, 11, 31, 23, 59, 59, 900),
  Date.UTC(2026, 10, 6, 9, 8, 7, 600),
];

describe('copyRows on PostgreSQL', () => {
  const database = useMigratedDatabase('postgresql');

  it('writes tabs, line ends, backslashes, quotes, unicode, empty strings, NULLs, JSON, big numbers and times exactly', async () => {
    const { db, writer } = database();
    if (writer.provider !== 'postgresql') throw new Error('a PostgreSQL database was asked for');
    const project = await db.project.create({ data: { id: newId('prj'), slug: 'copy', name: 'COPY' } });
    const workflow = await db.workflow.create({ data: { id: newId('wf'), projectId: project.id, name: 'copy', definition: 'steps: []\n', hash: 'copy', tags: [] } });
    const runs = TRICKY_TEXTS.map((text, index) => ({
      id: `run_${index}`,
      status: text,
      trigger: 'MANUAL',
      params: index === 0 ? null : { ...TRICKY_PARAMS, text },
      createdAt: TIMES[index % TIMES.length] ?? 0,
      finishedAt: index % 2 === 0 ? null : (TIMES[(index + 1) % TIMES.length] ?? 0),
      durationMs: index % 2 === 0 ? null : 2_147_483_647,
      error: index === 1 ? null : text,
      lastSeq: Number.MAX_SAFE_INTEGER - index,
    }));
    const runRows: Cell[][] = runs.map((run) => [
      run.id,
      project.id,
      workflow.id,
      run.status,
      run.trigger,
      run.params === null ? null : JSON.stringify(run.params),
      run.createdAt,
      run.createdAt,
      run.finishedAt,
      run.durationMs,
      1,
      null,
      null,
      run.error,
      run.lastSeq,
    ]);
    const eventRows: Cell[][] = TRICKY_TEXTS.map((text, index) => [
      Number.MAX_SAFE_INTEGER - index,
      'run_0',
      null,
      project.id,
      workflow.id,
      'RUN',
      index === 0 ? null : text,
      text,
      TIMES[index % TIMES.length] ?? 0,
      text,
      index === 2 ? null : `actor ${text}`,
    ]);

    await inPostgresWriteTransaction(writer, async (client) => {
      await copyRows(client, RUN_TABLE, runRows);
      await copyRows(client, EVENT_TABLE, eventRows);
    });

    const stored = await db.run.findMany({ orderBy: { id: 'asc' } });
    expect(
      stored.map((run) => ({
        id: run.id,
        status: run.status,
        trigger: run.trigger,
        params: run.params,
        createdAt: run.createdAt.getTime(),
        finishedAt: run.finishedAt?.getTime() ?? null,
        durationMs: run.durationMs,
        error: run.error,
        lastSeq: Number(run.lastSeq),
      })),
    ).toEqual(runs);
    expect(stored.every((run) => run.startedAt?.getTime() === run.createdAt.getTime() && run.retryOfId === null && run.versionId === null)).toBe(true);
    const events = await db.runEvent.findMany({ orderBy: { seq: 'desc' } });
    expect(events.map((event) => [Number(event.seq), event.runId, event.stepRunId, event.kind, event.from, event.to, event.at.getTime(), event.message, event.actor])).toEqual(
      eventRows.map((row) => [row[0], row[1], row[2], row[5], row[6], row[7], row[8], row[9], row[10]]),
    );
  });

  it('writes nothing and reports the failure when PostgreSQL refuses a row', async () => {
    const { db, writer } = database();
    if (writer.provider !== 'postgresql') throw new Error('a PostgreSQL database was asked for');
    const before = await db.run.count();
    const orphan: Cell[] = ['run_orphan', 'prj_missing', 'wf_missing', 'QUEUED', 'MANUAL', null, TIMES[0] ?? 0, null, null, null, 1, null, null, null, 1];

    await expect(inPostgresWriteTransaction(writer, (client) => copyRows(client, RUN_TABLE, [orphan]))).rejects.toMatchObject({ code: '23503' });
    expect(await db.run.count()).toBe(before);
  });
});

describe('copyLine', () => {
  it('refuses a NUL character and a value its column cannot hold, naming the column', () => {
    const row: Cell[] = ['run_1', 'prj', 'wf', 'QUEUED', 'MANUAL', null, 0, null, null, null, 1, null, null, 'a\0b', 1];

    expect(() => copyLine(RUN_TABLE, row)).toThrow('Run.error cannot hold a NUL character');
    expect(() => copyLine(RUN_TABLE, row.with(13, null).with(10, 1.5))).toThrow('Run.attempt (int) cannot hold 1.5');
    expect(() => copyLine(RUN_TABLE, row.with(13, null).with(6, 'today'))).toThrow('Run.createdAt (time) cannot hold "today"');
  });
});

describe('timestampText', () => {
  it('writes what Date#toISOString does, without the zone, across days, years and before 1970', () => {
    const times = [...TIMES, -1, 0, 86_399_999, 86_400_000, Date.UTC(2025, 11, 31, 23, 59, 59, 999), Date.UTC(2026, 0, 1)];
    for (let ms = Date.UTC(2026, 2, 1) - 5_000; ms < Date.UTC(2026, 2, 1) + 5_000; ms += 7) times.push(ms);

    expect(times.map(timestampText)).toEqual(times.map((ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')));
  });
});
