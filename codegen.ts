// `npm run codegen`: typed documents for the UI from schema.graphql and the graphql() calls in
// app/. The output in app/_gql/ is committed; `npm run codegen:check` (CI) fails when stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['app/**/*.{ts,tsx}', '!app/_gql/**'],
  generates: {
    'app/_gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
      },
    },
  },
};

export default config;
