/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

type Transformer = [string, Record<string, unknown>];

/**
 * swc options for one kind of source. `.ts` and `.tsx` need separate parsers: with TSX on, a
 * generic arrow function (`<T>(value: T) => …`) in a `.ts` file would read as a JSX tag.
 */
function swc({ tsx }: { tsx: boolean }): Transformer {
  return [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', tsx, decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, ...(tsx ? { react: { runtime: 'automatic' } } : {}) },
      },
      module: { type: 'commonjs' },
    },
  ];
}

const config: Config = {
  // A global option: inside a project jest ignores it (and would allow 5 s).
  testTimeout: 60_000,
  // Jest's default is a worker per core but one; the suite mostly waits (on servers, databases,
  // step processes, timers), so two workers on this 2-core machine took it from 26 to 15 minutes.
  maxWorkers: 2,
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/scripts', '<rootDir>/e2e'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.tsx?$': swc({ tsx: false }) },
      // A project's global setup runs only when one of its tests is selected: the UI's tests
      // below need neither the server build nor `next build`, so they do not wait for them.
      globalSetup: '<rootDir>/src/test/global-setup.ts',
    },
    {
      // Pure modules run on node; a file that renders opts into jsdom with a docblock.
      displayName: 'app',
      testEnvironment: 'node',
      roots: ['<rootDir>/app'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: {
        '^.+\\.ts$': swc({ tsx: false }),
        '^.+\\.tsx$': swc({ tsx: true }),
      },
    },
    {
      // @runtrail/client against the real server; its global setup builds both (the package's
      // ESM and CommonJS output is tested as installed), the tests import its TypeScript source.
      displayName: 'client',
      testEnvironment: 'node',
      roots: ['<rootDir>/packages/client'],
      testMatch: ['**/*.test.ts'],
      modulePathIgnorePatterns: ['<rootDir>/packages/client/dist'],
      transform: { '^.+\\.ts$': swc({ tsx: false }) },
      globalSetup: '<rootDir>/packages/client/test/global-setup.ts',
    },
  ],
};

export default config;
