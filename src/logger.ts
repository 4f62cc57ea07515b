import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { AppConfig } from './config.ts';

export type { Logger };

const redactedPaths = ['token', 'authorization', '*.authorization', 'req.headers.authorization', 'password', '*.password'];


type Stdout = Pick<NodeJS.WriteStream, 'write' | 'once' | 'writableLength'>;

/**
 * A log that never waits on stdout. A reader that stops reading (a stalled log shipper, `| sleep`)
 * must not stall the event loop or shutdown, so lines go to stdout's own asynchronous buffer
 * and nothing is ever flushed synchronously; once `logBufferBytes` wait there, further lines are
 * dropped and counted, and the count is logged when stdout drains again.
 */
export function openLog(config: Pick<AppConfig, 'logLevel' | 'logFormat' | 'logBufferBytes'>, stdout: Stdout = process.stdout): Logger {
  const format = config.logFormat === 'pretty' ? prettyFactory({ translateTime: 'SYS:HH:MM:ss.l' }) : null;
  let dropped = 0;
  const write = (text: string) => {
    if (stdout.writableLength >= config.logBufferBytes) {
      dropped += 1;
      if (dropped === 1) stdout.once('drain', reportDropped);
      return;
    }
    stdout.write(text);
  };
  const logger = pino(
    { level: config.logLevel, redact: { paths: redactedPaths, censor: '[redacted]' } },
    { write: (line: string) => write(format ? format(line) : line) },
  );
  function reportDropped() {
    const count = dropped;
    dropped = 0;
    logger.warn({ dropped: count }, 'log.lines_dropped');
  }
  return logger;
}
