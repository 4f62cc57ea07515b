import { postgresWriter, useMigratedDatabase } from '../test/database-suite.ts';
import { executeText, type NamedStatement } from './sql-literals.ts';
import { inPostgresWriteTransactionOpenedBy } from './write-connection.ts';

describe("a PostgreSQL write transaction with statements in BEGIN's and COMMIT's messages", () => {
  const database = useMigratedDatabase('postgresql');

  async function probes(): Promise<unknown[]> {
    return (await postgresWriter(database()).pool.query(`SELECT name FROM "EventCounter" WHERE name LIKE 'probe-%' ORDER BY name`)).rows;
  }

  async function backendPid(): Promise<unknown> {
    return inPostgresWriteTransactionOpenedBy(postgresWriter(database()), { prepared: [], statements: ['SELECT pg_backend_pid() AS pid'] }, async (_, [pid]) => ({
      result: pid?.rows[0],
      closing: [],
    }));
  }

  it('answers each opening statement with its rows, in order, and commits them together with the work and the closing ones', async () => {
    const writer = postgresWriter(database());

    const answered = await inPostgresWriteTransactionOpenedBy(
      writer,
      { prepared: [], statements: [`INSERT INTO "EventCounter" (name, value) VALUES ('probe-kept', 1) RETURNING name`, `SELECT 2 AS two`] },
      async (client, opened) => {
        await client.query(`UPDATE "EventCounter" SET value = 5 WHERE name = 'probe-kept'`);
        return { result: opened.map((result) => result.rows), closing: [`UPDATE "EventCounter" SET value = value + 1 WHERE name = 'probe-kept'`] };
      },
    );

    expect(answered).toEqual([[{ name: 'probe-kept' }], [{ two: 2 }]]);
    expect((await writer.pool.query(`SELECT value FROM "EventCounter" WHERE name = 'probe-kept'`)).rows).toEqual([{ value: '6' }]);
    await writer.pool.query(`DELETE FROM "EventCounter" WHERE name = 'probe-kept'`);
  });

  it('writes nothing when a statement in the middle of the opening message fails, and goes on on the same connection', async () => {
    const writer = postgresWriter(database());
    const pidBefore = await backendPid();
    let worked = false;

    const failing = inPostgresWriteTransactionOpenedBy(
      writer,
      { prepared: [], statements: [`INSERT INTO "EventCounter" (name, value) VALUES ('probe-a', 1)`, 'SELECT 1 / 0', `INSERT INTO "EventCounter" (name, value) VALUES ('probe-b', 1)`] },
      async () => {
        worked = true;
        return { result: null, closing: [] };
      },
    );

    await expect(failing).rejects.toMatchObject({ code: '22012' });
    expect(worked).toBe(false);
    expect(await probes()).toEqual([]);
    expect(await backendPid()).toEqual(pidBefore);
  });

  it("commits nothing when a statement in COMMIT's message fails, and goes on on the same connection", async () => {
    const writer = postgresWriter(database());
    const pidBefore = await backendPid();

    const failing = inPostgresWriteTransactionOpenedBy(writer, { prepared: [], statements: [`INSERT INTO "EventCounter" (name, value) VALUES ('probe-f', 1)`] }, async (client) => {
      await client.query(`INSERT INTO "EventCounter" (name, value) VALUES ('probe-g', 1)`);
      return { result: null, closing: [`INSERT INTO "EventCounter" (name, value) VALUES ('probe-h', 1)`, 'SELECT 1 / 0'] };
    });

    await expect(failing).rejects.toMatchObject({ code: '22012' });
    expect(await probes()).toEqual([]);
    expect(await backendPid()).toEqual(pidBefore);
  });

  it('rolls the opening statements back when the work fails after them', async () => {
    const writer = postgresWriter(database());

    const failing = inPostgresWriteTransactionOpenedBy(writer, { prepared: [], statements: [`INSERT INTO "EventCounter" (name, value) VALUES ('probe-c', 1)`] }, async (client) => {
      await client.query(`INSERT INTO "EventCounter" (name, value) VALUES ('probe-d', 1)`);
      throw new Error('the plan refused');
    });

    await expect(failing).rejects.toThrow('the plan refused');
    expect(await probes()).toEqual([]);
  });

  it('prepares the statements it EXECUTEs once on a connection, and again on the connection opened after it broke', async () => {
    const writer = postgresWriter(database());
    const counter: NamedStatement = { name: 'probe_counter_value', text: `SELECT value FROM "EventCounter" WHERE name = $1::text` };
    const bump: NamedStatement = { name: 'probe_counter_bump', text: `UPDATE "EventCounter" SET value = value + 1 WHERE name = $1::text` };
    await writer.pool.query(`INSERT INTO "EventCounter" (name, value) VALUES ('probe-e', 7)`);
    const read = () =>
      inPostgresWriteTransactionOpenedBy(
        writer,
        { prepared: [counter, bump], statements: [executeText(counter, ['probe-e']), 'SELECT pg_backend_pid() AS pid'] },
        async (_, [value, pid]) => ({ result: { value: value?.rows, pid: Number(pid?.rows[0]?.pid) }, closing: [executeText(bump, ['probe-e'])] }),
      );

    const first = await read();
    const second = await read();
    await database().db.$queryRawUnsafe('SELECT pg_terminate_backend($1::int)', second.pid);
    // The first transaction after may still be handed the dead connection, seen broken only then.
    const afterBreak = await read().catch(() => read());

    expect([first.value, second.value, afterBreak.value]).toEqual([[{ value: '7' }], [{ value: '8' }], [{ value: '9' }]]);
    expect(second.pid).toEqual(first.pid);
    expect(afterBreak.pid).not.toEqual(first.pid);
    await writer.pool.query(`DELETE FROM "EventCounter" WHERE name = 'probe-e'`);
  });
});
