import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { composeServices, type Services } from '../composition.ts';
import type { Db } from '../db/client.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import { InProcessRunEventBus } from '../events/run-event-bus.ts';

export const TEST_ENGINE = { maxActiveRuns: 8, maxParallelSteps: 8, maxParallelStepsPerRun: 4, stepLogMaxBytes: 64 * 1024, killGraceMs: 500 };

/** Every service over a test database, with an in-process bus and a temporary DATA_DIR. */
export function composeTestServices(db: Db, options: { clock?: Clock; bus?: InProcessRunEventBus; expectedMigrations?: string[] } = {}): Services {
  return composeServices({
    db,
    clock: options.clock ?? systemClock,
    bus: options.bus ?? new InProcessRunEventBus(),
    logger: pino({ level: 'silent' }),
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'runtrail-data-')),
    engine: TEST_ENGINE,
    expectedMigrations: options.expectedMigrations ?? [],
  });
}
