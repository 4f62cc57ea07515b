import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.ts';
import { newId } from '../../domain/ids.ts';
import { tallyIncident, type IncidentRecord } from '../../domain/insight/incident-view.ts';
import { DEFAULT_INCIDENT_SETTINGS, IncidentDetector, type Incident, type IncidentRun, type IncidentSettings } from '../../domain/insight/incidents.ts';
import type { AlertHistoryRepository } from '../../repositories/alert-history.repository.ts';
import type { IncidentHistoryRepository } from '../../repositories/incident-history.repository.ts';
import type { IncidentRepository, IncidentWrite } from '../../repositories/incident.repository.ts';

// Finished runs read per query.
const FINISHED_BATCH = 500;
// The most runs of the baseline a new leader's detector starts from: its memory, whatever the history holds.
const INCIDENT_WARM_RUNS_MAX = 20_000;

/**
 * The leader's incident detection: one detector over every project, in the leader's memory,
 * holding the finished runs of its baseline (a day), started from the latest of them (at most
 * INCIDENT_WARM_RUNS_MAX, never a scan of the history) and fed every run that finishes from the
 * head of the run event feed on. The open incident is stored as it opens, grows and closes; a new
 * leader goes on with the one stored open.
 */
export class IncidentDetectionService {
  private readonly detector: IncidentDetector;
  private readonly settings: IncidentSettings;
  private cursor: bigint | null = null;
  private stored: { id: string; members: number } | null = null;

  constructor(
    private readonly deps: {
      incidentHistory: IncidentHistoryRepository;
      alertHistory: AlertHistoryRepository;
      incidents: IncidentRepository;
      clock: Clock;
      logger: Logger;
      settings?: IncidentSettings;
      /** Told of every incident opened, grown or closed. */
      onChanged?: (incident: IncidentRecord) => void;
    },
  ) {
    this.settings = deps.settings ?? DEFAULT_INCIDENT_SETTINGS;
    this.detector = new IncidentDetector(this.settings);
  }

  /** Feeds the detector every run that finished after the cursor; answers how many were read. The first call starts at the head. */
  async catchUp(): Promise<number> {
    if (this.cursor === null) this.cursor = await this.start();
    let read = 0;
    for (;;) {
      const finished = await this.deps.incidentHistory.finishedAfter(this.cursor, FINISHED_BATCH);
      const last = finished.at(-1);
      if (last === undefined) return read;
      for (const run of finished) {
        const closed = this.detector.observe(run);
        if (closed !== null && closed.end !== null) await this.close(closed);
        await this.storeCurrent();
      }
      this.cursor = last.seq;
      read += finished.length;
      if (finished.length < FINISHED_BATCH) return read;
    }
  }

  /** Closes the open incident once its quiet spell has passed. */
  async tick(): Promise<void> {
    const closed = this.detector.tick(this.deps.clock.now().getTime());
    if (closed !== null) await this.close(closed);
  }

  /** The head of the feed, with the detector holding the recent past and the incident stored open. */
  private async start(): Promise<bigint> {
    const head = await this.deps.alertHistory.headSeq();
    this.detector.remember(await this.deps.incidentHistory.finishedSince(new Date(this.deps.clock.now().getTime() - this.settings.baselineMs), INCIDENT_WARM_RUNS_MAX));
    const open = await this.deps.incidents.findOpen();
    if (open !== null) {
      this.detector.adopt(incidentOf(open));
      this.stored = { id: open.id, members: open.members.length };
    }
    return head;
  }

  /** Stores the detector's open incident when it opened or grew. */
  private async storeCurrent(): Promise<void> {
    const current = this.detector.current;
    if (current === null || this.stored?.members === current.members.length) return;
    const parts = this.partsOf(current);
    if (this.stored === null) {
      const opened = await this.deps.incidents.open(newId('inc', new Date(current.openedAt)), new Date(current.openedAt), parts);
      // Another leader opened one first: ours is the same failures, so it goes on under that id.
      const stored = opened ?? (await this.deps.incidents.findOpen());
      if (stored === null) return;
      this.stored = { id: stored.id, members: current.members.length };
      if (opened === null) await this.changed(await this.deps.incidents.update(stored.id, parts, null), 'grown');
      else await this.changed(opened, 'opened');
      return;
    }
    this.stored = { ...this.stored, members: current.members.length };
    await this.changed(await this.deps.incidents.update(this.stored.id, parts, null), 'grown');
  }

  private async close(incident: Incident): Promise<void> {
    if (this.stored === null) return;
    const { id } = this.stored;
    this.stored = null;
    await this.changed(await this.deps.incidents.update(id, this.partsOf(incident), this.deps.clock.now()), 'closed');
  }

  private async changed(record: IncidentRecord | null, change: 'opened' | 'grown' | 'closed'): Promise<void> {
    if (record === null) return;
    this.deps.logger.info({ incident: record.id, change, members: record.members.length, projects: record.projects.length }, 'insight.incident');
    this.deps.onChanged?.(record);
  }

  private partsOf(incident: Incident): IncidentWrite {
    const { projects, attributes } = tallyIncident(incident, this.detector.othersOf(incident));
    const members = incident.members.map(({ runId, projectId, workflowId, at, error, failedStep, trigger, worker, tags }) => ({ runId, projectId, workflowId, at: new Date(at), error, failedStep, trigger, worker, tags: [...tags] }));
    return { members, projects, attributes };
  }
}

function incidentOf(record: IncidentRecord): Incident {
  const members: IncidentRun[] = record.members.map((member) => ({ ...member, at: member.at.getTime(), failed: true }));
  return { start: Math.min(...members.map((member) => member.at)), openedAt: record.openedAt.getTime(), end: null, members, attributes: [] };
}
