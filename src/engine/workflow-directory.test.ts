import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { loadWorkflowDirectory } from './workflow-directory.ts';

const MAX_BYTES = 4_096;
const SMALL = 'name: small\nsteps:\n  - name: a\n    command: "true"\n';
/** A valid workflow just over MAX_BYTES: its size alone is wrong. */
const LARGE = `name: large\ndescription: "${'x'.repeat(MAX_BYTES)}"\nsteps:\n  - name: a\n    command: "true"\n`;

/** Each level merges the one before it four times: 4^8 values from about 400 bytes. */
function nestedMerges(): string {
  const lines = ['x0: &a0 {k: v}'];
  for (let level = 1; level <= 8; level += 1) lines.push(`x${level}: &a${level} {<<: [*a${level - 1}, *a${level - 1}, *a${level - 1}, *a${level - 1}], k${level}: v}`);
  return `${lines.join('\n')}\nname: laughs\nsteps:\n  - name: s\n    command: echo\n    env: *a8\n`;
}

describe('workflow definitions of hostile size', () => {
  const database = useMigratedDatabase('sqlite');
  let services: Services;
  let projectId: string;
  let directory: string;

  beforeAll(async () => {
    services = composeTestServices(database(), { workflowMaxBytes: MAX_BYTES });
    projectId = (await services.repositories.projects.create({ id: newId('prj'), slug: 'sizes', name: 'Sizes' })).id;
  });
  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'runtrail-workflows-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('refuses a definition over WORKFLOW_MAX_BYTES through saveWorkflow, naming the limit', async () => {
    const saved = services.workflows.save(ADMIN_PRINCIPAL, projectId, LARGE);

    await expect(saved).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: `The workflow is invalid:\nthe file is larger than ${MAX_BYTES} bytes, the most a workflow may have (WORKFLOW_MAX_BYTES); make it smaller or split it into several workflows`,
    });
    expect(await services.repositories.workflows.findByName(projectId, 'large')).toBeNull();
  });

  it('refuses a file over WORKFLOW_MAX_BYTES in WORKFLOWS_DIR and loads the others', async () => {
    writeFileSync(path.join(directory, 'large.yaml'), LARGE);
    writeFileSync(path.join(directory, 'small.yaml'), SMALL);
    const logger = pino({ level: 'silent' });

    const loaded = await loadWorkflowDirectory(directory, projectId, 'file', { workflows: services.workflows, logger });

    expect(loaded).toEqual({ loaded: 1, failed: 1 });
    expect(await services.repositories.workflows.findByName(projectId, 'large')).toBeNull();
    expect(await services.repositories.workflows.findByName(projectId, 'small')).not.toBeNull();
  });

  it('records the refusal of an oversized file as the loadError of the workflow it would replace', async () => {
    const file = path.join(directory, 'grows.yaml');
    const logger = pino({ level: 'silent' });
    writeFileSync(file, SMALL.replace('name: small', 'name: grows'));
    await loadWorkflowDirectory(directory, projectId, 'file', { workflows: services.workflows, logger });
    writeFileSync(file, LARGE.replace('name: large', 'name: grows'));

    await loadWorkflowDirectory(directory, projectId, 'file', { workflows: services.workflows, logger });

    const workflow = await services.repositories.workflows.findByName(projectId, 'grows');
    expect(workflow?.loadError).toBe(`${file} the file is larger than ${MAX_BYTES} bytes, the most a workflow may have (WORKFLOW_MAX_BYTES); make it smaller or split it into several workflows`);
    expect(workflow?.definition).toContain('command: "true"');
    expect(workflow?.definition.length).toBeLessThan(MAX_BYTES);
  });

  it('refuses nested merge keys through saveWorkflow with the bound and the line, and saves nothing', async () => {
    const saved = services.workflows.save(ADMIN_PRINCIPAL, projectId, nestedMerges());

    await expect(saved).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/\n\d+:\d+ steps\[0\] \(s\)\.env: aliases and merge keys \("<<"\) expand to more than 10000 values/) });
    expect(await services.repositories.workflows.findByName(projectId, 'laughs')).toBeNull();
  });
});
