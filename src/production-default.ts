// Imported first by the entry points. graphql-js and express choose their production code
// paths from NODE_ENV when they are loaded (graphql's development `instanceOf` check alone
// cost 4 ms on a 700-point trend), so an unset NODE_ENV means production here, as it does
// in src/config.ts.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? 'production' });
