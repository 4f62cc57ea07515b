import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { generateTokenSecret, hashTokenSecret } from '../auth/token-secret.ts';
import { newId } from '../domain/ids.ts';
import type { ApiTokenRepository } from '../repositories/api-token.repository.ts';
import type { ProjectRecord, ProjectRepository } from '../repositories/project.repository.ts';
import type { UserRepository } from '../repositories/user.repository.ts';

export const DEFAULT_PROJECT_SLUG = 'default';
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface FirstStart {
  adminUserId: string;
  adminToken: string;
  tokenFile: string;
}

interface BootstrapDeps {
  db: Db;
  users: UserRepository;
  projects: ProjectRepository;
  tokens: ApiTokenRepository;
}

export class BootstrapService {
  constructor(private readonly deps: BootstrapDeps) {}

  /** The project created at the first start, where WORKFLOWS_DIR and `runtrail run` put workflows; null when it was removed. */
  defaultProject(): Promise<ProjectRecord | null> {
    return this.deps.projects.findBySlug(DEFAULT_PROJECT_SLUG);
  }

  /**
   * On an empty database: an instance admin, the `default` project and an admin token,
   * written to DATA_DIR/admin-token (0600). Returns null when the instance was set up before.
   */
  async ensureFirstStart(dataDir: string): Promise<FirstStart | null> {
    if ((await this.deps.users.count()) > 0) return null;
    const adminToken = generateTokenSecret();
    const adminUserId = newId('usr');
    const created = await this.deps.db
      .$transaction(async (tx) => {
        const user = await this.deps.users.create({ id: adminUserId, username: 'admin', displayName: 'Administrator', isAdmin: true }, tx);
        const project = await this.deps.projects.create({ id: newId('prj'), slug: DEFAULT_PROJECT_SLUG, name: 'Default' }, tx);
        await this.deps.users.addMembership({ userId: user.id, projectId: project.id, role: 'ADMIN' }, tx);
        await this.deps.tokens.create({ id: newId('tok'), userId: user.id, name: 'admin (first start)', tokenHash: hashTokenSecret(adminToken) }, tx);
        return true;
      })
      // Several processes may start on one empty PostgreSQL database: the first one wins.
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) return false;
        throw error;
      });
    if (!created) return null;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const tokenFile = path.join(dataDir, ADMIN_TOKEN_FILE);
    writeFileSync(tokenFile, `${adminToken}\n`, { mode: 0o600 });
    return { adminUserId, adminToken, tokenFile };
  }
}
