import { randomBytes } from 'node:crypto';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';

const unique = () => randomBytes(4).toString('hex');

export async function createProjectWithWorkflow(services: Services, steps: readonly string[] = ['build', 'test']) {
  const project = await services.repositories.projects.create({ id: newId('prj'), slug: `p-${unique()}`, name: 'Test project' });
  const workflow = await services.repositories.workflows.create({
    id: newId('wf'),
    projectId: project.id,
    name: `wf-${unique()}`,
    definition: `steps:\n${steps.map((step) => `  - name: ${step}\n    command: "true"`).join('\n')}\n`,
    hash: unique(),
    tags: [],
  });
  return { project, workflow };
}
