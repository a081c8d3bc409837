import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PAGES_DIR } from './portal-routes';

/** Every key of a nested JSON of words, as "a.b.c". */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    keys(v, prefix ? `${prefix}.${k}` : k),
  );
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name), ext)
      : e.name.endsWith(ext)
        ? [join(dir, e.name)]
        : [],
  );
}

const i18n = join(PAGES_DIR, 'i18n');
const words = (lang: 'vi' | 'en') =>
  readdirSync(i18n)
    .filter((f) => f.endsWith(`.${lang}.json`))
    .flatMap((f) => keys(JSON.parse(readFileSync(join(i18n, f), 'utf8'))));

describe('the portal words (templates/pages/i18n)', () => {
  const vi = new Set(words('vi'));
  const en = new Set(words('en'));

  it('has every Vietnamese word in English too, and no English word without its Vietnamese', () => {
    expect([...vi].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !vi.has(k))).toEqual([]);
  });

  it('has every word a page template asks for', () => {
    const missing: string[] = [];
    for (const file of filesUnder(PAGES_DIR, '.hbs')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\{\{\s*t\s+"([^"]+)"/g)) {
        if (!vi.has(m[1])) missing.push(`${relative(PAGES_DIR, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
