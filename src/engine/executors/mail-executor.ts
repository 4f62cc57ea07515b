import { stat } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { expandVariables } from '../../domain/workflow/expand.ts';
import type { MailExecutor } from '../../domain/workflow/executor-spec.ts';
import type { ExecutorContext, ExecutorOutcome } from './executor-context.ts';
import { stepFileProblem } from './step-files.ts';

/** Each SMTP phase (connect, greeting, every reply) must answer within this. */
const SMTP_PHASE_TIMEOUT_MS = 30_000;
/** An attachment larger than this fails the step before anything is sent. */
export const MAIL_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * Dagu's mail executor: one mail through the workflow's `smtp` server (STARTTLS when the server
 * offers it, TLS on port 465), its fields expanded from the step's variables. The output is the
 * server's reply, such as "250 OK: queued".
 */
export async function startMailSending(spec: MailExecutor, context: ExecutorContext, signal: AbortSignal): Promise<ExecutorOutcome> {
  if (spec.smtp === null) return { exitCode: 1, stdout: '', failure: 'the workflow has no "smtp" server to send through' };
  const expand = (text: string) => expandVariables(text, context.variables);
  const to = spec.to.map(expand);
  const attachments = spec.attachments.map((file) => ({ path: path.resolve(context.cwd, expand(file)) }));
  for (const attachment of attachments) {
    const problem = await attachmentProblem(attachment.path, context);
    if (problem !== null) return { exitCode: 1, stdout: '', failure: problem };
  }
  const smtp = spec.smtp;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.port === 465,
    ...(smtp.username === null ? {} : { auth: { user: expand(smtp.username), pass: expand(smtp.password ?? '') } }),
    connectionTimeout: SMTP_PHASE_TIMEOUT_MS,
    greetingTimeout: SMTP_PHASE_TIMEOUT_MS,
    socketTimeout: SMTP_PHASE_TIMEOUT_MS,
  });
  context.log.write(Buffer.from(`mail to ${to.join(', ')} through ${smtp.host}:${smtp.port}\n`));
  const stop = () => transport.close();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) return { exitCode: 1, stdout: '', failure: 'stopped' };
  try {
    const info = await transport.sendMail({ from: expand(spec.from), to, subject: expand(spec.subject), text: expand(spec.message), attachments });
    const reply = String(info.response);
    context.log.write(Buffer.from(`${reply}\n`));
    return { exitCode: 0, stdout: reply, failure: null };
  } catch (error) {
    return { exitCode: 1, stdout: '', failure: `sending the mail through ${smtp.host}:${smtp.port} failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    signal.removeEventListener('abort', stop);
    transport.close();
  }
}

async function attachmentProblem(file: string, context: ExecutorContext): Promise<string | null> {
  const problem = await stepFileProblem(file, context);
  if (problem !== null) return `attachment ${problem}`;
  return (await stat(file)).size > MAIL_MAX_ATTACHMENT_BYTES ? `attachment "${file}" is larger than ${MAIL_MAX_ATTACHMENT_BYTES} bytes` : null;
}
