/**
 * The layer rules (.dependency-cruiser.cjs) run through dependency-cruiser's API: prints every
 * violation and exits 1 when there is one, so `npm test` can run it. Offline: node_modules only.
 */
import path from 'node:path';

const root = path.join(__dirname, '..');

/** Cruises src/ with the project's rules; answers one line a violation (none when the layers hold). */
export async function layerViolations(): Promise<string[]> {
  // dependency-cruiser is an ES module; this file is CommonJS, so it is loaded with import().
  const { cruise } = await import('dependency-cruiser');
  const { default: extractDepcruiseOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const cwd = process.cwd();
  // Paths in the rules and in the tsconfig are relative to the repository root.
  process.chdir(root);
  try {
    const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
    const tsConfig = extractTSConfig('tsconfig.json');
    // Without an outputType the API answers the result itself, not a report.
    const { output } = await cruise(['src'], options, {}, { tsConfig });
    if (typeof output === 'string') throw new Error('dependency-cruiser answered a report where the result was asked for');
    return output.summary.violations.map((v) =>
      v.cycle && v.cycle.length > 0
        ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')}`
        : `${v.rule.name}: ${v.from} → ${v.to}`,
    );
  } finally {
    process.chdir(cwd);
  }
}

if (require.main === module) {
  layerViolations().then(
    (violations) => {
      for (const v of violations) process.stdout.write(`${v}\n`);
      process.stdout.write(violations.length === 0 ? 'layers: 0 violations\n' : `layers: ${violations.length} violation(s)\n`);
      process.exit(violations.length === 0 ? 0 : 1);
    },
    (e: unknown) => {
      process.stderr.write(`layer check failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
