import { getMetadataStorage } from 'class-validator';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONSTRAINT_WORDING, flattenValidationErrors } from '../http/validation';
import { ERROR_CATALOG } from './error-catalog';

/** Words that give away English inside a Vietnamese message. */
const ENGLISH =
  /\b(the|must|should|is|are|not|only|one|missing|after|before|invalid|required|with|and)\b/i;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function dtoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dtoFiles(path);
    return /(\.dto\.ts|\/dto\/[^/]+\.ts)$/.test(path) && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the error catalogue', () => {
  const entries = Object.entries(ERROR_CATALOG);

  it('words every code in Vietnamese and English with the same placeholders', () => {
    for (const [code, entry] of entries) {
      expect({ code, vi: entry.vi.trim().length > 0, en: entry.en.trim().length > 0 }).toEqual({
        code,
        vi: true,
        en: true,
      });
      expect({ code, vi: placeholders(entry.vi) }).toEqual({ code, vi: placeholders(entry.en) });
    }
  });

  it('keeps English words out of the Vietnamese messages', () => {
    const leaks = entries
      .filter(([, e]) => ENGLISH.test(e.vi.replace(/\{\w+\}/g, '')))
      .map(([code, e]) => `${code}: ${e.vi}`);
    expect(leaks).toEqual([]);
  });

  it('answers 4xx or 5xx only', () => {
    for (const [, entry] of entries) {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
    }
  });
});

describe('validation wording', () => {
  beforeAll(async () => {
    // Loading every DTO registers its constraints in class-validator's metadata.
    for (const file of dtoFiles(join(__dirname, '..', '..'))) await import(file);
  });

  it('has a Vietnamese and an English wording for every constraint any DTO uses', () => {
    const stored = (
      getMetadataStorage() as unknown as {
        validationMetadatas: Map<unknown, { name?: string; type: string }[]>;
      }
    ).validationMetadatas;
    const names = new Set([...stored.values()].flat().map((m) => m.name ?? m.type));
    expect(names.size).toBeGreaterThan(20);
    const unworded = [...names].filter(
      (n) =>
        !(n in CONSTRAINT_WORDING) &&
        ![
          'conditionalValidation',
          'nestedValidation',
          'whitelistValidation',
          'isOptional',
          'customValidation',
        ].includes(n),
    );
    expect(unworded).toEqual([]);
    for (const name of Object.keys(CONSTRAINT_WORDING)) {
      const vi = CONSTRAINT_WORDING[name]([1, [1, 2]], 'vi');
      const en = CONSTRAINT_WORDING[name]([1, [1, 2]], 'en');
      expect({ name, leak: ENGLISH.test(vi) }).toEqual({ name, leak: false });
      expect(en).not.toBe(vi);
    }
  });

  it('reports one detail per field, the most basic failure first', () => {
    const raw = flattenValidationErrors([
      {
        property: 'title',
        value: 42,
        constraints: { maxLength: 'too long', isString: 'title must be a string', minLength: 'x' },
        children: [],
      },
      { property: 'code', value: undefined, constraints: { matches: 'm', isString: 's' } },
      {
        property: 'x',
        value: 1,
        constraints: { whitelistValidation: 'property x should not exist' },
      },
    ]);
    expect(raw.map((d) => [d.field, d.constraint])).toEqual([
      ['title', 'isString'],
      ['code', 'missing'],
      ['x', 'whitelistValidation'],
    ]);
  });
});
