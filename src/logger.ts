import pino, { type Logger } from 'pino';
import type { AppConfig } from './config.ts';

export type { Logger };

const redactedPaths = ['token', 'authorization', '*.authorization', 'req.headers.authorization', 'password', '*.password'];

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    transport: config.logFormat === 'pretty' ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } : undefined,
  });
}
