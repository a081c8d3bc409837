import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root';

/**
 * `npm run migration:generate -- Name`: runs the TypeORM CLI against a scratch database that
 * holds every existing migration, writes migrations/<timestamp>-Name.ts, formats it and
 * rewrites migrations/index.ts (migrations are listed as classes, not globs).
 */
const name = process.argv[2];
if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
  console.error('usage: npm run migration:generate -- MigrationName');
  process.exit(2);
}
const root = projectRoot();
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const result = run(
  join(root, 'node_modules/.bin/typeorm-ts-node-commonjs'),
  ['migration:generate', `migrations/${name}`, '-d', 'src/database/cli/data-source.ts'],
  { MIGRATION_SCRATCH: '1', TS_NODE_TRANSPILE_ONLY: '1' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeMigrationIndex(root);
run(join(root, 'node_modules/.bin/prettier'), ['--write', 'migrations']);

export function writeMigrationIndex(rootDir: string): void {
  const files = readdirSync(join(rootDir, 'migrations'))
    .filter((f) => /^\d+-[A-Za-z0-9]+\.ts$/.test(f))
    .sort();
  const classes = files.map((f) => {
    const [stamp, base] = f.replace(/\.ts$/, '').split('-') as [string, string];
    return { file: f.replace(/\.ts$/, ''), cls: `${base}${stamp}` };
  });
  const text = [
    '// Rewritten by `npm run migration:generate -- Name`: every migration class, oldest first.',
    "import type { MigrationInterface } from 'typeorm';",
    ...classes.map((c) => `import { ${c.cls} } from './${c.file}';`),
    '',
    `export const MIGRATIONS: (new () => MigrationInterface)[] = [${classes.map((c) => c.cls).join(', ')}];`,
    '',
  ].join('\n');
  writeFileSync(join(rootDir, 'migrations/index.ts'), text);
}
