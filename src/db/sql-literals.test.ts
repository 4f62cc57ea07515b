import pg from 'pg';
import { postgresWriter, useMigratedDatabase } from '../test/database-suite.ts';
import { executeText, prepareText, quoted, UnwritableLiteralError, type LiteralValue, type NamedStatement } from './sql-literals.ts';

const HOSTILE_TEXTS = [
  `it's`,
  `''`,
  'back\\slash\\',
  '\\\\x00',
  '"double" quotes',
  '{brace,comma}',
  'NULL',
  '',
  ' spaced ',
  '$2 and $1',
  `'; DROP TABLE "Run"; --`,
  `E'\\''`,
  'line\nbreak\ttab\r',
  'ü 🚀 שלום 漢字 e\u0301',
];

it("quotes a text as node-postgres's escapeLiteral does", () => {
  for (const text of [...HOSTILE_TEXTS, `${'x'.repeat(70_000)}'\\`]) expect(quoted(text)).toBe(pg.escapeLiteral(text));
});

describe('values written into a statement as literals, on PostgreSQL', () => {
  const database = useMigratedDatabase('postgresql');
  const PROBE: NamedStatement = { name: 'literals_probe', text: 'SELECT $1::text AS one, $2::text[] AS many, $3::timestamp(3)[] AS times, $4::text AS nothing' };

  async function onOneConnection<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await postgresWriter(database()).pool.connect();
    try {
      await client.query(prepareText(PROBE));
      return await work(client);
    } finally {
      await client.query(`DEALLOCATE ${PROBE.name}`);
      client.release();
    }
  }

  it('reads back every value as the same value sent as a parameter does', async () => {
    await onOneConnection(async (client) => {
      for (const text of HOSTILE_TEXTS) {
        const values: LiteralValue[] = [text, [...HOSTILE_TEXTS, null, text], ['2026-12-07T15:00:00.123'], null];

        const written = await client.query(executeText(PROBE, values));
        const sent = await client.query({ text: PROBE.text, values });

        expect(written.rows).toEqual(sent.rows);
        expect(written.rows[0]).toMatchObject({ one: text, many: [...HOSTILE_TEXTS, null, text], nothing: null });
      }
    });
  });

  it('refuses a NUL before anything is sent, as PostgreSQL refuses it as a parameter, and the connection goes on', async () => {
    await onOneConnection(async (client) => {
      expect(() => executeText(PROBE, ['a\u0000b', [], [], null])).toThrow(UnwritableLiteralError);
      expect(() => executeText(PROBE, ['a', ['ok', 'a\u0000b'], [], null])).toThrow(UnwritableLiteralError);
      await expect(client.query({ text: PROBE.text, values: ['a\u0000b', [], [], null] })).rejects.toMatchObject({ code: '22021' });
      await expect(client.query(executeText(PROBE, ['alive', [], [], null]))).resolves.toMatchObject({ rows: [{ one: 'alive' }] });
    });
  });

  it('fails a statement given fewer values than it has parameters, on the server', async () => {
    await onOneConnection(async (client) => {
      await expect(client.query(executeText(PROBE, ['a', []]))).rejects.toMatchObject({ code: '42601' });
    });
  });
});
