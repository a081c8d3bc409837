/**
 * Folds Vietnamese text for search: lower case, no diacritics, đ → d, single spaces.
 * "Nguyễn Thị  Hà" → "nguyen thi ha". Stored beside names so a plain LIKE finds either spelling.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text people read is stored in NFC so PDFs, CSV and comparisons see one spelling. */
export function nfc(text: string): string {
  return text.normalize('NFC').trim();
}

/** One line, NFC: a value can neither break a line-based template nor arrive decomposed. */
export function oneLine(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Escapes LIKE wildcards in user input. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const vietnameseCollator = new Intl.Collator('vi', { sensitivity: 'base' });

/** Vietnamese name order: given name, then middle, then family (docs/domain.md#vietnamese-data-conventions). */
export function compareVietnameseNames(
  a: { givenName: string; middleName: string | null; familyName: string },
  b: { givenName: string; middleName: string | null; familyName: string },
): number {
  return (
    vietnameseCollator.compare(a.givenName, b.givenName) ||
    vietnameseCollator.compare(a.middleName ?? '', b.middleName ?? '') ||
    vietnameseCollator.compare(a.familyName, b.familyName)
  );
}

const ALPHABET = 'a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z'.split(' ');
const LETTER_RANK = new Map(ALPHABET.map((letter, i) => [letter, String.fromCharCode(0x41 + i)]));
// Tone marks rank: none, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
const TONE_RANK: Record<string, string> = {
  '\u0300': '1',
  '\u0309': '2',
  '\u0303': '3',
  '\u0301': '4',
  '\u0323': '5',
};

// The end of the letters must sort below a word break, and a word break below every letter and
// digit: "Thị" < "Thị Thu" < "Thịnh", as a collation orders them.
const END_OF_TEXT = '!';
const WORD_BREAK = '"';

/**
 * A key whose byte order (C collation) is the Vietnamese alphabetical order: letters first
 * (a < ă < â < b … d < đ), tones only to break ties. Lets the database sort names the way
 * people expect without a vi collation, which PGlite lacks.
 */
export function vietnameseSortKey(text: string): string {
  let primary = '';
  let tones = '';
  for (const ch of text.toLowerCase().normalize('NFC')) {
    const parts = ch.normalize('NFD');
    let base = parts[0] ?? '';
    let tone = '0';
    for (const mark of parts.slice(1)) {
      if (TONE_RANK[mark]) tone = TONE_RANK[mark];
      else base = (base + mark).normalize('NFC');
    }
    const rank = LETTER_RANK.get(base);
    if (rank) {
      primary += rank;
      tones += tone;
    } else if (/\s/.test(base)) {
      primary += WORD_BREAK;
    } else if (/[0-9]/.test(base)) {
      primary += base;
    }
  }
  const words = primary.split(WORD_BREAK).filter(Boolean).join(WORD_BREAK);
  return `${words}${END_OF_TEXT}${tones}`;
}

export const PERSON_SORT_KEY_LENGTH = 210;

/** Given name, then middle, then family name: the order of Vietnamese name lists. */
export function personSortKey(p: {
  givenName: string;
  middleName: string | null;
  familyName: string;
}): string {
  const key = [p.givenName, p.middleName ?? '', p.familyName].map(vietnameseSortKey).join(' ');
  // The column holds 210 characters; names that long still sort by their beginning.
  return key.slice(0, PERSON_SORT_KEY_LENGTH);
}
