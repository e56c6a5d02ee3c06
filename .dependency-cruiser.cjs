/**
 * The layer rules of shared/spec/STYLE.md, checked by dependency-cruiser (`npm run lint:deps`,
 * `scripts/check-layers.ts`). Paths are matched against resolved files, so an npm package is
 * `node_modules/<name>/…`; type-only imports count (tsPreCompilationDeps).
 */

// Every way the Bot Framework and Teams AI reach us: botbuilder, botbuilder-*, botframework-*.
const teamsSdk = '^node_modules/(botbuilder|botframework-|@microsoft/teams-ai)';
// Production code only: specs and fixtures beside the code may read files and use dev tools.
const specs = '\\.(spec|fixture)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles, type-only ones included: data flows one way.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-imports-only-domain',
      severity: 'error',
      comment: 'src/domain is plain TypeScript: it imports nothing else of ours.',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'domain-no-io-libraries',
      severity: 'error',
      comment:
        'src/domain uses no library with I/O: zod, luxon and csv-parse (a string parser) only, and no Node core module.',
      from: { path: '^src/domain/', pathNot: specs },
      to: {
        // our own modules are the rule above's; a package or core module is this rule's
        pathNot: ['^(src|test|bench|scripts)/', '^node_modules/(zod|luxon|csv-parse)/', '^node_modules/@types/luxon/'],
      },
    },
    {
      name: 'azure-only-in-storage',
      severity: 'error',
      comment: 'Only src/storage (and src/telemetry, for @azure/monitor-opentelemetry) imports @azure/*.',
      from: { path: '^src/', pathNot: '^src/(storage|telemetry)/' },
      to: { path: '^node_modules/@azure/' },
    },
    {
      name: 'teams-sdk-only-in-teams-and-delivery',
      severity: 'error',
      comment: 'Only src/teams and src/delivery import botbuilder, botframework-* or @microsoft/teams-ai.',
      from: { path: '^src/', pathNot: '^src/(teams|delivery)/' },
      to: { path: teamsSdk },
    },
    {
      name: 'cards-no-storage',
      severity: 'error',
      comment: 'A card builder binds data it is given; it never reads storage.',
      from: { path: '^src/cards/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'app-no-teams',
      severity: 'error',
      comment: 'A use case returns an Outcome: it never imports botbuilder, teams-ai or src/teams.',
      from: { path: '^src/app/' },
      to: { path: [teamsSdk, '^src/teams/'] },
    },
    {
      name: 'app-builds-no-card',
      severity: 'error',
      comment: 'A use case may name the view type a card renders, but never builds a card: type-only imports of src/cards only.',
      from: { path: '^src/app/' },
      to: { path: '^src/cards/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-not-to-test-bench-scripts',
      severity: 'error',
      comment: 'The app never imports its tests, benches or scripts.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-dev-dependencies-in-dist',
      severity: 'error',
      comment: 'src/ is what `npm run build` puts in dist, which runs without devDependencies: dev tools live in scripts/.',
      from: { path: '^src/', pathNot: specs },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the cruiser cannot resolve is one no rule above could check.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // Resolve packages the way Node does for our CommonJS build.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default', 'types'],
      mainFields: ['main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
