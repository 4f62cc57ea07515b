import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { didYouMean } from './did-you-mean.ts';
import { HTTP_METHODS, SHELL_EXECUTOR, type ExecutorSpec, type HttpMethod, type SmtpServer, type SshExecutor } from './executor-spec.ts';
import type { KeyValue, StepSpec } from './workflow-spec.ts';
import { describe, field, isEmpty, item, ROOT, scalarText, type Entry, type Where, type YamlReader } from './yaml-reader.ts';

/** Step types and executors Dagu has that cannot run here, each with what to do instead. */
const REFUSED_KINDS: Readonly<Record<string, string>> = {
  docker: 'Runtrail runs no containers; run the container from a command step (command: docker run ...)',
  container: 'Runtrail runs no containers; run the container from a command step (command: docker run ...)',
  agent: 'AI agent steps need a model Runtrail does not host; call the model\'s API from an http or command step',
  chat: 'AI chat steps need a model Runtrail does not host; call the model\'s API from an http or command step',
  llm: 'AI steps need a model Runtrail does not host; call the model\'s API from an http or command step',
  gha: 'GitHub Actions steps are not supported here; run the tool the action wraps from a command step',
  github_action: 'GitHub Actions steps are not supported here; run the tool the action wraps from a command step',
  archive: 'archive steps are not supported here; run tar or zip from a command step',
  dag: 'write call: <workflow> instead',
  subworkflow: 'write call: <workflow> instead',
  parallel: 'write call: <workflow> with parallel: instead',
};
const EXECUTOR_KINDS = ['shell', 'command', 'http', 'jq', 'mail', 'ssh'] as const;
/** What `type` may say: the step kinds, then the executors. */
export const STEP_TYPES = ['command', 'approval', 'shell', 'http', 'jq', 'mail', 'ssh'] as const;

const HTTP_KEYS = ['timeout', 'headers', 'query', 'body', 'silent', 'json', 'debug', 'skipTLSVerify', 'skipTlsVerify'];
const JQ_KEYS = ['raw', 'data'];
const MAIL_KEYS = ['from', 'to', 'subject', 'message', 'attachments'];
const SSH_KEYS = ['user', 'host', 'ip', 'port', 'key', 'password', 'strictHostKey', 'knownHostFile'];
const MAX_ATTACHMENTS = 20;
const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Reads which executor runs a step, in both of Dagu's spellings: `type: http` with `with: {...}`
 * (since 2026), and `executor: http` or `executor: {type: http, config: {...}}` (before).
 * `type: approval` stays the step's type; every executor step has type "command".
 */
export function readStepExecutor(r: YamlReader, keys: ReadonlyMap<string, Entry>, where: Where, stepNode: Node): { type: StepSpec['type']; executor: ExecutorSpec } {
  const typeEntry = keys.get('type');
  const executorEntry = keys.get('executor');
  const withEntry = keys.get('with');
  let kind: string | null = null;
  let kindWhere = field(where, 'type');
  let kindAt: Node | null = null;
  let config: { entry: Entry | null; node: Node | null; where: Where } = { entry: withEntry ?? null, node: withEntry?.value ?? null, where: field(where, 'with') };

  if (typeEntry && !isEmpty(typeEntry.value)) {
    kind = typeEntry.value && isScalar(typeEntry.value) ? scalarText(typeEntry.value) : null;
    kindAt = typeEntry.at;
    if (kind === null) r.report(kindWhere, typeEntry.at, `must be one of ${STEP_TYPES.join(', ')}, got ${describe(typeEntry.value)}`);
  }
  if (executorEntry && !isEmpty(executorEntry.value)) {
    const executorWhere = field(where, 'executor');
    if (kind !== null) r.report(executorWhere, executorEntry.keyNode, '"type" says the executor already; keep one of them');
    const value = executorEntry.value;
    if (value && isScalar(value)) {
      kind ??= scalarText(value);
      kindWhere = executorWhere;
      kindAt = value;
    } else if (value && isMap(value)) {
      const inner = r.checkKeys(r.entries(value, executorWhere), executorWhere, { supported: ['type', 'config'] });
      const innerType = inner.get('type');
      if (!innerType || !innerType.value || !isScalar(innerType.value) || isEmpty(innerType.value)) {
        r.report(field(executorWhere, 'type'), innerType?.at ?? value, `must be one of ${EXECUTOR_KINDS.join(', ')}, got ${describe(innerType?.value ?? null)}`);
      } else {
        kind ??= scalarText(innerType.value);
        kindWhere = field(executorWhere, 'type');
        kindAt = innerType.value;
      }
      const innerConfig = inner.get('config');
      if (innerConfig) {
        if (withEntry) r.report(field(where, 'with'), withEntry.keyNode, `"executor.config" is given too; keep one of them`);
        config = { entry: innerConfig, node: innerConfig.value, where: field(executorWhere, 'config') };
      }
    } else {
      r.report(executorWhere, executorEntry.at, `must be an executor name such as http, or a map {type, config}, got ${describe(value)}`);
    }
  }
  if (kind === null) {
    if (withEntry) r.report(where, withEntry.keyNode, `"with" configures an executor; add type: ${EXECUTOR_KINDS.filter((name) => name !== 'command').join(', type: ')}`);
    return { type: 'command', executor: SHELL_EXECUTOR };
  }
  const refused = Object.hasOwn(REFUSED_KINDS, kind) ? REFUSED_KINDS[kind] : undefined;
  if (refused !== undefined) {
    r.report(kindWhere, kindAt, `"${kind}" steps are not supported here; ${refused}`);
    return { type: 'command', executor: SHELL_EXECUTOR };
  }
  if (kind === 'approval') return { type: 'approval', executor: SHELL_EXECUTOR };
  if (!(EXECUTOR_KINDS as readonly string[]).includes(kind)) {
    r.report(kindWhere, kindAt, `unknown type "${kind}"; supported: ${STEP_TYPES.join(', ')}${didYouMean(kind, STEP_TYPES)}`);
    return { type: 'command', executor: SHELL_EXECUTOR };
  }
  const configMap = readConfigMap(r, config);
  const command = textOf(keys.get('command'));
  const script = textOf(keys.get('script'));
  switch (kind) {
    case 'http':
      return { type: 'command', executor: readHttp(r, configMap, config.where, keys, where, stepNode, command) };
    case 'jq':
      return { type: 'command', executor: readJq(r, configMap, config.where, keys, where, stepNode, command, script) };
    case 'mail':
      return { type: 'command', executor: readMail(r, configMap, config.where, keys, where, config.node ?? stepNode) };
    case 'ssh':
      // Without settings of its own, the step takes the workflow's `ssh:` (see applyWorkflowSsh).
      return { type: 'command', executor: config.entry === null ? { ...UNSET_SSH } : readSsh(r, configMap, config.where, config.node ?? stepNode, SSH_KEYS) };
    default:
      for (const entry of configMap.values()) r.report(config.where, entry.keyNode, `a shell step takes no settings here; write "${entry.key}" as a key of the step`);
      return { type: 'command', executor: SHELL_EXECUTOR };
  }
}

/** Whether a step of this executor needs a command or script of its own: mail sends what `with` says. */
export function executorNeedsCommand(executor: ExecutorSpec): boolean {
  return executor.kind !== 'mail';
}

function readConfigMap(r: YamlReader, config: { entry: Entry | null; node: Node | null; where: Where }): Map<string, Entry> {
  if (!config.entry || isEmpty(config.node)) return new Map();
  if (!config.node || !isMap(config.node)) {
    r.report(config.where, config.entry.at, `must be a map of the executor's settings, got ${describe(config.node)}`);
    return new Map();
  }
  return new Map(r.entries(config.node, config.where).map((entry) => [entry.key, entry]));
}

function textOf(entry: Entry | undefined): string | null {
  return entry?.value && isScalar(entry.value) && entry.value.value !== null ? scalarText(entry.value) : null;
}

function readHttp(r: YamlReader, config: Map<string, Entry>, where: Where, keys: ReadonlyMap<string, Entry>, stepWhere: Where, stepNode: Node, command: string | null): ExecutorSpec {
  const known = r.checkKeys([...config.values()], where, { supported: HTTP_KEYS });
  const commandWhere = field(stepWhere, 'command');
  let method: HttpMethod = 'GET';
  let url = '';
  const words = command?.trim().split(/\s+/) ?? [];
  if (keys.has('script')) r.report(stepWhere, keys.get('script')?.keyNode, 'an http step sends its "command" (METHOD URL); remove "script" (the request body is with.body)');
  if (command === null || words.length !== 2) {
    r.report(commandWhere, keys.get('command')?.at ?? stepNode, `must be "METHOD URL" such as "GET https://example.com/health", got ${command === null ? 'nothing' : JSON.stringify(command)}`);
  } else {
    const written = (words[0] ?? '').toUpperCase();
    if ((HTTP_METHODS as readonly string[]).includes(written)) method = written as HttpMethod;
    else r.report(commandWhere, keys.get('command')?.at, `"${words[0]}" is not an HTTP method; use one of ${HTTP_METHODS.join(', ')}`);
    url = words[1] ?? '';
    if (!/^(https?:\/\/|\$\{)/i.test(url)) r.report(commandWhere, keys.get('command')?.at, `"${url}" is not an http:// or https:// URL`);
  }
  const timeout = readSeconds(r, known.get('timeout'), field(where, 'timeout'));
  return {
    kind: 'http',
    method,
    url,
    headers: readPairs(r, known.get('headers'), field(where, 'headers'), 'header'),
    query: readPairs(r, known.get('query'), field(where, 'query'), 'query'),
    body: readString(r, known.get('body'), field(where, 'body')),
    timeoutSec: timeout,
    silent: readFlag(r, known.get('silent'), field(where, 'silent')) ?? false,
    json: readFlag(r, known.get('json'), field(where, 'json')) ?? false,
    skipTlsVerify: readFlag(r, known.get('skipTLSVerify') ?? known.get('skipTlsVerify'), field(where, 'skipTLSVerify')) ?? false,
  };
}

function readJq(r: YamlReader, config: Map<string, Entry>, where: Where, keys: ReadonlyMap<string, Entry>, stepWhere: Where, stepNode: Node, command: string | null, script: string | null): ExecutorSpec {
  const known = r.checkKeys([...config.values()], where, { supported: JQ_KEYS });
  if (command === null || command.trim() === '') r.report(field(stepWhere, 'command'), keys.get('command')?.at ?? stepNode, 'a jq step needs its filter in "command", such as \'.items[] | .name\'');
  const dataEntry = known.get('data');
  let input = script;
  if (dataEntry && script !== null) r.report(field(where, 'data'), dataEntry.keyNode, '"script" holds the input already; keep one of them');
  if (dataEntry && !isEmpty(dataEntry.value)) {
    const data = dataEntry.value;
    // A map or list written in YAML is the JSON input itself.
    input = data && isScalar(data) ? scalarText(data) : JSON.stringify(data?.toJSON());
  }
  if (input === null) r.report(stepWhere, stepNode, 'a jq step needs its JSON input in "script" (or with.data)');
  return { kind: 'jq', filter: command ?? '', input: input ?? '', raw: readFlag(r, known.get('raw'), field(where, 'raw')) ?? false };
}

function readMail(r: YamlReader, config: Map<string, Entry>, where: Where, keys: ReadonlyMap<string, Entry>, stepWhere: Where, at: Node): ExecutorSpec {
  const known = r.checkKeys([...config.values()], where, { supported: MAIL_KEYS });
  for (const key of ['command', 'script']) {
    const entry = keys.get(key);
    if (entry) r.report(stepWhere, entry.keyNode, `a mail step sends what with.subject and with.message say; remove "${key}"`);
  }
  const from = readString(r, known.get('from'), field(where, 'from'));
  if (from === null || !EMAIL_ADDRESS.test(from)) r.report(field(where, 'from'), known.get('from')?.at ?? at, `must be an address like runtrail@example.com, got ${describe(known.get('from')?.value ?? null)}`);
  const to = readList(r, known.get('to'), field(where, 'to'), at, 'an address like oncall@example.com, or a list of them', (text) => EMAIL_ADDRESS.test(text) || text.includes('${'));
  const attachments = readList(r, known.get('attachments'), field(where, 'attachments'), null, 'a file name, or a list of them', () => true);
  if (attachments.length > MAX_ATTACHMENTS) r.report(field(where, 'attachments'), known.get('attachments')?.at, `has ${attachments.length} files; a mail may carry at most ${MAX_ATTACHMENTS}`);
  return {
    kind: 'mail',
    smtp: null,
    from: from ?? '',
    to,
    subject: readString(r, known.get('subject'), field(where, 'subject')) ?? '',
    message: readString(r, known.get('message'), field(where, 'message')) ?? '',
    attachments,
  };
}

const UNSET_SSH: SshExecutor = { kind: 'ssh', user: '', host: '', port: 22, key: null, password: null, strictHostKey: true, knownHostFile: null };
/** As Dagu: a password may be given to a step, never to the whole workflow. */
const WORKFLOW_SSH_KEYS = SSH_KEYS.filter((key) => key !== 'password');

function readSsh(r: YamlReader, config: Map<string, Entry>, where: Where, at: Node, keys: readonly string[]): SshExecutor {
  const known = r.checkKeys([...config.values()], where, { supported: keys, ...(keys.includes('password') ? {} : { forbidden: { password: 'a password may be set on a step\'s ssh settings only (as in Dagu); use a key here' } }) });
  const user = readString(r, known.get('user'), field(where, 'user'));
  if (user === null || user.trim() === '') r.report(field(where, 'user'), known.get('user')?.at ?? at, 'missing; the user to log in as');
  const hostEntry = known.get('host') ?? known.get('ip');
  if (known.has('host') && known.has('ip')) r.report(field(where, 'ip'), known.get('ip')?.keyNode, '"host" is given too; keep one of them');
  const host = readString(r, hostEntry, field(where, hostEntry?.key ?? 'host'));
  if (host === null || host.trim() === '') r.report(field(where, 'host'), hostEntry?.at ?? at, 'missing; the host name or address to connect to');
  const portEntry = known.get('port');
  const portText = portEntry?.value && isScalar(portEntry.value) ? scalarText(portEntry.value) : '22';
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : null;
  if (port === null || port < 1 || port > 65_535) r.report(field(where, 'port'), portEntry?.at ?? at, `must be a port from 1 to 65535, got ${describe(portEntry?.value ?? null)}`);
  return {
    kind: 'ssh',
    user: user?.trim() ?? '',
    host: host?.trim() ?? '',
    port: port ?? 22,
    key: readString(r, known.get('key'), field(where, 'key')),
    password: readString(r, known.get('password'), field(where, 'password')),
    strictHostKey: readFlag(r, known.get('strictHostKey'), field(where, 'strictHostKey')) ?? true,
    knownHostFile: readString(r, known.get('knownHostFile'), field(where, 'knownHostFile')),
  };
}

/**
 * Dagu's workflow-level `ssh:`: every command step without an executor of its own, and every
 * `type: ssh` step without settings, runs its command over SSH with these settings.
 */
export function applyWorkflowSsh(r: YamlReader, steps: readonly { spec: StepSpec; where: Where; node: Node }[], sshEntry: Entry | undefined): void {
  const where = field(ROOT, 'ssh');
  let workflowSsh: SshExecutor | null = null;
  if (sshEntry && !isEmpty(sshEntry.value)) {
    if (sshEntry.value && isMap(sshEntry.value)) {
      const config = new Map(r.entries(sshEntry.value, where).map((entry) => [entry.key, entry]));
      workflowSsh = readSsh(r, config, where, sshEntry.value, WORKFLOW_SSH_KEYS);
    } else {
      r.report(where, sshEntry.at, `must be a map {user, host, port, key, strictHostKey, knownHostFile}, got ${describe(sshEntry.value)}`);
    }
  }
  for (const step of steps) {
    const { spec } = step;
    const unset = spec.executor.kind === 'ssh' && spec.executor.host === '';
    const plain = spec.executor.kind === 'shell' && spec.call === null && spec.type === 'command';
    if (workflowSsh && (unset || plain)) spec.executor = { ...workflowSsh };
    else if (unset) r.report(step.where, step.node, 'an ssh step needs with: {user, host, ...}, or the workflow\'s ssh: settings');
  }
}

/**
 * Gives each mail step the workflow's `smtp` server, read here because a mail step needs it
 * whether or not `mailOn` is set; a mail step without one is reported.
 */
export function attachSmtp(r: YamlReader, steps: readonly { spec: StepSpec; where: Where; node: Node }[], smtpEntry: Entry | undefined): void {
  const mailSteps = steps.filter((step) => step.spec.executor.kind === 'mail');
  if (mailSteps.length === 0) return;
  const smtp = readSmtpServer(smtpEntry);
  for (const step of mailSteps) {
    if (step.spec.executor.kind !== 'mail') continue;
    if (smtp === null) r.report(step.where, step.node, 'a mail step sends through the workflow\'s "smtp" server; add smtp: {host, port, username, password} to the file');
    step.spec.executor.smtp = smtp;
  }
}

/** Null when the file has no usable `smtp`: its own problems are reported where mailOn reads it. */
function readSmtpServer(entry: Entry | undefined): SmtpServer | null {
  if (!entry?.value || !isMap(entry.value)) return null;
  const values = new Map<string, string>();
  for (const pair of entry.value.items) {
    const key = pair.key && isScalar(pair.key) ? String(pair.key.value) : null;
    const value = pair.value && isScalar(pair.value) && pair.value.value !== null ? scalarText(pair.value) : null;
    if (key !== null && value !== null) values.set(key, value);
  }
  const host = values.get('host')?.trim();
  const port = Number(values.get('port'));
  if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) return null;
  return { host, port, username: values.get('username') || null, password: values.get('password') || null };
}

function readString(r: YamlReader, entry: Entry | undefined, where: Where): string | null {
  if (!entry || isEmpty(entry.value)) return null;
  if (entry.value && isScalar(entry.value)) return scalarText(entry.value);
  r.report(where, entry.at, `must be a string, got ${describe(entry.value)}`);
  return null;
}

function readFlag(r: YamlReader, entry: Entry | undefined, where: Where): boolean | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? entry.value.value : null;
  if (typeof value === 'boolean') return value;
  r.report(where, entry.at, `must be true or false, got ${describe(entry.value)}`);
  return null;
}

function readSeconds(r: YamlReader, entry: Entry | undefined, where: Where): number | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? entry.value.value : null;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  r.report(where, entry.at, `must be a positive number of seconds, got ${describe(entry.value)}`);
  return null;
}

function readPairs(r: YamlReader, entry: Entry | undefined, where: Where, what: 'header' | 'query'): KeyValue[] {
  if (!entry || isEmpty(entry.value)) return [];
  if (!entry.value || !isMap(entry.value)) {
    r.report(where, entry.at, `must be a map like {${what === 'header' ? 'Content-Type: application/json' : 'page: "1"'}}, got ${describe(entry.value)}`);
    return [];
  }
  const pairs: KeyValue[] = [];
  for (const pair of r.entries(entry.value, where)) {
    if (what === 'header' && !HEADER_NAME.test(pair.key)) {
      r.report(where, pair.keyNode, `"${pair.key}" is not a valid header name`);
      continue;
    }
    if (!pair.value || !isScalar(pair.value) || pair.value.value === null) {
      r.report(field(where, pair.key), pair.at, `must be a string, got ${describe(pair.value)}`);
      continue;
    }
    pairs.push({ name: pair.key, value: scalarText(pair.value) });
  }
  return pairs;
}

function readList(r: YamlReader, entry: Entry | undefined, where: Where, requiredAt: Node | null, expected: string, valid: (text: string) => boolean): string[] {
  if (!entry || isEmpty(entry.value)) {
    if (requiredAt) r.report(where, entry?.at ?? requiredAt, `missing; ${expected}`);
    return [];
  }
  const nodes = isSeq(entry.value) ? entry.value.items.map((node, index) => r.resolve(node as Node, item(where, index))) : [entry.value];
  const values: string[] = [];
  for (const node of nodes) {
    const text = node && isScalar(node) && node.value !== null ? scalarText(node).trim() : null;
    if (text !== null && text !== '' && valid(text)) values.push(text);
    else r.report(where, node ?? entry.at, `must be ${expected}, got ${describe(node)}`);
  }
  return [...new Set(values)];
}
