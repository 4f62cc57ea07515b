import { existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { WorkflowService } from '../services/workflow.service.ts';

const WORKFLOW_FILE = /\.ya?ml$/;
const DEBOUNCE_MS = 200;

/** Loads every YAML file of a directory into a project, one file at a time: a bad file never stops the others. */
export async function loadWorkflowDirectory(directory: string, projectId: string, source: 'file' | 'example', deps: { workflows: WorkflowService; logger: Logger }) {
  if (!existsSync(directory)) return { loaded: 0, failed: 0 };
  let loaded = 0;
  let failed = 0;
  for (const name of readdirSync(directory).filter((file) => WORKFLOW_FILE.test(file)).sort()) {
    (await loadWorkflowFile(path.join(directory, name), projectId, source, deps)) ? (loaded += 1) : (failed += 1);
  }
  return { loaded, failed };
}

async function loadWorkflowFile(file: string, projectId: string, source: 'file' | 'example', deps: { workflows: WorkflowService; logger: Logger }): Promise<boolean> {
  let yaml: string;
  try {
    yaml = readFileSync(file, 'utf8');
  } catch (error) {
    deps.logger.warn({ file, err: error }, 'workflows.file_unreadable');
    return false;
  }
  const result = await deps.workflows.load({ projectId, yaml, source: source === 'file' ? `file:${file}` : 'example', defaultName: path.basename(file).replace(WORKFLOW_FILE, '') });
  if (result.ok) {
    deps.logger.info({ file, workflowId: result.workflow.id }, 'workflows.loaded');
  } else {
    deps.logger.error({ file, problems: result.message }, 'workflows.invalid_file_kept_previous_version');
  }
  return result.ok;
}

/** Reloads a file of the directory when it changes (debounced); deleting a file keeps its workflow and history. */
export function watchWorkflowDirectory(directory: string, projectId: string, deps: { workflows: WorkflowService; logger: Logger }): FSWatcher | null {
  if (!existsSync(directory)) return null;
  const pending = new Map<string, NodeJS.Timeout>();
  const watcher = watch(directory, (_event, fileName) => {
    if (!fileName || !WORKFLOW_FILE.test(fileName)) return;
    clearTimeout(pending.get(fileName));
    pending.set(
      fileName,
      setTimeout(() => {
        pending.delete(fileName);
        const file = path.join(directory, fileName);
        if (existsSync(file)) void loadWorkflowFile(file, projectId, 'file', deps);
      }, DEBOUNCE_MS),
    );
  });
  watcher.on('error', (error) => deps.logger.error({ err: error, directory }, 'workflows.watch_failed'));
  return watcher;
}
