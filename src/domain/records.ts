import type { RunStatus } from './status.ts';
import type { RunTrigger } from './vocabulary.ts';

/*
 * The stored shapes the upper layers (GraphQL, the CLI) read. Repositories return rows that
 * satisfy these, so a layer above the services types against domain, never against a
 * repository or the Prisma client.
 */

export interface StoredWorkflow {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  /** The workflow's `tags` as stored (JSON): a list of strings when it was saved through the API. */
  tags: unknown;
  definition: string;
  hash: string;
  schedule: string | null;
  enabled: boolean;
  source: string;
  loadError: string | null;
  lastFiredAt: Date | null;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredRun {
  id: string;
  projectId: string;
  workflowId: string;
  status: RunStatus;
  trigger: RunTrigger;
  params: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  attempt: number;
  retryOfId: string | null;
  /** The run whose call step started this one (trigger SUBDAG), and that step; null for every other run. */
  parentRunId: string | null;
  parentStepName: string | null;
  versionId: string | null;
  error: string | null;
  lastSeq: bigint;
}

export interface AccountUser {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: Date;
}

/** A membership with its user. */
export interface ProjectMember {
  userId: string;
  projectId: string;
  role: string;
  createdAt: Date;
  user: AccountUser;
}

/** An API token's stored facts (never its hash) with its owner's name. */
export interface OwnedApiToken {
  id: string;
  name: string;
  kind: string;
  projectId: string | null;
  role: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  user: { username: string };
}
