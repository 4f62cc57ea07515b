import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';

describe.each(PROVIDERS)('BootstrapService on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;
  let dataDirs: string[];

  beforeAll(() => {
    services = composeTestServices(database());
    dataDirs = [1, 2, 3].map(() => mkdtempSync(path.join(os.tmpdir(), 'runtrail-bootstrap-')));
  });
  afterAll(() => {
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the instance up exactly once when several processes start on one empty database', async () => {
    const results = await Promise.all(dataDirs.map((dataDir) => services.bootstrap.ensureFirstStart(dataDir)));

    const winners = results.filter((result) => result !== null);
    expect(winners).toHaveLength(1);
    expect(await database().db.user.count()).toBe(1);
    expect(await database().db.project.findMany({ select: { slug: true } })).toEqual([{ slug: 'default' }]);
    const principal = await services.auth.authenticate(winners[0]?.adminToken ?? '', 'API');
    expect(principal).toMatchObject({ username: 'admin', isAdmin: true });
    expect([...(principal?.roles.values() ?? [])]).toEqual(['ADMIN']);
  });

  it('stores the admin token only as a hash', async () => {
    const tokens = await database().db.apiToken.findMany();

    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(tokens)).not.toContain('rt_');
  });
});
