import path from 'node:path';
import { loadConfig } from './config.ts';
import { ConfigError } from './domain/errors.ts';

describe('loadConfig', () => {
  it('defaults to port 4000, ./data and a SQLite file inside it', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({ port: 4000, dataDir: path.resolve('data'), ui: true, logFormat: 'json', publicUrl: null });
    expect(config.database).toEqual({ provider: 'sqlite', url: `file:${path.resolve('data', 'runtrail.db')}` });
  });

  it('switches to PostgreSQL when DATABASE_URL is a postgres:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/runtrail' }).database).toEqual({ provider: 'postgresql', url: 'postgres://u@db:5432/runtrail' });
  });

  it('reads booleans as booleans and pretty logs in development', () => {
    expect(loadConfig({ UI: 'false', NODE_ENV: 'development' })).toMatchObject({ ui: false, dev: true, logFormat: 'pretty' });
  });

  it('names every invalid variable and what it allows', () => {
    const attempt = () => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud', UI: 'maybe' });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: .*65535/);
    expect(attempt).toThrow(/LOG_LEVEL: .*"fatal"/);
    expect(attempt).toThrow(/UI: .*"true"/);
  });

  it('reads EXECUTOR_LABELS as labels a workerSelector can name', () => {
    expect(loadConfig({ EXECUTOR_LABELS: ' region=eu, gpu=yes ' }).engine.labels).toEqual({ region: 'eu', gpu: 'yes' });
  });

  it.each([
    ['a part without "="', 'region', /"region" is not name=value/],
    ['a name a selector could not name', 'my region=eu', /"my region" is not a valid label name/],
    ['an empty value', 'region=', /"" \(of region\) is not a valid label value/],
    ['a name given twice', 'region=eu,region=us', /"region" is given twice/],
    ['more labels than the bound', Array.from({ length: 33 }, (_, index) => `l${index}=x`).join(','), /33 labels; an executor may have at most 32/],
  ])('refuses EXECUTOR_LABELS with %s', (_sentence, labels, message) => {
    const attempt = () => loadConfig({ EXECUTOR_LABELS: labels });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('gives steps only the allow-listed part of the environment, and the names STEP_ENV_PASSTHROUGH lists', () => {
    const config = loadConfig({ PATH: '/bin', LC_TIME: 'C', DATABASE_URL: 'postgres://u:secret@db/r', REDIS_URL: 'redis://x', AWS_REGION: 'eu', STEP_ENV_PASSTHROUGH: 'AWS_REGION, MISSING' });

    expect(config.engine.stepEnv).toEqual({ PATH: '/bin', LC_TIME: 'C', AWS_REGION: 'eu' });
  });

  it('keeps WORK_DIR outside DATA_DIR', () => {
    expect(loadConfig({ DATA_DIR: '/srv/rt' }).engine.workDir.startsWith('/srv/rt')).toBe(false);
    expect(() => loadConfig({ DATA_DIR: '/srv/rt', WORK_DIR: '/srv/rt/work' })).toThrow(/WORK_DIR: \/srv\/rt\/work is inside DATA_DIR/);
  });

  it('refuses STEP_USER unless the server runs as root', () => {
    expect(loadConfig({ STEP_USER: 'nobody' }, 0).engine.stepUser).toBe('nobody');
    expect(() => loadConfig({ STEP_USER: 'nobody' }, 1000)).toThrow(/STEP_USER: running steps as "nobody" needs the server to run as root, but it runs as uid 1000/);
  });

  it('reads the retention defaults, with archived periods kept forever unless a number of days is given', () => {
    expect(loadConfig({}).retention).toEqual({ hotDays: 30, archiveDays: null, keepLastRuns: 20, keepFailedForDays: 90 });
    expect(loadConfig({ RETENTION_HOT_DAYS: '0', RETENTION_ARCHIVE_DAYS: '365', RETENTION_KEEP_LAST_RUNS: '5', RETENTION_KEEP_FAILED_FOR_DAYS: '7' }).retention).toEqual({
      hotDays: 0,
      archiveDays: 365,
      keepLastRuns: 5,
      keepFailedForDays: 7,
    });
  });

  it.each([
    ['RETENTION_HOT_DAYS', '-1', 'must be a whole number of days from 0 to 36500'],
    ['RETENTION_ARCHIVE_DAYS', 'never', 'must be "forever" or a whole number of days from 1 to 36500'],
    ['RETENTION_ARCHIVE_DAYS', '0', 'must be a whole number of days from 1 to 36500'],
    ['RETENTION_KEEP_LAST_RUNS', '2.5', 'must be a whole number of runs from 0 to 100000'],
    ['RETENTION_KEEP_FAILED_FOR_DAYS', 'soon', 'must be a whole number of days from 0 to 36500'],
  ])('refuses %s=%s, saying what it allows', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`${name}: ${message}`);
  });

  it('reads ALERT_SECRET_KEY as 32 bytes of hex or base64, and none when unset', () => {
    const key = Buffer.alloc(32, 7);

    expect(loadConfig({ ALERT_SECRET_KEY: key.toString('hex') }).alertSecretKey).toEqual(key);
    expect(loadConfig({ ALERT_SECRET_KEY: key.toString('base64') }).alertSecretKey).toEqual(key);
    expect(loadConfig({}).alertSecretKey).toBeNull();
  });

  it.each([
    ['c2hvcnQ=', 'ALERT_SECRET_KEY: decodes to 5 bytes; it must be 32 bytes, as 64 hex digits or base64'],
    ['not a key!', 'ALERT_SECRET_KEY: must be 32 bytes as 64 hex digits or base64'],
  ])('refuses ALERT_SECRET_KEY=%s, saying what it must be', (value, message) => {
    expect(() => loadConfig({ ALERT_SECRET_KEY: value })).toThrow(message);
  });

  it('keeps /metrics closed unless METRICS_TOKEN or METRICS_PORT is set, with its own listener on 127.0.0.1 by default', () => {
    expect(loadConfig({}).metrics).toEqual({ token: null, port: null, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(32) }).metrics).toEqual({ token: 'a'.repeat(32), port: null, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ token: null, port: 9464, host: '0.0.0.0' });
  });

  it.each([
    ['a short METRICS_TOKEN', { METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be 16 to 512 printable characters/],
    ['a METRICS_TOKEN with a space', { METRICS_TOKEN: 'sixteen chars and more' }, /METRICS_TOKEN: must be 16 to 512 printable characters/],
    ['a METRICS_PORT that is no port', { METRICS_PORT: '70000' }, /METRICS_PORT: must be a port number from 0 to 65535/],
    ['METRICS_PORT equal to PORT', { METRICS_PORT: '4000' }, /METRICS_PORT: 4000 is PORT too/],
    ['METRICS_HOST without METRICS_PORT', { METRICS_HOST: '0.0.0.0' }, /METRICS_HOST: .*METRICS_PORT is not set/],
  ])('refuses %s, saying how to fix it', (_sentence, environment, message) => {
    expect(() => loadConfig(environment)).toThrow(message);
  });
});
