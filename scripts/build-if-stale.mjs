// prestart: compile only when some source is newer than the last build, so a second `npm start`
// skips the compiler entirely. Plain JavaScript on purpose: it runs before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
// Everything the build reads. Folders count too: deleting or renaming a file changes its folder.
const inputs = [
  'src',
  'migrations',
  'tsconfig.json',
  'nest-cli.json',
  '.swcrc',
  'package-lock.json',
];

/** @param {string} path @returns {number} the newest mtime at or under path (0: missing) */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  let time = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) time = Math.max(time, newest(join(path, name)));
  }
  return time;
}

const built = existsSync(join(root, 'dist', 'src', 'main.js'))
  ? (statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0)
  : 0;
const sources = Math.max(...inputs.map((p) => newest(join(root, p))));

console.log(`node ${process.version} (${process.execPath})`);
if (built > sources && !process.env.FORCE_BUILD) process.exit(0);
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, new Date().toISOString() + '\n');
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (SWC, no type check)`);
