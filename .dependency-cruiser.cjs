/**
 * The layering of DESIGN.md, enforced by `npm run lint:deps` (and so by CI).
 *
 * Data flows one way. A module may import its own layer and the layers BELOW it, never above:
 *
 *   domain ← db ← repositories ← events ← services ← seed ← engine ← wiring ← graphql ← server ← cli
 *
 * - domain: src/domain, pure rules with no I/O.
 * - db: src/db and the generated Prisma clients (src/generated).
 * - services: src/services AND src/auth. DESIGN.md lists auth beside the use cases (it is "the one
 *   place that answers may X see/do Y", used by services, resolvers and the server alike), so it
 *   shares their layer: auth and services may import each other's modules, but nothing above.
 * - seed: src/seed, `runtrail seed`'s history generator; it writes workflows through services and
 *   its rows in bulk, and only the CLI (and tests) import it.
 * - engine: executes runs. Services reach it only through the RunDispatcher port in
 *   src/domain, which the engine implements, so the engine may import services, never the reverse.
 * - wiring: src/composition.ts, src/runtime.ts and src/logger.ts build the object graph from the
 *   config; they are the only modules below graphql that may read src/config.ts.
 * - graphql: resolvers and types. Types and inputs are plain shapes over domain types; resolvers
 *   call services, never repositories or the database.
 * - server: src/server (HTTP, WebSocket, Next.js, shutdown).
 * - cli: src/cli and src/main.ts, the entry points; nothing imports an entry point.
 *
 * app/ (the Next.js UI) talks to the server only through GraphQL: it imports nothing from src/.
 * src/test and *.test.ts are test helpers and tests: production code never imports them.
 */

const LAYERS = [
  { name: 'domain', path: '^src/domain/' },
  { name: 'db', path: '^src/(db|generated)/' },
  { name: 'repositories', path: '^src/repositories/' },
  { name: 'events', path: '^src/events/' },
  { name: 'services', path: '^src/(services|auth)/' },
  { name: 'seed', path: '^src/seed/' },
  { name: 'engine', path: '^src/engine/' },
  { name: 'wiring', path: '^src/(composition|runtime|logger)\\.ts$' },
  { name: 'graphql', path: '^src/graphql/' },
  { name: 'server', path: '^src/server/' },
  { name: 'cli', path: '^src/(cli/|main\\.ts$)' },
];

const TESTS = '(^src/test/|\\.test\\.tsx?$)';
const CONFIG = '^src/config\\.ts$';

/** One rule per layer: it must not import any layer above it. */
const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.name}`,
  severity: 'error',
  comment: `${layer.name} must not import the layers above it (${LAYERS.slice(index + 1)
    .map((above) => above.name)
    .join(', ')}): data flows one way, see DESIGN.md "Layers".`,
  from: { path: layer.path, pathNot: TESTS },
  to: { path: LAYERS.slice(index + 1).map((above) => above.path) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle hides which module is the lower one; split the shared part out below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-helpers-in-production',
      severity: 'error',
      comment: 'src/test and *.test.ts exist for the tests; production code never imports them.',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: 'config-only-at-the-top',
      severity: 'error',
      comment:
        'src/config.ts reads process.env; only the wiring, the server and the entry points read it. ' +
        'Lower layers take plain parameters (their own settings types), so tests pass objects.',
      from: { path: '^src/', pathNot: [TESTS, LAYERS.find((l) => l.name === 'wiring').path, '^src/server/', '^src/(cli/|main\\.ts$)'] },
      to: { path: CONFIG },
    },
    {
      name: 'graphql-not-below-services',
      severity: 'error',
      comment: 'GraphQL types and resolvers see domain types and services, never repository rows or the database.',
      from: { path: '^src/graphql/', pathNot: TESTS },
      to: { path: ['^src/(db|generated|repositories)/'] },
    },
    {
      name: 'graphql-types-are-shapes',
      severity: 'error',
      comment: 'GraphQL object and input types are shapes over domain types; only resolvers and the context call services.',
      from: { path: '^src/graphql/.+\\.(type|types|inputs)\\.ts$' },
      to: { path: ['^src/(services|auth|engine)/', '^src/(composition|runtime)\\.ts$'] },
    },
    {
      name: 'server-and-cli-through-services',
      severity: 'error',
      comment: 'The server and the CLI call services (built by the wiring), never repositories or the database directly.',
      from: { path: ['^src/server/', '^src/(cli/|main\\.ts$)'], pathNot: TESTS },
      to: { path: '^src/repositories/' },
    },
    {
      name: 'no-importing-entry-points',
      severity: 'error',
      comment: 'src/main.ts and src/cli/runtrail.ts are entry points; a shared function belongs in a module both import.',
      from: {},
      to: { path: ['^src/main\\.ts$', '^src/cli/runtrail\\.ts$'] },
    },
    {
      name: 'cli-not-through-server-routes',
      severity: 'error',
      comment: 'The CLI starts the server through src/server/run-server.ts only; it never borrows a route module.',
      from: { path: '^src/cli/', pathNot: TESTS },
      to: { path: '^src/server/', pathNot: '^src/server/run-server\\.ts$' },
    },
    {
      name: 'app-only-through-graphql',
      severity: 'error',
      comment: 'The UI talks to the server only through GraphQL: app/ imports nothing from src/.',
      from: { path: '^app/' },
      to: { path: '^src/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would hide a dependency from these rules.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['\\.next/', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      // Type-only packages (@graphql-typed-document-node/core) have no main, only typings.
      mainFields: ['module', 'main', 'types', 'typings'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
