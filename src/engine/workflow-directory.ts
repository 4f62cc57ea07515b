import { closeSync, existsSync, openSync, readdirSync, readSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { BootstrapService } from '../services/bootstrap.service.ts';
import type { LoadResult, WorkflowService } from '../services/workflow.service.ts';

const WORKFLOW_FILE = /\.ya?ml$/;
const DEBOUNCE_MS = 200;
/** The commented workflows shipped beside the code (src/engine or dist/engine). */
const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

type DirectoryDeps = { workflows: WorkflowService; logger: Logger };

/**
 * The workflow files of the `default` project: the shipped examples when asked (a first start
 * with LOAD_EXAMPLES), then the workflows directory, which is watched from then on (the
 * caller closes the watcher). Nothing when the `default` project has been deleted.
 */
export async function loadDefaultProjectWorkflows(
  source: { directory: string; withExamples: boolean },
  deps: DirectoryDeps & { bootstrap: BootstrapService },
): Promise<FSWatcher | null> {
  const project = await deps.bootstrap.defaultProject();
  if (!project) return null;
  if (source.withExamples) await loadWorkflowDirectory(EXAMPLES_DIR, project.id, 'example', deps);
  await loadWorkflowDirectory(source.directory, project.id, 'file', deps);
  return watchWorkflowDirectory(source.directory, project.id, deps);
}

/** Loads every YAML file of a directory into a project, one file at a time: a bad file never stops the others. */
export async function loadWorkflowDirectory(directory: string, projectId: string, source: 'file' | 'example', deps: DirectoryDeps) {
  if (!existsSync(directory)) return { loaded: 0, failed: 0 };
  let loaded = 0;
  let failed = 0;
  for (const name of readdirSync(directory).filter((file) => WORKFLOW_FILE.test(file)).sort()) {
    (await loadWorkflowFile(path.join(directory, name), projectId, source, deps)) ? (loaded += 1) : (failed += 1);
  }
  return { loaded, failed };
}

async function loadWorkflowFile(file: string, projectId: string, source: 'file' | 'example', deps: DirectoryDeps): Promise<boolean> {
  let yaml: string;
  try {
    yaml = readAtMost(file, deps.workflows.maxBytes + 1);
  } catch (error) {
    deps.logger.warn({ file, err: error }, 'workflows.file_unreadable');
    return false;
  }
  let result: LoadResult;
  try {
    result = await deps.workflows.load({ projectId, yaml, source: source === 'file' ? `file:${file}` : 'example', defaultName: path.basename(file).replace(WORKFLOW_FILE, '') });
  } catch (error) {
    // The database away: the file is read again at its next change or the next start.
    deps.logger.error({ file, err: error }, 'workflows.load_failed');
    return false;
  }
  if (result.ok) {
    deps.logger.info({ file, workflowId: result.workflow.id }, 'workflows.loaded');
  } else {
    deps.logger.error({ file, problems: result.message }, 'workflows.invalid_file_kept_previous_version');
  }
  return result.ok;
}

/**
 * The first `limit` bytes of a file as text: one byte past WORKFLOW_MAX_BYTES is enough to
 * refuse it, so a huge file in the directory costs no more memory than an accepted one.
 */
function readAtMost(file: string, limit: number): string {
  const buffer = Buffer.alloc(limit);
  const handle = openSync(file, 'r');
  try {
    let filled = 0;
    for (let read = -1; read !== 0 && filled < limit; filled += read) read = readSync(handle, buffer, filled, limit - filled, filled);
    return buffer.subarray(0, filled).toString('utf8');
  } finally {
    closeSync(handle);
  }
}

/** Reloads a file of the directory when it changes (debounced); deleting a file keeps its workflow and history. */
function watchWorkflowDirectory(directory: string, projectId: string, deps: DirectoryDeps): FSWatcher | null {
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
