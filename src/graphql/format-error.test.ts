import { GraphQLError } from 'graphql';
import pino from 'pino';
import { Writable } from 'node:stream';
import { AppError } from '../domain/errors.ts';
import { createErrorFormatter } from './format-error.ts';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'error' }, stream), lines };
}

function resolverError(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['run'], originalError: original });
}

describe('createErrorFormatter', () => {
  it('gives an AppError its code, message and details', () => {
    const { logger } = capturingLogger();
    const error = resolverError(new AppError('CONFLICT', 'Run run_1 is already finished', { runId: 'run_1' }));

    const formatted = createErrorFormatter(logger)(error.toJSON(), error);

    expect(formatted).toEqual({ message: 'Run run_1 is already finished', path: ['run'], extensions: { code: 'CONFLICT', runId: 'run_1' } });
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR and logs it with its stack', () => {
    const { logger, lines } = capturingLogger();
    const error = resolverError(new Error('connection reset by peer at 10.0.0.7'));

    const formatted = createErrorFormatter(logger)(error.toJSON(), error);

    expect(formatted).toEqual({ message: 'Internal server error', path: ['run'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines[0]).toMatchObject({ msg: 'graphql.internal_error', err: { message: 'connection reset by peer at 10.0.0.7', stack: expect.stringContaining('Error:') } });
  });

  it('passes client mistakes through with their own code', () => {
    const { logger } = capturingLogger();
    const error = new GraphQLError('Cannot query field "nope" on type "Viewer".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });

    expect(createErrorFormatter(logger)(error.toJSON(), error)).toEqual(error.toJSON());
  });
});
