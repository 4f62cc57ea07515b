import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { commandLinePrincipal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import type { AppConfig } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { isRole, ROLES, type Role } from '../domain/vocabulary.ts';
import { loginLinkUrl } from '../auth/login-link.ts';
import { runningServer } from '../services/server-presence.ts';

type Action = (services: Services, config: AppConfig) => Promise<void>;

const DAY_MS = 24 * 60 * 60 * 1000;

function role(value: string): Role {
  const upper = value.toUpperCase();
  if (!isRole(upper)) throw new InvalidArgumentError(`choose one of ${ROLES.join(', ')}`);
  return upper;
}

function days(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('a positive number of days');
  return parsed;
}

/** The first line of stdin: passwords never go on the command line, where `ps` and shell history would keep them. */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export async function projectIdOf(services: Services, slugOrId: string): Promise<string> {
  const project = await services.projects.find(commandLinePrincipal(), slugOrId);
  if (!project) throw new AppError('NOT_FOUND', `There is no project "${slugOrId}" (give its slug or id; \`runtrail project list\` shows them)`);
  return project.id;
}

async function userIdOf(services: Services, username: string): Promise<string> {
  return (await services.access.findUser(commandLinePrincipal(), username)).id;
}

/** Opens the database, runs the action as an instance admin, and exits: 0, 1 on a refused request, 2 on bad input. */
export function withRuntime(loadConfig: () => AppConfig, action: Action): () => Promise<void> {
  return async () => {
    const config = loadConfig();
    // Loaded when a command runs, not when the CLI starts: commands that never open the database start faster.
    const { openRuntime, closeRuntime } = await import('../runtime.ts');
    const runtime = await openRuntime(config, pino({ level: 'warn' }));
    let code = 0;
    try {
      await action(runtime.services, config);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      console.error(`${error.code}: ${error.message}`);
      code = error.code === 'BAD_USER_INPUT' ? 2 : 1;
    } finally {
      await closeRuntime(runtime, 'runtrail command ended');
    }
    process.exit(code);
  };
}

/** `runtrail user|project|token …`: head-less set-up of who may do what, straight on the database. */
export function registerAccessCommands(program: Command, loadConfig: () => AppConfig): void {
  const cli = commandLinePrincipal();
  const run = (action: Action) => withRuntime(loadConfig, action);

  const user = program.command('user').description('create users, set passwords, make sign-in links');
  user
    .command('create <username>')
    .description('create a user; --password-stdin reads the password from the first line of stdin')
    .option('--display-name <name>', 'shown in the UI (default: the username)')
    .option('--admin', 'an instance admin: reads every project, creates projects and users')
    .option('--password-stdin', 'set a password for signing in to the UI')
    .option('--email <address>', 'where reports the user is a recipient of are mailed')
    .action((username: string, options: { displayName?: string; admin?: boolean; passwordStdin?: boolean; email?: string }) =>
      run(async ({ access }) => {
        const password = options.passwordStdin ? await passwordFromStdin() : null;
        const created = await access.createUser(cli, { username, displayName: options.displayName, password, isAdmin: options.admin ?? false, email: options.email ?? null });
        console.log(`Created user ${created.username} (${created.id})${created.isAdmin ? ', instance admin' : ''}${created.email === null ? '' : `, mailed at ${created.email}`}`);
      })(),
    );
  user
    .command('list')
    .description('every user')
    .action(() =>
      run(async ({ access }) => {
        for (const each of await access.users(cli)) console.log(`${each.username.padEnd(24)} ${each.isAdmin ? 'admin ' : '      '} ${each.displayName}${each.email === null ? '' : ` <${each.email}>`}`);
      })(),
    );
  user
    .command('email <username> [address]')
    .description('set the address reports are mailed to; --clear removes it')
    .option('--clear', 'remove the address: the user gets no report mail')
    .action((username: string, address: string | undefined, options: { clear?: boolean }) =>
      run(async ({ access }) => {
        if ((address === undefined) === !options.clear) throw new AppError('BAD_USER_INPUT', 'Give either an address or --clear, e.g. `runtrail user email ada ada@example.com`', { argument: 'address' });
        const updated = await access.setEmail(cli, { username, email: address ?? null });
        console.log(updated.email === null ? `${username} has no email address now` : `${username} is mailed at ${updated.email}`);
      })(),
    );
  user
    .command('password <username>')
    .description('set a user’s password, read from the first line of stdin')
    .action((username: string) =>
      run(async ({ access }) => {
        await access.setPassword(cli, { username, newPassword: await passwordFromStdin() });
        console.log(`Password of ${username} set`);
      })(),
    );
  user
    .command('login-link <username>')
    .description('print a one-time sign-in URL for the user')
    .action((username: string) =>
      run(async (services, config) => {
        const link = await services.auth.createLoginLink(await userIdOf(services, username));
        console.log(loginLinkUrl(config.publicUrl ?? runningServer(config.dataDir)?.url ?? `http://localhost:${config.port}`, link.secret));
        console.error(`Works once, until ${link.expiresAt.toISOString()}`);
      })(),
    );

  const project = program.command('project').description('create projects and manage their members');
  project
    .command('create <slug>')
    .option('--name <name>', 'shown in the UI (default: the slug)')
    .action((slug: string, options: { name?: string }) =>
      run(async ({ access }) => {
        const created = await access.createProject(cli, { slug, name: options.name });
        console.log(`Created project ${created.slug} (${created.id})`);
      })(),
    );
  project
    .command('list')
    .action(() =>
      run(async ({ projects }) => {
        for (const each of await projects.listReadable(cli)) console.log(`${each.slug.padEnd(24)} ${each.id}  ${each.name}`);
      })(),
    );
  project
    .command('members <project>')
    .action((slug: string) =>
      run(async (services) => {
        for (const member of await services.access.members(cli, await projectIdOf(services, slug))) console.log(`${member.user.username.padEnd(24)} ${member.role}`);
      })(),
    );
  project
    .command('add-member <project> <username> <role>')
    .description(`role: ${ROLES.join(', ')}`)
    .action((slug: string, username: string, roleName: string) =>
      run(async (services) => {
        const member = await services.access.addMember(cli, { projectId: await projectIdOf(services, slug), username, role: role(roleName) });
        console.log(`${member.user.username} is ${member.role} in ${slug}`);
      })(),
    );
  project
    .command('set-role <project> <username> <role>')
    .action((slug: string, username: string, roleName: string) =>
      run(async (services) => {
        const member = await services.access.setMemberRole(cli, { projectId: await projectIdOf(services, slug), username, role: role(roleName) });
        console.log(`${member.user.username} is ${member.role} in ${slug}`);
      })(),
    );
  project
    .command('remove-member <project> <username>')
    .action((slug: string, username: string) =>
      run(async (services) => {
        await services.access.removeMember(cli, { projectId: await projectIdOf(services, slug), username });
        console.log(`${username} is no longer a member of ${slug}`);
      })(),
    );

  const token = program.command('token').description('create, list and revoke API tokens');
  token
    .command('create <username>')
    .description('print a new token of the user (only the secret goes to stdout)')
    .requiredOption('--name <name>', 'what it is for')
    .option('--expires-in <days>', 'expire after this many days (default: never)', days)
    .option('--project <project>', 'a project token: acts only in this project')
    .option('--role <role>', `the project token’s role: ${ROLES.join(', ')} (default VIEWER)`, role)
    .action((username: string, options: { name: string; expiresIn?: number; project?: string; role?: Role }) =>
      run(async (services) => {
        const ownerId = await userIdOf(services, username);
        const projectId = options.project ? await projectIdOf(services, options.project) : null;
        const expiresAt = options.expiresIn ? new Date(Date.now() + options.expiresIn * DAY_MS) : null;
        const created = await services.access.createToken(cli, ownerId, { name: options.name, expiresAt, projectId, role: options.role ?? null });
        console.error(`Token ${created.token.id} "${created.token.name}" of ${username}${projectId ? ` for ${options.project} as ${created.token.role}` : ''}: shown once, keep it safe`);
        console.log(created.secret);
      })(),
    );
  token
    .command('list <username>')
    .description('the API tokens the user created, personal and for projects (never their secrets)')
    .action((username: string) =>
      run(async (services) => {
        const projects = new Map((await services.projects.listReadable(cli)).map((each) => [each.id, each.slug]));
        for (const each of await services.access.tokensOfUser(cli, await userIdOf(services, username))) {
          const state = each.revokedAt ? 'revoked' : each.expiresAt && each.expiresAt <= new Date() ? 'expired' : 'active';
          const scope = each.projectId ? `  (${projects.get(each.projectId) ?? each.projectId} as ${each.role})` : '';
          console.log(`${each.id}  ${state.padEnd(8)} ${each.name}${scope}${each.lastUsedAt ? `  last used ${each.lastUsedAt.toISOString()}` : ''}`);
        }
      })(),
    );
  token
    .command('revoke <id>')
    .action((id: string) =>
      run(async ({ access }) => {
        const revoked = await access.revokeToken(cli, id);
        console.log(`Token ${revoked.id} "${revoked.name}" revoked`);
      })(),
    );
}
