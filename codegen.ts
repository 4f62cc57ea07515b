// `npm run codegen`: typed documents from schema.graphql for the UI (the graphql() calls in app/)
// and for @runtrail/client (its .graphql operations). The output in app/_gql/ and
// packages/client/src/generated/ is committed; `npm run codegen:check` (CI) fails when stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'app/_gql/': {
      documents: ['app/**/*.{ts,tsx}', '!app/_gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
    // Documents as strings (TypedDocumentString): the client sends them without graphql-js.
    'packages/client/src/generated/': {
      documents: ['packages/client/src/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        documentMode: 'string',
        // A DateTime read is a branded string, so `dates: 'date'` can type exactly those as Date;
        // one sent may be a Date, which JSON turns into its ISO string.
        scalars: { DateTime: { input: 'string | Date', output: "string & { readonly ' $dateTime': true }" }, JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
    // Where each operation's result holds DateTime values, for createClient({ dates: 'date' }).
    'packages/client/src/generated/date-time-paths.ts': {
      documents: ['packages/client/src/operations/*.graphql'],
      plugins: ['./packages/client/codegen/date-time-paths.cjs'],
    },
  },
};

export default config;
