import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP endpoint on an ephemeral port: answers each POST with the next of `statuses` (the last one repeats; 0: no answer at all, the request is held open). */
export interface HttpReceiver {
  url: string;
  received: ReceivedRequest[];
  /** The statuses of the next answers, the last repeating; and the body they carry. */
  answer(statuses: number[], body?: string): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  let statuses = [200];
  let answerBody = 'ok';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses.length > 1 ? (statuses.shift() ?? 200) : (statuses[0] ?? 200);
      if (status === 0) return;
      response.writeHead(status, { 'content-type': 'text/plain', ...(status >= 300 && status < 400 ? { location: '/elsewhere' } : {}) }).end(answerBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/runtrail`,
    received,
    answer(next, body = 'ok') {
      statuses = [...next];
      answerBody = body;
    },
    close: () => {
      // Held requests would keep close() waiting.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real SMTP server on an ephemeral port (no TLS), that takes the user `alerts` with `password` and keeps each message parsed. */
export interface SmtpReceiver {
  port: number;
  messages: ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpReceiver(password: string): Promise<SmtpReceiver> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          messages.push(parsed);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
