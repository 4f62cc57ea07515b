import pino from 'pino';
import type { Services } from '../composition.ts';
import { composeServices } from '../composition.ts';
import { systemClock } from '../domain/clock.ts';
import { InProcessRunEventBus } from '../events/run-event-bus.ts';
import { TEST_ACCESS, TEST_ENGINE, TEST_HISTORY, TEST_WORKFLOW_MAX_BYTES } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { databaseInstanceId } from '../db/instance-id.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { encodeAnswer, decodeAnswer } from './answer-cache.ts';
import { seederFor } from '../test/seeder.ts';
import { RedisAnswerStore } from './redis-answer-store.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('history answers shared through Redis', () => {
  const database = useMigratedDatabase('postgresql');
  const stores: RedisAnswerStore[] = [];

  /** One process's services over the shared database, with the answer cache in Redis. */
  async function processServices(): Promise<Services> {
    const answerStore = new RedisAnswerStore({ url: REDIS_URL, namespace: await databaseInstanceId(database().reader), ttlSeconds: 60, logger: pino({ level: 'silent' }) });
    await answerStore.connect();
    stores.push(answerStore);
    return composeServices({
      db: database().db,
      reader: database().reader,
      writer: database().writer,
      logConnection: database().logs,
      clock: systemClock,
      bus: new InProcessRunEventBus(),
      logger: pino({ level: 'silent' }),
      dataDir: '/tmp',
      engine: TEST_ENGINE,
      history: TEST_HISTORY,
      access: TEST_ACCESS,
      workflowMaxBytes: TEST_WORKFLOW_MAX_BYTES,
      answerStore,
      expectedMigrations: [],
      alertAllowPrivateTargets: false,
    });
  }

  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it('answers a page another process already computed from the cache, with Dates and bigints intact', async () => {
    await seederFor(database()).seed({ runs: 200, to: new Date() });
    const first = await processServices();
    const second = await processServices();
    const snapshot = (await first.history.headSnapshot()).toString();
    const computed = await first.history.runsPage(ADMIN_PRINCIPAL, { statuses: ['SUCCEEDED', 'FAILED'] }, { first: 20, snapshot });
    // Read once at start-up by openRuntime, as a server process does.
    await second.cursorKeys.get();
    const statements: string[] = [];
    database().onStatement((sql) => statements.push(sql));

    const cached = await second.history.runsPage(ADMIN_PRINCIPAL, { statuses: ['SUCCEEDED', 'FAILED'] }, { first: 20, snapshot });
    database().onStatement(null);

    expect(cached.edges.map((edge) => edge.node)).toEqual(computed.edges.map((edge) => edge.node));
    expect(cached.edges[0]?.node.createdAt).toBeInstanceOf(Date);
    // Only the archive catalog's change count (what the answer is keyed under) and the snapshot's check against the head: the page itself came from Redis.
    expect(statements).toEqual([expect.stringContaining('FROM "ArchivePeriod"'), expect.stringContaining('FROM "EventCounter"')]);
  });

  it('round-trips answers with Dates and bigints through their JSON form', () => {
    const answer = { at: new Date('2026-11-24T10:00:00.000Z'), seq: 12_345_678_901_234n, nested: [{ when: new Date(0) }], plain: { $date: 1 } };

    expect(decodeAnswer(encodeAnswer(answer))).toEqual(answer);
  });
});
