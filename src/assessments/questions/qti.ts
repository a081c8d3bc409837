import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { unzipSync, zipSync, type UnzipFileInfo } from 'fflate';
import { detail, type LocalizedDetail } from '../../common/errors/domain-error';
import {
  PARTIAL_CREDIT_POLICIES,
  type ChoiceOption,
  type PartialCreditPolicy,
  type QuestionBody,
  type QuestionVersion,
  type RubricCriterion,
} from './question-model';

/**
 * QTI 3.0 exchange of bank questions (issue 16): one `qti-assessment-item` per question, and a
 * content package (a ZIP with `imsmanifest.xml` and `items/<identifier>.xml`) for many.
 *
 * How each kind is written:
 * - single / multiple / true_false → `qti-choice-interaction` (max-choices 1 / 0; true_false as two
 *   choices TRUE "Đúng" and FALSE "Sai"), base-type identifier, the right keys in
 *   `qti-correct-response`. all_or_nothing scores with the standard match_correct template; the
 *   multiple-choice policies proportional and right_minus_wrong with map_response over a
 *   `qti-mapping` that says the same thing (right option points/right, wrong option −points or
 *   −points/right, bounds 0 … points).
 * - short_answer → `qti-text-entry-interaction`, base-type string, the first accepted answer in
 *   `qti-correct-response` and every accepted answer as a `qti-map-entry` (case-sensitive per
 *   the question), scored by map_response.
 * - numeric → `qti-text-entry-interaction`, base-type float, the value in `qti-correct-response`,
 *   the tolerance in the response processing: `qti-equal tolerance-mode="absolute"`.
 * - ordering → `qti-order-interaction`, cardinality ordered, the right order in
 *   `qti-correct-response`, match_correct.
 * - matching → `qti-match-interaction` with two `qti-simple-match-set` (premises, then responses),
 *   directedPair "premise response" right pairs; match_correct when all or nothing, else
 *   map_response with each right pair worth points/premises (the share of premises matched).
 * - essay → `qti-extended-text-interaction` (expected-length a hint in characters: 7 a word),
 *   no response processing (a person grades), the rubric in a
 *   `qti-rubric-block view="scorer" use="scoring"`, one `div.cadre-criterion` per criterion.
 * Points are the default value of the outcome MAXSCORE (SCORE is declared too). The prompt is the
 * interaction's `qti-prompt`, except for a text entry: an inline interaction has none in QTI 3, so
 * the prompt is a `p.cadre-prompt` before the paragraph holding it. The identifier must be a QTI
 * identifier (a letter or _, then letters, digits, _ . -): toQtiItem throws otherwise, as for a
 * programming error. The item's title is the identifier when the question has none (and reads
 * back as none). Tags are not part of an item: toQtiPackage writes them in the manifest.
 *
 * What QTI 3.0 has no word for rides on `data-cadre-*` attributes (QTI 3 allows data-*
 * attributes on body elements); a tool that ignores them still reads a sound item:
 * - `data-cadre-partial-credit` on the interaction: the multiple-choice policy
 *   (all_or_nothing | proportional | right_minus_wrong) or, for ordering and matching, true/false
 *   (an ordering item's partial credit per position has no template; others score it all or
 *   nothing with match_correct);
 * - `data-cadre-ignore-diacritics="true"` and `data-cadre-patterns` (a JSON array of the
 *   JavaScript regular expressions) on the text-entry interaction of a short answer (other tools
 *   score the mapped answers only);
 * - `data-cadre-case-sensitive` on it too when the short answer has patterns but no accepted
 *   answer (no qti-map-entry to carry case-sensitive);
 * - `data-cadre-word-limit` on the extended-text interaction of an essay;
 * - class `cadre-rubric` on the rubric block, so that an empty rubric reads back empty (another
 *   tool's essay without criteria reads as one overall criterion worth the item's points);
 * - `data-cadre-key` and `data-cadre-max-points` on a rubric criterion's div (its title and
 *   description in the `p.cadre-criterion-title` / `p.cadre-criterion-description` inside);
 * - `data-cadre-key` on a choice whose key is not a QTI identifier (then written `K_<hex>`).
 * Tags go to the package manifest, as LOM keywords of the item's resource.
 *
 * Texts are written as NFC, line breaks as `<br/>`. Reading turns XHTML into plain text: runs of
 * white space become one space, `<br/>` and block elements (p, div, li, …) line breaks.
 *
 * An imported file is hostile. Any DOCTYPE or ENTITY declaration is refused before parsing (so no
 * external entity, no entity bomb), the parser expands no entity (only the five XML ones and
 * character references are decoded, by this file), and the limits below bound sizes.
 */

/*
 * Limits. A bank question is a few kilobytes; a package of a whole bank (hundreds of questions)
 * a few megabytes. The limits leave a wide margin over that and bound what a hostile file costs:
 * an entry is inflated only into a buffer of its declared size (data that inflates further is cut
 * there and fails as XML), and the declared sizes are summed before anything is inflated.
 */

/** An item XML larger than this (characters) is refused. */
export const QTI_MAX_ITEM_CHARS = 1_000_000;

export interface QtiPackageLimits {
  /** The ZIP file itself (bytes). */
  maxPackageBytes: number;
  /** Entries in the ZIP (files and folders). */
  maxEntries: number;
  /** The sum of the declared uncompressed sizes of all entries (bytes). */
  maxTotalUncompressedBytes: number;
  /** One entry read (the manifest or an item), uncompressed (bytes). */
  maxEntryBytes: number;
}

export const QTI_PACKAGE_LIMITS: QtiPackageLimits = {
  maxPackageBytes: 20 * 1024 * 1024,
  maxEntries: 2_000,
  maxTotalUncompressedBytes: 50 * 1024 * 1024,
  maxEntryBytes: 4 * 1024 * 1024,
};

/** A question to export: a version with its identifier (a QTI identifier), title and tags. */
export type QtiItemInput = QuestionVersion & {
  identifier: string;
  title?: string;
  tags?: string[];
};

/** A question read from an item. */
export type QtiItem = QuestionVersion & { identifier: string; title?: string };

export type QtiItemResult = { question: QtiItem } | { details: LocalizedDetail[] };

export type QtiPackageResult =
  { items: (QtiItem & { tags: string[] })[] } | { details: LocalizedDetail[] };

const QTI_NS = 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0';
const QTI_XSD = 'https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd';
const CP_NS = 'http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1';
const LOM_NS = 'http://ltsc.ieee.org/xsd/LOM';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const TEMPLATES = 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/';
const MATCH_CORRECT = `${TEMPLATES}match_correct.xml`;
const MAP_RESPONSE = `${TEMPLATES}map_response.xml`;
const ITEM_RESOURCE_TYPE = 'imsqti_item_xmlv3p0';
const RESPONSE = 'RESPONSE';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const TRUE_FALSE_TEXT = { TRUE: 'Đúng', FALSE: 'Sai' } as const;
const CHARS_PER_WORD = 7;

// ─── A small XML tree ────────────────────────────────────────────────────────────────────────

interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XChild[];
}
type XChild = XNode | string;

function el(
  name: string,
  attrs: Record<string, string | number | undefined> = {},
  children: XChild[] = [],
): XNode {
  const a: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[k] = String(v);
  return { name, attrs: a, children };
}

/** Text as written: NFC, CRLF as LF, without the characters XML 1.0 cannot hold. */
function clean(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  );
}

/** A text's lines separated by `<br/>`. */
function textNodes(text: string): XChild[] {
  const out: XChild[] = [];
  clean(text)
    .split('\n')
    .forEach((line, i) => {
      if (i > 0) out.push(el('br'));
      if (line) out.push(line);
    });
  return out;
}

type Ordered = Record<string, unknown>;

function toOrdered(node: XChild): Ordered {
  if (typeof node === 'string') return { '#text': clean(node) };
  const o: Ordered = { [node.name]: node.children.map(toOrdered) };
  const attrs = Object.entries(node.attrs);
  if (attrs.length) o[':@'] = Object.fromEntries(attrs.map(([k, v]) => [`@_${k}`, clean(v)]));
  return o;
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
  format: false,
});

function serialize(root: XNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${String(builder.build([toOrdered(root)]))}\n`;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  allowBooleanAttributes: false,
});

const XML_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

class UnknownEntity extends Error {}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // Only characters XML allows: no NUL, no lone surrogate, nothing past Unicode.
      if (code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
        throw new UnknownEntity(whole);
      }
      return String.fromCodePoint(code);
    }
    const value = XML_ENTITIES[ref];
    if (value === undefined) throw new UnknownEntity(whole);
    return value;
  });
}

function fromOrdered(list: unknown[]): XChild[] {
  const out: XChild[] = [];
  for (const item of list as Ordered[]) {
    const attrs = (item[':@'] ?? {}) as Record<string, unknown>;
    const name = Object.keys(item).find((k) => k !== ':@');
    if (name === undefined) continue;
    const value = item[name];
    if (name === '#text') out.push(decodeEntities(String(value)).normalize('NFC'));
    else if (name === '#cdata') {
      // A CDATA section is literal: no reference is decoded in it.
      const parts = (value as { '#text'?: string | number }[]).map((t) => String(t['#text'] ?? ''));
      out.push(parts.join('').normalize('NFC'));
    } else if (name.startsWith('?') || name.startsWith('!')) continue;
    else {
      const a: Record<string, string> = {};
      for (const [k, v] of Object.entries(attrs)) {
        a[k.replace(/^@_/, '')] = decodeEntities(String(v)).normalize('NFC');
      }
      out.push({ name, attrs: a, children: fromOrdered(value as unknown[]) });
    }
  }
  return out;
}

type ParseResult = { root: XNode } | { details: LocalizedDetail[] };

/** Parses an untrusted XML document into a tree, or says why it cannot. */
function parseXml(input: string, field: string, maxChars: number): ParseResult {
  // A byte-order mark, as some editors write it, is no part of the document.
  const xml = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : input;
  if (typeof xml !== 'string' || xml.trim() === '') {
    return { details: [detail(field, 'Tệp XML trống.', 'The XML file is empty.')] };
  }
  if (xml.length > maxChars) {
    return {
      details: [
        detail(
          field,
          `Tệp XML quá lớn (tối đa ${maxChars} ký tự).`,
          `The XML file is too large (at most ${maxChars} characters).`,
        ),
      ],
    };
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    return {
      details: [
        detail(
          field,
          'Tệp XML có khai báo DOCTYPE hoặc ENTITY: không được nhận vì lý do an toàn.',
          'The XML file declares a DOCTYPE or an ENTITY: refused for safety.',
        ),
      ],
    };
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return {
      details: [
        detail(
          field,
          `Tệp XML không hợp lệ (dòng ${line}, cột ${col}): ${msg}`,
          `The XML file is not well-formed (line ${line}, column ${col}): ${msg}`,
        ),
      ],
    };
  }
  try {
    const nodes = fromOrdered(parser.parse(xml) as unknown[]);
    const root = nodes.find((n): n is XNode => typeof n !== 'string');
    if (!root) {
      return { details: [detail(field, 'Tệp XML không có phần tử gốc.', 'No root element.')] };
    }
    return { root };
  } catch (e) {
    if (e instanceof UnknownEntity) {
      return {
        details: [
          detail(
            field,
            `Tệp XML dùng thực thể không được hỗ trợ: ${e.message}`,
            `The XML file uses an unsupported entity: ${e.message}`,
          ),
        ],
      };
    }
    return {
      details: [detail(field, 'Không đọc được tệp XML.', 'The XML file could not be read.')],
    };
  }
}

function elements(node: XNode, name?: string): XNode[] {
  return node.children.filter(
    (c): c is XNode => typeof c !== 'string' && (name === undefined || c.name === name),
  );
}

function child(node: XNode, name: string): XNode | undefined {
  return elements(node, name)[0];
}

function descendants(node: XNode, match: (n: XNode) => boolean, skip?: (n: XNode) => boolean) {
  const out: XNode[] = [];
  const walk = (n: XNode) => {
    for (const c of elements(n)) {
      if (skip?.(c)) continue;
      if (match(c)) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

function hasClass(node: XNode, cls: string): boolean {
  return (node.attrs.class ?? '').split(/\s+/).includes(cls);
}

const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'blockquote',
  'table',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'figcaption',
  'hr',
  'qti-prompt',
  'qti-content-body',
]);

const SOFT_BREAK = '\u0000';

/** The plain text of XHTML content: markup stripped, line breaks kept where they show. */
function plainText(node: XNode, skip?: (n: XNode) => boolean): string {
  const tokens: string[] = [];
  const walk = (n: XNode) => {
    for (const c of n.children) {
      if (typeof c === 'string') tokens.push(c.replace(/[ \t\r\n]+/g, ' '));
      else if (skip?.(c)) continue;
      else if (c.name === 'br') tokens.push('\n');
      else if (BLOCKS.has(c.name)) {
        tokens.push(SOFT_BREAK);
        walk(c);
        tokens.push(SOFT_BREAK);
      } else if (c.name === 'td' || c.name === 'th') {
        tokens.push(' ');
        walk(c);
        tokens.push(' ');
      } else if (c.name === 'img' && c.attrs.alt) tokens.push(c.attrs.alt);
      else walk(c);
    }
  };
  walk(node);
  let s = '';
  let soft = false;
  for (const t of tokens) {
    if (t === SOFT_BREAK) soft = true;
    else if (t === '\n') {
      s += '\n';
      soft = false;
    } else if (t.trim() === '' && (s === '' || s.endsWith('\n') || soft)) continue;
    else {
      if (soft && s !== '' && !s.endsWith('\n')) s += '\n';
      soft = false;
      s += t;
    }
  }
  return s
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '')
    .normalize('NFC');
}

// ─── Writing ─────────────────────────────────────────────────────────────────────────────────

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : '0';
}

/** QTI identifiers of option keys: the key itself when it is one, else `K_<hex of UTF-8>`. */
function choiceIds(options: ChoiceOption[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const o of options) {
    const id = IDENTIFIER.test(o.key) ? o.key : `K_${Buffer.from(o.key, 'utf8').toString('hex')}`;
    if (used.has(id)) throw new Error(`QTI: two options share the identifier ${id}`);
    used.add(id);
    ids.set(o.key, id);
  }
  return ids;
}

function choiceEl(name: string, o: ChoiceOption, ids: Map<string, string>, extra = {}): XNode {
  const id = ids.get(o.key) ?? o.key;
  return el(
    name,
    { identifier: id, ...extra, 'data-cadre-key': id === o.key ? undefined : o.key },
    textNodes(o.text),
  );
}

function values(list: string[]): XNode[] {
  return list.map((v) => el('qti-value', {}, [v]));
}

function responseDeclaration(
  cardinality: string,
  baseType: string,
  correct: string[] | null,
  mapping?: XNode,
): XNode {
  const children: XNode[] = [];
  if (correct?.length) children.push(el('qti-correct-response', {}, values(correct)));
  if (mapping) children.push(mapping);
  return el(
    'qti-response-declaration',
    { identifier: RESPONSE, cardinality, 'base-type': baseType },
    children,
  );
}

function mapping(
  entries: { key: string; value: number; caseSensitive?: boolean }[],
  bounds: { lower?: number; upper?: number },
): XNode {
  return el(
    'qti-mapping',
    { 'default-value': 0, 'lower-bound': bounds.lower, 'upper-bound': bounds.upper },
    entries.map((e) =>
      el('qti-map-entry', {
        'map-key': e.key,
        'mapped-value': num(e.value),
        'case-sensitive':
          e.caseSensitive === undefined ? undefined : e.caseSensitive ? 'true' : 'false',
      }),
    ),
  );
}

function template(uri: string): XNode {
  return el('qti-response-processing', { template: uri });
}

/** SCORE = MAXSCORE when the response equals the correct one within ± tolerance, else 0. */
function toleranceProcessing(tolerance: number): XNode {
  const setScore = (value: XNode) => el('qti-set-outcome-value', { identifier: 'SCORE' }, [value]);
  return el('qti-response-processing', {}, [
    el('qti-response-condition', {}, [
      el('qti-response-if', {}, [
        el(
          'qti-equal',
          { 'tolerance-mode': 'absolute', tolerance: `${num(tolerance)} ${num(tolerance)}` },
          [
            el('qti-variable', { identifier: RESPONSE }),
            el('qti-correct', { identifier: RESPONSE }),
          ],
        ),
        setScore(el('qti-variable', { identifier: 'MAXSCORE' })),
      ]),
      el('qti-response-else', {}, [
        setScore(el('qti-base-value', { 'base-type': 'float' }, ['0'])),
      ]),
    ]),
  ]);
}

interface ItemParts {
  declaration: XNode;
  interaction: XNode;
  processing?: XNode;
  rubric?: XNode;
}

function prompt(text: string): XNode {
  return el('qti-prompt', {}, textNodes(text));
}

function itemParts(q: QtiItemInput): ItemParts {
  const body = q.body;
  const points = q.points;
  switch (body.kind) {
    case 'single': {
      const ids = choiceIds(body.options);
      return {
        declaration: responseDeclaration('single', 'identifier', [ids.get(body.correct) ?? '']),
        interaction: el(
          'qti-choice-interaction',
          { 'response-identifier': RESPONSE, shuffle: 'false', 'max-choices': 1 },
          [prompt(q.prompt), ...body.options.map((o) => choiceEl('qti-simple-choice', o, ids))],
        ),
        processing: template(MATCH_CORRECT),
      };
    }
    case 'multiple': {
      const ids = choiceIds(body.options);
      const right = new Set(body.correct);
      const share = right.size ? points / right.size : 0;
      const wrong = body.partialCredit === 'proportional' ? -points : -share;
      const scored = body.partialCredit !== 'all_or_nothing';
      return {
        declaration: responseDeclaration(
          'multiple',
          'identifier',
          body.correct.map((k) => ids.get(k) ?? k),
          scored
            ? mapping(
                body.options.map((o) => ({
                  key: ids.get(o.key) ?? o.key,
                  value: right.has(o.key) ? share : wrong,
                })),
                { lower: 0, upper: points },
              )
            : undefined,
        ),
        interaction: el(
          'qti-choice-interaction',
          {
            'response-identifier': RESPONSE,
            shuffle: 'false',
            'max-choices': 0,
            'data-cadre-partial-credit': body.partialCredit,
          },
          [prompt(q.prompt), ...body.options.map((o) => choiceEl('qti-simple-choice', o, ids))],
        ),
        processing: template(scored ? MAP_RESPONSE : MATCH_CORRECT),
      };
    }
    case 'true_false':
      return {
        declaration: responseDeclaration('single', 'identifier', [body.correct ? 'TRUE' : 'FALSE']),
        interaction: el(
          'qti-choice-interaction',
          { 'response-identifier': RESPONSE, shuffle: 'false', 'max-choices': 1 },
          [
            prompt(q.prompt),
            el('qti-simple-choice', { identifier: 'TRUE' }, [TRUE_FALSE_TEXT.TRUE]),
            el('qti-simple-choice', { identifier: 'FALSE' }, [TRUE_FALSE_TEXT.FALSE]),
          ],
        ),
        processing: template(MATCH_CORRECT),
      };
    case 'short_answer': {
      const accepted = body.accepted.map(clean);
      return {
        declaration: responseDeclaration(
          'single',
          'string',
          accepted.length ? [accepted[0]] : null,
          accepted.length
            ? mapping(
                accepted.map((a) => ({ key: a, value: points, caseSensitive: body.caseSensitive })),
                { lower: 0, upper: points },
              )
            : undefined,
        ),
        interaction: el(
          'qti-text-entry-interaction',
          {
            'response-identifier': RESPONSE,
            'data-cadre-ignore-diacritics': body.ignoreDiacritics ? 'true' : undefined,
            // Without accepted answers no qti-map-entry carries case-sensitive.
            'data-cadre-case-sensitive': accepted.length
              ? undefined
              : body.caseSensitive
                ? 'true'
                : 'false',
            'data-cadre-patterns': body.patterns.length
              ? JSON.stringify(body.patterns.map(clean))
              : undefined,
          },
          [],
        ),
        processing: template(MAP_RESPONSE),
      };
    }
    case 'numeric':
      return {
        declaration: responseDeclaration('single', 'float', [num(body.value)]),
        interaction: el('qti-text-entry-interaction', { 'response-identifier': RESPONSE }),
        processing: toleranceProcessing(body.tolerance),
      };
    case 'ordering': {
      const ids = choiceIds(body.items);
      return {
        declaration: responseDeclaration(
          'ordered',
          'identifier',
          body.items.map((o) => ids.get(o.key) ?? o.key),
        ),
        interaction: el(
          'qti-order-interaction',
          {
            'response-identifier': RESPONSE,
            shuffle: 'true',
            'data-cadre-partial-credit': body.partialCredit ? 'true' : 'false',
          },
          [prompt(q.prompt), ...body.items.map((o) => choiceEl('qti-simple-choice', o, ids))],
        ),
        processing: template(MATCH_CORRECT),
      };
    }
    case 'matching': {
      const ids = choiceIds([...body.premises, ...body.responses]);
      const pairs = body.premises
        .filter((p) => body.pairs[p.key] !== undefined)
        .map((p) => `${ids.get(p.key)} ${ids.get(body.pairs[p.key]) ?? body.pairs[p.key]}`);
      const share = body.premises.length ? points / body.premises.length : 0;
      return {
        declaration: responseDeclaration(
          'multiple',
          'directedPair',
          pairs,
          body.partialCredit
            ? mapping(
                pairs.map((p) => ({ key: p, value: share })),
                { lower: 0, upper: points },
              )
            : undefined,
        ),
        interaction: el(
          'qti-match-interaction',
          {
            'response-identifier': RESPONSE,
            shuffle: 'true',
            'max-associations': body.premises.length,
            'data-cadre-partial-credit': body.partialCredit ? 'true' : 'false',
          },
          [
            prompt(q.prompt),
            el(
              'qti-simple-match-set',
              {},
              body.premises.map((o) =>
                choiceEl('qti-simple-associable-choice', o, ids, { 'match-max': 1 }),
              ),
            ),
            el(
              'qti-simple-match-set',
              {},
              body.responses.map((o) =>
                choiceEl('qti-simple-associable-choice', o, ids, {
                  'match-max': body.premises.length,
                }),
              ),
            ),
          ],
        ),
        processing: template(body.partialCredit ? MAP_RESPONSE : MATCH_CORRECT),
      };
    }
    case 'essay':
      return {
        declaration: responseDeclaration('single', 'string', null),
        interaction: el('qti-extended-text-interaction', {
          'response-identifier': RESPONSE,
          'expected-length': body.wordLimit === null ? undefined : body.wordLimit * CHARS_PER_WORD,
          'data-cadre-word-limit': body.wordLimit ?? undefined,
        }),
        rubric: el('qti-rubric-block', { view: 'scorer', use: 'scoring', class: 'cadre-rubric' }, [
          el(
            'qti-content-body',
            {},
            body.rubric.map((c) =>
              el(
                'div',
                {
                  class: 'cadre-criterion',
                  'data-cadre-key': c.key,
                  'data-cadre-max-points': num(c.maxPoints),
                },
                [
                  el('p', { class: 'cadre-criterion-title' }, textNodes(c.title)),
                  ...(c.description === undefined
                    ? []
                    : [
                        el('p', { class: 'cadre-criterion-description' }, textNodes(c.description)),
                      ]),
                ],
              ),
            ),
          ),
        ]),
      };
  }
}

function assertIdentifier(identifier: string): void {
  if (!IDENTIFIER.test(identifier)) {
    throw new Error(
      `QTI: "${identifier}" is not a QTI identifier (a letter or _, then letters, digits, _ . -)`,
    );
  }
}

/** One QTI 3.0 item document (UTF-8) for a question version. */
export function toQtiItem(q: QtiItemInput): string {
  assertIdentifier(q.identifier);
  const parts = itemParts(q);
  // A text entry has no qti-prompt of its own in QTI 3: the prompt is a paragraph before it.
  const inlineInteraction = parts.interaction.name === 'qti-text-entry-interaction';
  const extendedText = parts.interaction.name === 'qti-extended-text-interaction';
  if (extendedText) parts.interaction.children.unshift(prompt(q.prompt));
  const body: XNode[] = [];
  if (parts.rubric) body.push(parts.rubric);
  if (inlineInteraction) {
    body.push(el('p', { class: 'cadre-prompt' }, textNodes(q.prompt)));
    body.push(el('p', {}, [parts.interaction]));
  } else body.push(parts.interaction);
  const root = el(
    'qti-assessment-item',
    {
      xmlns: QTI_NS,
      'xmlns:xsi': XSI_NS,
      'xsi:schemaLocation': `${QTI_NS} ${QTI_XSD}`,
      identifier: q.identifier,
      title: q.title ?? q.identifier,
      adaptive: 'false',
      'time-dependent': 'false',
      'xml:lang': 'vi',
    },
    [
      parts.declaration,
      el('qti-outcome-declaration', {
        identifier: 'SCORE',
        cardinality: 'single',
        'base-type': 'float',
      }),
      el(
        'qti-outcome-declaration',
        { identifier: 'MAXSCORE', cardinality: 'single', 'base-type': 'float' },
        [el('qti-default-value', {}, [el('qti-value', {}, [num(q.points)])])],
      ),
      el('qti-item-body', {}, body),
      ...(parts.processing ? [parts.processing] : []),
    ],
  );
  return serialize(root);
}

// ─── Reading ─────────────────────────────────────────────────────────────────────────────────

const INTERACTIONS = new Set([
  'qti-choice-interaction',
  'qti-text-entry-interaction',
  'qti-order-interaction',
  'qti-match-interaction',
  'qti-extended-text-interaction',
]);

const NOT_PROMPT = (n: XNode) =>
  n.name.endsWith('-interaction') ||
  n.name === 'qti-rubric-block' ||
  n.name.startsWith('qti-feedback') ||
  n.name === 'qti-modal-feedback' ||
  n.name === 'qti-template-block' ||
  n.name === 'qti-template-inline';

class Refusal extends Error {
  constructor(readonly detail: LocalizedDetail) {
    super(detail.en);
  }
}

function refuse(field: string, vi: string, en: string): never {
  throw new Refusal(detail(field, vi, en));
}

function texts(node: XNode | undefined): string[] {
  if (!node) return [];
  return elements(node, 'qti-value').map((v) => plainText(v).trim());
}

function defaultValue(decl: XNode | undefined): string | undefined {
  const d = decl && child(decl, 'qti-default-value');
  return texts(d)[0];
}

interface MapEntry {
  key: string;
  value: number;
  caseSensitive: boolean | undefined;
}

function readMapping(decl: XNode): { entries: MapEntry[]; upper?: number } | undefined {
  const m = child(decl, 'qti-mapping');
  if (!m) return undefined;
  const upper = m.attrs['upper-bound'] === undefined ? undefined : Number(m.attrs['upper-bound']);
  return {
    upper: Number.isFinite(upper) ? upper : undefined,
    entries: elements(m, 'qti-map-entry').map((e) => ({
      key: e.attrs['map-key'] ?? '',
      value: Number(e.attrs['mapped-value'] ?? 0),
      caseSensitive:
        e.attrs['case-sensitive'] === undefined ? undefined : e.attrs['case-sensitive'] === 'true',
    })),
  };
}

type TemplateKind = 'match_correct' | 'map_response' | 'custom' | 'none';

function templateKind(item: XNode): TemplateKind {
  const rp = child(item, 'qti-response-processing');
  if (!rp) return 'none';
  const uri = rp.attrs.template ?? rp.attrs['template-location'] ?? '';
  if (/match_correct(\.xml)?$/i.test(uri)) return 'match_correct';
  if (/map_response(\.xml)?$/i.test(uri)) return 'map_response';
  return 'custom';
}

interface Choice {
  id: string;
  option: ChoiceOption;
}

function readChoices(nodes: XNode[], field: string): Choice[] {
  const seen = new Set<string>();
  return nodes.map((n) => {
    const id = n.attrs.identifier;
    if (!id) refuse(field, 'Một lựa chọn thiếu identifier.', 'A choice has no identifier.');
    if (seen.has(id)) {
      refuse(field, `Hai lựa chọn trùng identifier ${id}.`, `Two choices share identifier ${id}.`);
    }
    seen.add(id);
    return { id, option: { key: n.attrs['data-cadre-key'] ?? id, text: plainText(n) } };
  });
}

function keyOf(choices: Choice[], id: string, field: string): string {
  const c = choices.find((x) => x.id === id);
  if (!c) {
    refuse(
      field,
      `Đáp án đúng "${id}" không phải là một lựa chọn của câu hỏi.`,
      `The correct response "${id}" is not one of the choices.`,
    );
  }
  return c.option.key;
}

function noCorrect(field: string): never {
  refuse(
    field,
    'Câu hỏi không có đáp án đúng (qti-correct-response hoặc qti-mapping).',
    'The item has no correct response (qti-correct-response or qti-mapping).',
  );
}

function readBody(item: XNode, interaction: XNode, decl: XNode, points: number): QuestionBody {
  const field = 'qti-correct-response';
  const correct = texts(child(decl, 'qti-correct-response'));
  const map = readMapping(decl);
  const tpl = templateKind(item);
  const cardinality = decl.attrs.cardinality ?? 'single';
  const baseType = decl.attrs['base-type'] ?? '';
  switch (interaction.name) {
    case 'qti-choice-interaction': {
      const choices = readChoices(
        descendants(interaction, (n) => n.name === 'qti-simple-choice'),
        'qti-simple-choice',
      );
      if (choices.length === 0) {
        refuse('qti-simple-choice', 'Câu hỏi không có lựa chọn.', 'The item has no choices.');
      }
      const rightIds = correct.length
        ? correct
        : (map?.entries.filter((e) => e.value > 0).map((e) => e.key) ?? []);
      if (rightIds.length === 0) noCorrect(field);
      const right = rightIds.map((id) => keyOf(choices, id, field));
      const ids = choices.map((c) => c.id.toUpperCase()).sort();
      if (ids.length === 2 && ids[0] === 'FALSE' && ids[1] === 'TRUE' && right.length === 1) {
        return { kind: 'true_false', correct: rightIds[0].toUpperCase() === 'TRUE' };
      }
      const options = choices.map((c) => c.option);
      if (cardinality === 'single' || interaction.attrs['max-choices'] === '1') {
        return { kind: 'single', options, correct: right[0] };
      }
      return {
        kind: 'multiple',
        options,
        correct: right,
        partialCredit: readPolicy(interaction, tpl, map, new Set(rightIds), points),
      };
    }
    case 'qti-text-entry-interaction': {
      if (baseType === 'float' || baseType === 'integer') {
        const value = Number(correct[0]?.replace(',', '.'));
        if (correct.length === 0) noCorrect(field);
        if (!Number.isFinite(value)) {
          refuse(
            field,
            `Đáp án số "${correct[0]}" không hợp lệ.`,
            `"${correct[0]}" is not a number.`,
          );
        }
        return { kind: 'numeric', value, tolerance: readTolerance(item) };
      }
      const accepted: string[] = [];
      for (const a of [
        ...correct,
        ...(map?.entries.filter((e) => e.value > 0).map((e) => e.key) ?? []),
      ]) {
        if (a !== '' && !accepted.includes(a)) accepted.push(a);
      }
      const patterns = readPatterns(interaction);
      if (accepted.length === 0 && patterns.length === 0) noCorrect(field);
      const flags = map?.entries.map((e) => e.caseSensitive).filter((c) => c !== undefined) ?? [];
      return {
        kind: 'short_answer',
        accepted,
        caseSensitive: flags.length
          ? flags.every(Boolean)
          : interaction.attrs['data-cadre-case-sensitive'] !== 'false',
        ignoreDiacritics: interaction.attrs['data-cadre-ignore-diacritics'] === 'true',
        patterns,
      };
    }
    case 'qti-order-interaction': {
      const choices = readChoices(
        descendants(interaction, (n) => n.name === 'qti-simple-choice'),
        'qti-simple-choice',
      );
      if (correct.length === 0) noCorrect(field);
      const order = correct.map((id) => keyOf(choices, id, field));
      if (new Set(order).size !== order.length || order.length !== choices.length) {
        refuse(
          field,
          'Thứ tự đúng phải có mỗi mục đúng một lần.',
          'The correct order must list every item exactly once.',
        );
      }
      return {
        kind: 'ordering',
        items: order.map((k) => choices.find((c) => c.option.key === k)!.option),
        partialCredit: interaction.attrs['data-cadre-partial-credit'] === 'true',
      };
    }
    case 'qti-match-interaction': {
      const sets = descendants(interaction, (n) => n.name === 'qti-simple-match-set');
      if (sets.length !== 2) {
        refuse(
          'qti-simple-match-set',
          'Câu ghép đôi cần đúng hai qti-simple-match-set.',
          'A match interaction needs exactly two qti-simple-match-set.',
        );
      }
      const [left, rightSet] = sets.map((s) =>
        readChoices(
          descendants(s, (n) => n.name === 'qti-simple-associable-choice'),
          'qti-simple-associable-choice',
        ),
      );
      const pairValues = correct.length
        ? correct
        : (map?.entries.filter((e) => e.value > 0).map((e) => e.key) ?? []);
      if (pairValues.length === 0) noCorrect(field);
      const pairs: Record<string, string> = {};
      for (const v of pairValues) {
        let [a, b] = v.split(/\s+/);
        if (!left.some((c) => c.id === a) && left.some((c) => c.id === b)) [a, b] = [b, a];
        const premise = keyOf(left, a, field);
        if (pairs[premise] !== undefined) {
          refuse(
            field,
            `Vế "${premise}" được ghép với nhiều đáp án đúng.`,
            `Premise "${premise}" has more than one correct match.`,
          );
        }
        pairs[premise] = keyOf(rightSet, b ?? '', field);
      }
      const unpaired = left.filter((c) => pairs[c.option.key] === undefined);
      if (unpaired.length) {
        refuse(
          field,
          `Vế "${unpaired[0].option.key}" không có đáp án ghép đúng.`,
          `Premise "${unpaired[0].option.key}" has no correct match.`,
        );
      }
      const flag = interaction.attrs['data-cadre-partial-credit'];
      return {
        kind: 'matching',
        premises: left.map((c) => c.option),
        responses: rightSet.map((c) => c.option),
        pairs,
        partialCredit: flag === undefined ? tpl === 'map_response' : flag === 'true',
      };
    }
    default: {
      // qti-extended-text-interaction
      const limit = Number(interaction.attrs['data-cadre-word-limit']);
      return {
        kind: 'essay',
        wordLimit: Number.isInteger(limit) && limit > 0 ? limit : null,
        rubric: readRubric(item, points),
      };
    }
  }
}

function readPolicy(
  interaction: XNode,
  tpl: TemplateKind,
  map: { entries: MapEntry[]; upper?: number } | undefined,
  rightIds: Set<string>,
  points: number,
): PartialCreditPolicy {
  const flag = interaction.attrs['data-cadre-partial-credit'] as PartialCreditPolicy | undefined;
  if (flag && PARTIAL_CREDIT_POLICIES.includes(flag)) return flag;
  if (tpl !== 'map_response' || !map) return 'all_or_nothing';
  const full = map.upper ?? points;
  const wrong = map.entries.filter((e) => !rightIds.has(e.key));
  return wrong.length && wrong.every((e) => e.value <= -full + 1e-9)
    ? 'proportional'
    : 'right_minus_wrong';
}

function readTolerance(item: XNode): number {
  const rp = child(item, 'qti-response-processing');
  const eq = rp && descendants(rp, (n) => n.name === 'qti-equal')[0];
  if (!eq || (eq.attrs['tolerance-mode'] ?? 'exact') !== 'absolute') return 0;
  const t = Number((eq.attrs.tolerance ?? '0').trim().split(/\s+/)[0]);
  return Number.isFinite(t) && t >= 0 ? t : 0;
}

function readPatterns(interaction: XNode): string[] {
  const raw = interaction.attrs['data-cadre-patterns'];
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    refuse(
      'data-cadre-patterns',
      'data-cadre-patterns phải là một mảng JSON các chuỗi.',
      'data-cadre-patterns must be a JSON array of strings.',
    );
  }
  return parsed;
}

function readRubric(item: XNode, points: number): RubricCriterion[] {
  const body = child(item, 'qti-item-body');
  const blocks = body
    ? descendants(body, (n) => n.name === 'qti-rubric-block').filter((b) =>
        (b.attrs.view ?? '').split(/\s+/).includes('scorer'),
      )
    : [];
  const criteria: RubricCriterion[] = [];
  for (const block of blocks) {
    for (const c of descendants(block, (n) => n.attrs['data-cadre-max-points'] !== undefined)) {
      const maxPoints = Number(c.attrs['data-cadre-max-points']);
      if (!Number.isFinite(maxPoints) || maxPoints < 0) {
        refuse(
          'qti-rubric-block',
          `Điểm tối đa của tiêu chí "${c.attrs['data-cadre-key'] ?? ''}" không hợp lệ.`,
          `The criterion "${c.attrs['data-cadre-key'] ?? ''}" has an invalid maximum.`,
        );
      }
      const title = descendants(c, (n) => hasClass(n, 'cadre-criterion-title'))[0];
      const description = descendants(c, (n) => hasClass(n, 'cadre-criterion-description'))[0];
      criteria.push({
        key: c.attrs['data-cadre-key'] ?? `c${criteria.length + 1}`,
        title: title ? plainText(title) : plainText(c),
        ...(description ? { description: plainText(description) } : {}),
        maxPoints,
      });
    }
  }
  if (criteria.length || blocks.some((b) => hasClass(b, 'cadre-rubric'))) return criteria;
  // Another tool's rubric: one overall criterion, its text the rubric's.
  const description = blocks
    .map((b) => plainText(b))
    .filter(Boolean)
    .join('\n');
  return [
    {
      key: 'overall',
      title: 'Đánh giá chung',
      ...(description ? { description } : {}),
      maxPoints: points,
    },
  ];
}

function readPoints(item: XNode, decl: XNode, interaction: XNode): number {
  const outcomes = elements(item, 'qti-outcome-declaration');
  const max = defaultValue(outcomes.find((o) => o.attrs.identifier === 'MAXSCORE'));
  if (max !== undefined) {
    const n = Number(max);
    if (!Number.isFinite(n) || n < 0) {
      refuse('MAXSCORE', `Điểm tối đa "${max}" không hợp lệ.`, `MAXSCORE "${max}" is not valid.`);
    }
    return n;
  }
  const upper = readMapping(decl)?.upper;
  if (upper !== undefined && upper > 0) return upper;
  if (interaction.name === 'qti-extended-text-interaction') {
    const body = child(item, 'qti-item-body');
    const sum = body
      ? descendants(body, (n) => n.attrs['data-cadre-max-points'] !== undefined).reduce(
          (s, n) => s + (Number(n.attrs['data-cadre-max-points']) || 0),
          0,
        )
      : 0;
    if (sum > 0) return sum;
  }
  return 1;
}

function readItem(root: XNode): QtiItem {
  if (root.name !== 'qti-assessment-item') {
    const qti2 = root.name === 'assessmentItem';
    refuse(
      'qti-assessment-item',
      qti2
        ? 'Đây là câu hỏi QTI 2.x; chỉ nhận QTI 3.0 (qti-assessment-item).'
        : `Phần tử gốc "${root.name}" không phải qti-assessment-item.`,
      qti2
        ? 'This is a QTI 2.x item; only QTI 3.0 (qti-assessment-item) is read.'
        : `The root element "${root.name}" is not qti-assessment-item.`,
    );
  }
  const identifier = root.attrs.identifier;
  if (!identifier) {
    refuse('identifier', 'Câu hỏi thiếu identifier.', 'The item has no identifier.');
  }
  const body = child(root, 'qti-item-body');
  if (!body)
    refuse('qti-item-body', 'Câu hỏi thiếu qti-item-body.', 'The item has no qti-item-body.');
  const all = descendants(body, (n) => n.name.endsWith('-interaction'));
  if (all.length === 0) {
    refuse('qti-item-body', 'Câu hỏi không có tương tác nào.', 'The item has no interaction.');
  }
  if (all.length > 1) {
    refuse(
      'qti-item-body',
      `Câu hỏi có ${all.length} tương tác; chỉ nhận câu hỏi có một tương tác.`,
      `The item has ${all.length} interactions; only items with one are read.`,
    );
  }
  const interaction = all[0];
  if (!INTERACTIONS.has(interaction.name)) {
    refuse(
      interaction.name,
      `Loại tương tác ${interaction.name} chưa được hỗ trợ.`,
      `The interaction ${interaction.name} is not supported.`,
    );
  }
  const responseId = interaction.attrs['response-identifier'];
  const decl = elements(root, 'qti-response-declaration').find(
    (d) => d.attrs.identifier === responseId,
  );
  if (!decl) {
    refuse(
      'qti-response-declaration',
      `Không có qti-response-declaration cho "${responseId ?? ''}".`,
      `No qti-response-declaration for "${responseId ?? ''}".`,
    );
  }
  const points = readPoints(root, decl, interaction);
  const question = readBody(root, interaction, decl, points);
  const innerPrompt = child(interaction, 'qti-prompt');
  const stem = plainText(body, NOT_PROMPT);
  const promptText = [stem, innerPrompt ? plainText(innerPrompt) : ''].filter(Boolean).join('\n');
  if (!promptText) refuse('qti-prompt', 'Câu hỏi không có nội dung.', 'The item has no prompt.');
  // toQtiItem writes the identifier as the title of an item that has none.
  const title = root.attrs.title;
  return {
    identifier,
    ...(title !== undefined && title !== '' && title !== identifier ? { title } : {}),
    prompt: promptText,
    points,
    body: question,
  };
}

/** Reads one QTI 3.0 item; anything it cannot take is a detail, never a throw. */
export function fromQtiItem(xml: string): QtiItemResult {
  try {
    const parsed = parseXml(xml, 'xml', QTI_MAX_ITEM_CHARS);
    if ('details' in parsed) return parsed;
    return { question: readItem(parsed.root) };
  } catch (e) {
    // A Refusal says why; anything else (a stack overflow on absurd nesting, a parser fault) is
    // an item that cannot be read.
    if (e instanceof Refusal) return { details: [e.detail] };
    return {
      details: [detail('xml', 'Không đọc được câu hỏi QTI.', 'The QTI item could not be read.')],
    };
  }
}

// ─── Packages ────────────────────────────────────────────────────────────────────────────────

function itemPath(identifier: string): string {
  return `items/${identifier}.xml`;
}

/** A QTI 3.0 content package (ZIP): imsmanifest.xml and items/<identifier>.xml. */
export function toQtiPackage(items: QtiItemInput[]): Buffer {
  const files: Record<string, Uint8Array> = {};
  const resources: XNode[] = [];
  for (const item of items) {
    const path = itemPath(item.identifier);
    if (files[path]) throw new Error(`QTI: two items share the identifier ${item.identifier}`);
    files[path] = Buffer.from(toQtiItem(item), 'utf8');
    const keywords = (item.tags ?? []).map((t) =>
      el('keyword', {}, [el('string', { language: 'vi' }, [t])]),
    );
    resources.push(
      el('resource', { identifier: item.identifier, type: ITEM_RESOURCE_TYPE, href: path }, [
        ...(keywords.length
          ? [el('metadata', {}, [el('lom', { xmlns: LOM_NS }, [el('general', {}, keywords)])])]
          : []),
        el('file', { href: path }),
      ]),
    );
  }
  const manifest = el(
    'manifest',
    { xmlns: CP_NS, identifier: `MANIFEST-${items.length}-${Date.now()}` },
    [
      el('metadata', {}, [el('schema', {}, ['QTI Package']), el('schemaversion', {}, ['3.0.0'])]),
      el('organizations'),
      el('resources', {}, resources),
    ],
  );
  return Buffer.from(
    zipSync(
      { 'imsmanifest.xml': Buffer.from(serialize(manifest), 'utf8'), ...files },
      { level: 6 },
    ),
  );
}

function unsafePath(name: string): boolean {
  return (
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((part) => part === '..') ||
    name.includes('\u0000')
  );
}

function normalizeHref(href: string): string {
  let h = href.trim();
  try {
    h = decodeURIComponent(h);
  } catch {
    // keep as written
  }
  return h.replace(/^(\.\/)+/, '');
}

/**
 * Reads a QTI 3.0 content package: every item resource of its manifest, with its tags. All or
 * nothing: any unreadable item makes details (field "<path>: <field>"), never a throw.
 */
export function fromQtiPackage(
  buffer: Uint8Array,
  limits: Partial<QtiPackageLimits> = {},
): QtiPackageResult {
  try {
    return readPackage(buffer, { ...QTI_PACKAGE_LIMITS, ...limits });
  } catch {
    return {
      details: [detail('package', 'Không đọc được gói QTI.', 'The QTI package could not be read.')],
    };
  }
}

function readPackage(buffer: Uint8Array, lim: QtiPackageLimits): QtiPackageResult {
  const field = 'package';
  const fail = (vi: string, en: string): QtiPackageResult => ({
    details: [detail(field, vi, en)],
  });
  if (buffer.length > lim.maxPackageBytes) {
    return fail(
      `Gói QTI quá lớn (tối đa ${lim.maxPackageBytes} byte).`,
      `The QTI package is too large (at most ${lim.maxPackageBytes} bytes).`,
    );
  }
  const entries: UnzipFileInfo[] = [];
  let tooMany = false;
  try {
    unzipSync(buffer, {
      filter: (f) => {
        entries.push(f);
        if (entries.length > lim.maxEntries) {
          tooMany = true;
          throw new Error('too many entries');
        }
        return false;
      },
    });
  } catch {
    return tooMany
      ? fail(
          `Gói QTI có quá nhiều tệp (tối đa ${lim.maxEntries}).`,
          `The QTI package has too many files (at most ${lim.maxEntries}).`,
        )
      : fail('Tệp không phải là gói ZIP hợp lệ.', 'The file is not a valid ZIP package.');
  }
  const bad = entries.find((e) => unsafePath(e.name));
  if (bad) {
    return fail(
      `Gói QTI có đường dẫn không an toàn: ${bad.name}`,
      `The QTI package has an unsafe path: ${bad.name}`,
    );
  }
  const total = entries.reduce((s, e) => s + e.originalSize, 0);
  if (total > lim.maxTotalUncompressedBytes) {
    return fail(
      `Gói QTI giải nén quá lớn (tối đa ${lim.maxTotalUncompressedBytes} byte).`,
      `The QTI package is too large uncompressed (at most ${lim.maxTotalUncompressedBytes} bytes).`,
    );
  }
  type Read = { files: Record<string, string> } | { failed: LocalizedDetail };
  const read = (names: Set<string>): Read => {
    const big = entries.find((e) => names.has(e.name) && e.originalSize > lim.maxEntryBytes);
    if (big) {
      const failed = detail(
        big.name,
        `Tệp ${big.name} quá lớn (tối đa ${lim.maxEntryBytes} byte).`,
        `The file ${big.name} is too large (at most ${lim.maxEntryBytes} bytes).`,
      );
      return { failed };
    }
    try {
      // The output of each entry is allocated at its declared size: data that inflates to more
      // is cut there (and then fails as XML), never grown.
      const files = unzipSync(buffer, { filter: (f) => names.has(f.name) });
      return {
        files: Object.fromEntries(
          Object.entries(files).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]),
        ),
      };
    } catch {
      return {
        failed: detail(
          field,
          'Không giải nén được gói QTI.',
          'The QTI package could not be unzipped.',
        ),
      };
    }
  };
  const manifestRead = read(new Set(['imsmanifest.xml']));
  if ('failed' in manifestRead) return { details: [manifestRead.failed] };
  const manifestXml = manifestRead.files['imsmanifest.xml'];
  if (manifestXml === undefined) {
    return fail('Gói QTI thiếu imsmanifest.xml.', 'The QTI package has no imsmanifest.xml.');
  }
  const parsed = parseXml(manifestXml, 'imsmanifest.xml', lim.maxEntryBytes);
  if ('details' in parsed) return parsed;
  if (parsed.root.name !== 'manifest') {
    return fail('imsmanifest.xml không có phần tử manifest.', 'imsmanifest.xml has no manifest.');
  }
  const resources = descendants(
    parsed.root,
    (n) => n.name === 'resource' && (n.attrs.type ?? '').startsWith(ITEM_RESOURCE_TYPE),
  );
  if (resources.length === 0) {
    return fail('Gói QTI không có câu hỏi QTI 3.0 nào.', 'The QTI package lists no QTI 3.0 item.');
  }
  const listed = resources.map((r) => {
    const href = r.attrs.href ?? elements(r, 'file')[0]?.attrs.href ?? '';
    return {
      path: normalizeHref(href),
      tags: descendants(r, (n) => n.name === 'keyword').flatMap((k) => {
        const strings = elements(k, 'string');
        return (strings.length ? strings : [k]).map((s) => plainText(s)).filter(Boolean);
      }),
    };
  });
  const unsafe = listed.find((l) => l.path === '' || unsafePath(l.path));
  if (unsafe) {
    return fail(
      `imsmanifest.xml trỏ tới đường dẫn không an toàn: "${unsafe.path}"`,
      `imsmanifest.xml points to an unsafe path: "${unsafe.path}"`,
    );
  }
  const itemsRead = read(new Set(listed.map((l) => l.path)));
  if ('failed' in itemsRead) return { details: [itemsRead.failed] };
  const files = itemsRead.files;
  const details: LocalizedDetail[] = [];
  const items: (QtiItem & { tags: string[] })[] = [];
  const ids = new Set<string>();
  for (const l of listed) {
    const xml = files[l.path];
    if (xml === undefined) {
      details.push(
        detail(l.path, `Gói QTI thiếu tệp ${l.path}.`, `The QTI package has no file ${l.path}.`),
      );
      continue;
    }
    const r = fromQtiItem(xml);
    if ('details' in r) {
      details.push(...r.details.map((d) => ({ ...d, field: `${l.path}: ${d.field}` })));
      continue;
    }
    if (ids.has(r.question.identifier)) {
      details.push(
        detail(
          l.path,
          `Hai câu hỏi trùng identifier ${r.question.identifier}.`,
          `Two items share the identifier ${r.question.identifier}.`,
        ),
      );
      continue;
    }
    ids.add(r.question.identifier);
    items.push({ ...r.question, tags: l.tags });
  }
  return details.length ? { details } : { items };
}
