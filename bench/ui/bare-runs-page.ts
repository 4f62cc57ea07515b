// The floor of the runs page: the same first 50 runs, newest first, read with one raw SQL
// statement per request and sent as a static HTML table. No scripts, no styles, no API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';

export const FIRST_ROWS = 50;

interface BareRun {
  id: string;
  status: string;
  trigger: string;
  createdAt: number;
  durationMs: number | null;
  workflow: string;
  project: string;
}

// What the runs table shows, in its order: (createdAt desc, id desc) on the ("createdAt", id) index.
const FIRST_RUNS_SQL = `
  SELECT r.id, r.status, r."trigger", r."createdAt", r."durationMs", w.name AS workflow, p.name AS project
  FROM "Run" r JOIN "Workflow" w ON w.id = r."workflowId" JOIN "Project" p ON p.id = r."projectId"
  ORDER BY r."createdAt" DESC, r.id DESC
  LIMIT ${FIRST_ROWS}`;

export interface BareRunsPage {
  url: string;
  close(): Promise<void>;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function html(runs: readonly BareRun[]): string {
  const rows = runs
    .map(
      (run) =>
        `<tr data-run-id="${escape(run.id)}"><td>${escape(run.status)}</td><th><a href="/runs/${escape(run.id)}">${escape(run.workflow)}</a> ${escape(run.id)}</th>` +
        `<td>${escape(run.project)}</td><td>${escape(run.trigger)}</td><td>${new Date(run.createdAt).toISOString()}</td><td>${run.durationMs ?? ''}</td></tr>`,
    )
    .join('\n');
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Runs</title></head><body>' +
    '<table><thead><tr><th>Status</th><th>Workflow</th><th>Project</th><th>Trigger</th><th>Created</th><th>Duration</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table></body></html>`
  );
}

export async function startBareRunsPage(sqliteFile: string): Promise<BareRunsPage> {
  const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const firstRuns = db.prepare<[], BareRun>(FIRST_RUNS_SQL);
  const server = http.createServer((request, response) => {
    if (request.url !== '/runs') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html(firstRuns.all()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      db.close();
    },
  };
}
