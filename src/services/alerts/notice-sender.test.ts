import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { firingAlert, noticeOf } from '../../test/alert-notices.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/alert-receivers.ts';
import { NoticeSender } from './notice-sender.ts';

const outgoing = { id: 'msg_1', notice: noticeOf([firingAlert('failures', 'nightly')]), at: new Date() };
const SIGNING_KEY = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

describe('sending a notice, bounded', () => {
  let receiver: HttpReceiver;
  const sender = new NoticeSender({ timeoutMs: 300, guard: null });

  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    receiver.answer([0]);

    const result = await sender.send({ kind: 'WEBHOOK', url: receiver.url }, SIGNING_KEY, outgoing);

    expect(result).toEqual({ ok: false, statusCode: null, error: 'No answer within 300 ms' });
  });

  it('does not follow a redirect, and keeps only the start of a long answer for the error', async () => {
    receiver.answer([302]);
    const redirected = await sender.send({ kind: 'SLACK', url: receiver.url }, null, outgoing);
    receiver.answer([500], 'x'.repeat(100_000));
    const long = await sender.send({ kind: 'SLACK', url: receiver.url }, null, outgoing);

    expect(redirected).toMatchObject({ ok: false, statusCode: 302 });
    expect(long).toEqual({ ok: false, statusCode: 500, error: `HTTP 500: ${'x'.repeat(512)}` });
  });

  it('says why a connection was refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const result = await sender.send({ kind: 'SLACK', url: `http://127.0.0.1:${port}/hook` }, null, outgoing);

    expect(result).toEqual({ ok: false, statusCode: null, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('gives up on an SMTP server that never greets within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const result = await sender.send({ kind: 'EMAIL', host: '127.0.0.1', port, secure: false, user: null, from: 'a@example.com', to: ['b@example.com'], subjectPrefix: null }, null, outgoing);

      expect(result).toMatchObject({ ok: false, statusCode: null });
      expect(result.error).toMatch(/Greeting never received|No answer within 300 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
