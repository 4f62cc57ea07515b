import type { CredentialKind, Principal } from '../auth/principal.ts';
import { newId } from '../domain/ids.ts';
import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';

function presenting(kind: CredentialKind): Principal {
  return { ...ADMIN_PRINCIPAL, credential: { id: newId('tok'), kind, tokenHash: 'hash', expiresAt: null, projectId: null } };
}

describe('what triggerRun records as the trigger', () => {
  const database = useMigratedDatabase('sqlite');

  it('is API for a caller with an API token, MANUAL for a signed-in person and for the command line', async () => {
    const services = composeTestServices(database());
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: 'triggers', name: 'Triggers' });
    const loaded = await services.workflows.load({ projectId: project.id, yaml: 'name: t\nsteps:\n  - name: s\n    command: "true"\n', source: 'api' });
    if (!loaded.ok) throw new Error(loaded.message);

    const byToken = await services.control.triggerRun(presenting('API'), loaded.workflow.id, {});
    const bySession = await services.control.triggerRun(presenting('SESSION'), loaded.workflow.id, {});
    const byCommandLine = await services.control.triggerRun(ADMIN_PRINCIPAL, loaded.workflow.id, {});

    expect([byToken.trigger, bySession.trigger, byCommandLine.trigger]).toEqual(['API', 'MANUAL', 'MANUAL']);
  });
});
