/** Which database a process talks to and where; parsed from DATABASE_URL by src/config.ts. */
export type DatabaseConfig = { provider: 'sqlite'; url: string } | { provider: 'postgresql'; url: string };

export type DbProvider = DatabaseConfig['provider'];
