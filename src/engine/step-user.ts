import { execFile } from 'node:child_process';
import { ConfigError } from '../domain/errors.ts';

/** Who a step runs as when the server (root) runs steps as STEP_USER. */
export interface StepIdentity {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Looks STEP_USER (a name or a uid) up in the system's user database (getent: files, LDAP, ...). */
export function resolveStepUser(user: string): Promise<StepIdentity> {
  return new Promise((resolve, reject) => {
    execFile('getent', ['passwd', user], { timeout: 10_000 }, (error, stdout) => {
      const fields = stdout.trim().split('\n')[0]?.split(':') ?? [];
      const [name, , uid, gid, , home, shell] = fields;
      if (error || name === undefined || uid === undefined || gid === undefined || home === undefined || shell === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) {
        const reason = error && 'code' in error && error.code === 'ENOENT' ? 'the getent command is not installed' : `"getent passwd ${user}" found no such user`;
        reject(new ConfigError(`STEP_USER "${user}" cannot be used: ${reason}; set STEP_USER to an existing user name or uid`));
        return;
      }
      const identity = { name, uid: Number(uid), gid: Number(gid), home, shell };
      if (identity.uid === 0) {
        reject(new ConfigError(`STEP_USER "${user}" is root: steps would run with the server's rights; choose an unprivileged user`));
        return;
      }
      resolve(identity);
    });
  });
}
