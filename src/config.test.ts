import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';

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
});
