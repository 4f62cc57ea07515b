// The bench's side of the subscriber process (subscribers.process.ts).
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { BenchFailure } from '../shared/bench-failure.ts';
import { forkScript, stopChild } from '../shared/children.ts';
import type { FromSubscribers, Progress, SubscriberMode, Summary, ToSubscribers } from './subscribers-protocol.ts';

const CLOSE_GRACE_MS = 5_000;

type Reply<Type extends FromSubscribers['type']> = Extract<FromSubscribers, { type: Type }>;

export class SubscriberPool {
  /** The newest progress report; null until armed. */
  progress: Progress | null = null;
  private waiting: { type: FromSubscribers['type']; resolve: (message: FromSubscribers) => void; reject: (error: Error) => void } | null = null;
  private exited: string | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromSubscribers) => this.received(message));
    child.once('exit', (code, signal) => {
      this.exited = `the subscriber process exited (${code ?? signal})`;
      this.waiting?.reject(new BenchFailure(this.exited));
    });
  }

  static start(): SubscriberPool {
    return new SubscriberPool(forkScript(path.join(__dirname, 'subscribers.process.ts')));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  async connect(mode: SubscriberMode, subscribers: number): Promise<Reply<'connected'>> {
    return this.ask({ type: 'connect', mode, subscribers }, 'connected');
  }

  /** Resolves once every client has received `base`: from then on, all of them are live. */
  async arm(base: number, events: number): Promise<Reply<'armed'>> {
    return this.ask({ type: 'arm', base, events }, 'armed');
  }

  async finish(commitMs: Float64Array): Promise<Summary> {
    return (await this.ask({ type: 'finish', commitMs }, 'summary')).summary;
  }

  async close(): Promise<void> {
    if (this.exited !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ToSubscribers);
    const timedOut = await Promise.race([exited.then(() => false), sleep(CLOSE_GRACE_MS, true, { ref: false })]);
    if (timedOut) await stopChild(this.child, CLOSE_GRACE_MS);
  }

  private ask<Type extends FromSubscribers['type']>(message: ToSubscribers, type: Type): Promise<Reply<Type>> {
    if (this.exited !== null) return Promise.reject(new BenchFailure(this.exited));
    return new Promise<Reply<Type>>((resolve, reject) => {
      this.waiting = { type, resolve: (reply) => resolve(reply as Reply<Type>), reject };
      this.child.send(message);
    });
  }

  private received(message: FromSubscribers): void {
    if (message.type === 'progress') {
      this.progress = message.progress;
      return;
    }
    const waiting = this.waiting;
    if (!waiting) return;
    if (message.type === waiting.type) {
      this.waiting = null;
      waiting.resolve(message);
    } else if (message.type === 'failed') {
      this.waiting = null;
      waiting.reject(new BenchFailure(`the subscribers failed: ${message.message}`));
    } else if (message.type === 'not-armed') {
      this.waiting = null;
      const error = message.firstError === null ? '' : ` (first error: ${message.firstError})`;
      waiting.reject(new BenchFailure(`${message.missing} subscribers never received the warm-up event${error}`));
    }
  }
}
