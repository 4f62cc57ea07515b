import { postgresWriter, useMigratedDatabase } from '../test/database-suite.ts';
import { UnwritableLiteralError, withLiterals, type LiteralValue } from './sql-literals.ts';

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

describe('values written into a statement as literals, on PostgreSQL', () => {
  const database = useMigratedDatabase('postgresql');
  const STATEMENT = 'SELECT $1::text AS one, $2::text[] AS many, $3::timestamp(3)[] AS times, $4::text AS nothing';

  it('reads back every value as the same value sent as a parameter does', async () => {
    const pool = postgresWriter(database()).pool;
    for (const text of HOSTILE_TEXTS) {
      const values: LiteralValue[] = [text, [...HOSTILE_TEXTS, null, text], ['2026-12-07T15:00:00.123'], null];

      const written = await pool.query(withLiterals(STATEMENT, values));
      const sent = await pool.query({ text: STATEMENT, values });

      expect(written.rows).toEqual(sent.rows);
      expect(written.rows[0]).toMatchObject({ one: text, many: [...HOSTILE_TEXTS, null, text], nothing: null });
    }
  });

  it('refuses a NUL before anything is sent, as PostgreSQL refuses it as a parameter, and the connection goes on', async () => {
    const pool = postgresWriter(database()).pool;

    expect(() => withLiterals(STATEMENT, ['a\u0000b', [], [], null])).toThrow(UnwritableLiteralError);
    expect(() => withLiterals(STATEMENT, ['a', ['ok', 'a\u0000b'], [], null])).toThrow(UnwritableLiteralError);
    await expect(pool.query({ text: STATEMENT, values: ['a\u0000b', [], [], null] })).rejects.toMatchObject({ code: '22021' });
    await expect(pool.query('SELECT 1 AS alive')).resolves.toMatchObject({ rows: [{ alive: 1 }] });
  });

  it('refuses a statement with more parameters than values', () => {
    expect(() => withLiterals(STATEMENT, ['a', []])).toThrow(UnwritableLiteralError);
  });
});
