import type { LocalizedDetail } from '../../common/errors/domain-error';
import { nfc } from '../../common/text/vietnamese';
import { detail } from '../competency-details';
import { DEFAULT_POLICY, DEFAULT_SCALE } from '../default-scale';
import { CODE_PATTERN, PolicyInputDto, ScaleInputDto } from '../dto/framework.dto';
import type { FrameworkDocument } from './framework-document';

/**
 * Reads an IMS CASE 1.0 package — as public CASE frameworks publish it, or as writeCase exports
 * one — into a framework document (issue 11, item 14).
 *
 * The package: { CFDocument, CFItems, CFAssociations, CFDefinitions?, CFRubrics? }, also
 * accepted wrapped as { CFPackage: { … } }. Only isChildOf associations build the tree (child =
 * originNodeURI, parent = destinationNodeURI); other association types (exactMatchOf,
 * isRelatedTo, precedes, …) and CFDefinitions (CFItemTypes, CFConcepts, CFSubjects, …) are
 * allowed and carry nothing our model keeps. CFItemType names are free: the tree's shape, not
 * the type names, decides what an item becomes.
 *
 * How a tree of any depth maps onto domain → competency:
 * - the document's children (items isChildOf the CFDocument, or of nothing) are the domains;
 * - their children are the competencies, in order (sequenceNumber, then listEnumeration);
 * - anything deeper (indicators, sub-standards, …) stays with its competency as an indented
 *   outline "- code statement" at the end of its description, under a heading, so no text of
 *   the package is lost and a competency stays what a supervisor can rate;
 * - a flat package (no document child has children) becomes one domain, named after the
 *   document, holding every item as a competency.
 * An item with several isChildOf parents (CASE allows it) sits under the one with the lowest
 * sequenceNumber. Codes are humanCodingScheme where it is a valid, unused code, else made from
 * the position (D1, D2 … for domains; <domain>.1, <domain>.2 … for competencies). Names are
 * abbreviatedStatement, else fullStatement (cut at 300 characters at a word; the whole statement
 * then opens the description); notes follow it. Texts are in the package's language and fill
 * both the Vietnamese and the English fields (both are required) unless the package carries our
 * extensions (titleEn, nameEn, descriptionEn, indicators): the draft is where they get
 * translated. The framework's description keeps the package's description and where it came
 * from (publisher, source URL, CASE identifier).
 *
 * The scale: the request's, else the package's extensions (our own export), else DEFAULT_SCALE
 * (a CASE package has no place for one); the policy likewise, else DEFAULT_POLICY. The code:
 * the request's, else CFDocument.extensions.frameworkCode.
 */
export interface CaseImportOptions {
  scale?: ScaleInputDto;
  policy?: PolicyInputDto;
}

export interface CaseRead {
  doc: FrameworkDocument;
  /** Problems of the package itself, with their path under `document`. */
  errors: LocalizedDetail[];
  /** The package could not be read as a tree: nothing else is worth checking. */
  fatal: boolean;
  /** Where each part came from, to name the package's path in a failure (casePath). */
  origin: {
    domains: { at: number | null; nameFrom: string }[];
    competencies: { at: number; nameFrom: string }[];
    scale: 'request' | 'package' | 'default';
    policy: 'request' | 'package' | 'default';
    code: 'request' | 'package' | 'none';
  };
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => {
  const s = typeof x === 'string' ? nfc(x) : '';
  return s ? s : undefined;
};
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const NAME_MAX = 300;
const DESCRIPTION_MAX = 5000;

/** A statement as a name: one line, at most 300 characters, cut at a word with an ellipsis. */
function nameOf(statement: string): string {
  const s = oneLine(statement);
  if (s.length <= NAME_MAX) return s;
  const cut = s.slice(0, NAME_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > NAME_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const OUTLINE = {
  vi: { heading: 'Các mục chi tiết trong gói CASE:', more: '… và {n} mục khác trong gói gốc.' },
  en: {
    heading: 'Detailed items of the CASE package:',
    more: '… and {n} more items in the original package.',
  },
};

/** Parts joined by blank lines, the outline cut (with a count of what was left out) to fit. */
function describe(parts: string[], outline: string[], lang: 'vi' | 'en'): string | undefined {
  const head = parts.filter(Boolean).join('\n\n');
  if (!outline.length) return head || undefined;
  const join = (lines: string[], more: number) =>
    [
      head,
      [
        OUTLINE[lang].heading,
        ...lines,
        ...(more ? [OUTLINE[lang].more.replace('{n}', String(more))] : []),
      ].join('\n'),
    ]
      .filter(Boolean)
      .join('\n\n');
  let kept = outline.length;
  let text = join(outline, 0);
  while (text.length > DESCRIPTION_MAX && kept > 0) {
    kept -= 1;
    text = join(outline.slice(0, kept), outline.length - kept);
  }
  return text;
}

interface Node {
  at: number;
  id: string;
  item: Json;
  statement: string;
  parent: { id: string; seq: number; assoc: number } | null;
  children: Node[];
}

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

function orderKey(n: Node): [number, number, string, number] {
  const list = str(n.item.listEnumeration);
  const numeric = list !== undefined && /^\d+$/.test(list) ? Number(list) : MAX_SEQ;
  return [n.parent?.seq ?? MAX_SEQ, numeric, list ?? '', n.at];
}
function byOrder(a: Node, b: Node): number {
  const x = orderKey(a);
  const y = orderKey(b);
  return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0) || x[3] - y[3];
}

/** Takes a code when it is valid and free, else the first free one of `fallbacks`. */
function claimCode(taken: Set<string>, wanted: string | undefined, fallbacks: () => string[]) {
  const candidates = [...(wanted ? [oneLine(wanted)] : []), ...fallbacks()];
  const code = candidates.find((c) => CODE_PATTERN.test(c) && !taken.has(c))!;
  taken.add(code);
  return code;
}

export function readCase(input: unknown, options: CaseImportOptions = {}): CaseRead {
  const errors: LocalizedDetail[] = [];
  const fail = (field: string, key: Parameters<typeof detail>[1], params = {}) =>
    errors.push(detail(`document${field ? `.${field}` : ''}`, key, params));
  const read: CaseRead = {
    doc: {
      code: '',
      nameVi: '',
      nameEn: '',
      version: {
        scale: options.scale ?? DEFAULT_SCALE,
        policy: options.policy ?? DEFAULT_POLICY,
        domains: [],
        competencies: [],
      },
    },
    errors,
    fatal: true,
    origin: {
      domains: [],
      competencies: [],
      scale: options.scale ? 'request' : 'default',
      policy: options.policy ? 'request' : 'default',
      code: 'none',
    },
  };
  const pkg = isObject(input) && isObject(input.CFPackage) ? input.CFPackage : input;
  if (!isObject(pkg)) {
    fail('', 'caseNotPackage');
    return read;
  }
  const cfDoc = pkg.CFDocument;
  const items = pkg.CFItems;
  const associations = pkg.CFAssociations ?? [];
  const definitions = pkg.CFDefinitions ?? {};
  if (!isObject(cfDoc)) fail('CFDocument', 'mustBeObject');
  if (!Array.isArray(items)) fail('CFItems', 'mustBeArray');
  if (!Array.isArray(associations)) fail('CFAssociations', 'mustBeArray');
  if (!isObject(definitions)) fail('CFDefinitions', 'mustBeObject');
  if (!isObject(cfDoc) || !Array.isArray(items) || !Array.isArray(associations)) return read;

  // ---- the document ----
  const docId = str(cfDoc.identifier);
  const title = str(cfDoc.title);
  if (!docId) fail('CFDocument.identifier', 'required');
  if (!title) fail('CFDocument.title', 'required');
  const lang: 'vi' | 'en' = /^en/i.test(str(cfDoc.language) ?? '') ? 'en' : 'vi';
  const ext = isObject(cfDoc.extensions) ? cfDoc.extensions : {};
  const doc = read.doc;
  doc.code = str(ext.frameworkCode) ?? '';
  if (doc.code) read.origin.code = 'package';
  doc.nameVi = title ? nameOf(title) : '';
  doc.nameEn = str(ext.titleEn) ?? doc.nameVi;
  const source = [
    `Nguồn: gói CASE “${title ?? ''}”`,
    str(cfDoc.publisher) ?? str(cfDoc.creator),
    str(cfDoc.version) ? `phiên bản ${str(cfDoc.version)}` : undefined,
    str(cfDoc.officialSourceURL) ?? str(cfDoc.uri),
    docId ? `mã định danh ${docId}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  doc.description = describe(
    [str(cfDoc.description) ?? str(cfDoc.notes) ?? '', `${source}.`],
    [],
    'vi',
  )?.slice(0, DESCRIPTION_MAX);
  if (!options.scale && Array.isArray(ext.scale)) {
    read.origin.scale = 'package';
    doc.version.scale = {
      proficientLevel: ext.proficientLevel as number,
      levels: ext.scale.map((l: unknown) => {
        const o = isObject(l) ? l : {};
        return {
          level: o.level as number,
          nameVi: str(o.nameVi) as string,
          nameEn: str(o.nameEn) as string,
          descriptionVi: str(o.descriptionVi),
          descriptionEn: str(o.descriptionEn),
        };
      }),
    };
  }
  if (!options.policy && isObject(ext.policy)) {
    read.origin.policy = 'package';
    doc.version.policy = { kind: ext.policy.kind as never };
    if (ext.policy.years !== null && ext.policy.years !== undefined) {
      doc.version.policy.years = ext.policy.years as number;
    }
  }

  // ---- the items ----
  const nodes = new Map<string, Node>();
  items.forEach((it: unknown, i) => {
    const at = `CFItems.${i}`;
    if (!isObject(it)) return fail(at, 'mustBeObject');
    const id = str(it.identifier);
    const statement = str(it.fullStatement);
    if (!id) fail(`${at}.identifier`, 'required');
    if (!statement) fail(`${at}.fullStatement`, 'required');
    if (!id) return;
    if (nodes.has(id)) return fail(`${at}.identifier`, 'caseIdentifierTwice', { identifier: id });
    nodes.set(id, { at: i, id, item: it, statement: statement ?? '', parent: null, children: [] });
  });
  if (items.length === 0) fail('CFItems', 'caseNoItems');

  // ---- the tree, from isChildOf ----
  associations.forEach((a: unknown, i) => {
    const at = `CFAssociations.${i}`;
    if (!isObject(a)) return fail(at, 'mustBeObject');
    if (a.associationType !== 'isChildOf') return;
    const origin = isObject(a.originNodeURI) ? str(a.originNodeURI.identifier) : undefined;
    const dest = isObject(a.destinationNodeURI) ? str(a.destinationNodeURI.identifier) : undefined;
    if (!origin || !dest) return fail(at, 'caseNodeIdentifiers');
    const child = nodes.get(origin);
    // An association about a node of another document is not part of this tree.
    if (!child) return;
    if (dest !== docId && !nodes.has(dest)) {
      return fail(`${at}.destinationNodeURI`, 'caseParentUnknown', { identifier: dest });
    }
    const seq = typeof a.sequenceNumber === 'number' ? a.sequenceNumber : MAX_SEQ;
    const current = child.parent;
    if (!current || seq < current.seq || (seq === current.seq && i < current.assoc)) {
      child.parent = { id: dest, seq, assoc: i };
    }
  });
  const roots: Node[] = [];
  for (const n of nodes.values()) {
    const parent = n.parent && n.parent.id !== docId ? nodes.get(n.parent.id) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  // Items whose parent chain never reaches the document are in a cycle.
  const reached = new Set<Node>();
  const walk = (n: Node) => {
    reached.add(n);
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  for (const n of nodes.values()) {
    if (!reached.has(n)) fail(`CFItems.${n.at}`, 'caseCycle');
  }
  if (errors.length) return read;
  read.fatal = false;
  for (const n of nodes.values()) n.children.sort(byOrder);
  roots.sort(byOrder);

  // ---- domains and competencies ----
  const flat = roots.every((r) => r.children.length === 0);
  const domainNodes: (Node | null)[] = flat ? [null] : roots;
  const domainCodes = new Set<string>();
  const competencyCodes = new Set<string>();
  domainNodes.forEach((d, i) => {
    const e = d && isObject(d.item.extensions) ? d.item.extensions : {};
    const abbreviated = d ? str(d.item.abbreviatedStatement) : undefined;
    const code = claimCode(domainCodes, d ? str(d.item.humanCodingScheme) : undefined, () =>
      Array.from({ length: domainNodes.length + 1 }, (_, k) => `D${i + 1 + k}`),
    );
    const nameVi = d ? nameOf(abbreviated ?? d.statement) : doc.nameVi;
    doc.version.domains.push({ code, nameVi, nameEn: str(e.nameEn) ?? nameVi });
    read.origin.domains.push({
      at: d?.at ?? null,
      nameFrom: abbreviated ? 'abbreviatedStatement' : 'fullStatement',
    });
    const members = d ? d.children : roots;
    members.forEach((c, k) => {
      const ce = isObject(c.item.extensions) ? c.item.extensions : {};
      const short = str(c.item.abbreviatedStatement);
      const name = nameOf(short ?? c.statement);
      const lead = name === oneLine(c.statement) ? '' : c.statement;
      const outline: string[] = [];
      const addOutline = (n: Node, depth: number) => {
        const label = [str(n.item.humanCodingScheme), oneLine(n.statement)].filter(Boolean);
        outline.push(`${'  '.repeat(depth)}- ${label.join(' ')}`);
        n.children.forEach((x) => addOutline(x, depth + 1));
      };
      c.children.forEach((x) => addOutline(x, 0));
      const notes = str(c.item.notes) ?? '';
      const indicators = Array.isArray(ce.indicators) ? ce.indicators : [];
      doc.version.competencies.push({
        code: claimCode(competencyCodes, str(c.item.humanCodingScheme), () => [
          `${code}.${k + 1}`,
          ...Array.from({ length: nodes.size + 1 }, (_, x) => `C${competencyCodes.size + 1 + x}`),
        ]),
        domainCode: code,
        nameVi: name,
        nameEn: str(ce.nameEn) ?? name,
        descriptionVi: describe([lead, notes], outline, 'vi'),
        descriptionEn:
          str(ce.descriptionEn) ??
          (lang === 'en' ? describe([lead, notes], outline, 'en') : undefined),
        indicators: indicators.map((x: unknown) => {
          const o = isObject(x) ? x : {};
          return {
            level: o.level as number,
            textVi: str(o.textVi) as string,
            textEn: str(o.textEn) as string,
          };
        }),
      });
      read.origin.competencies.push({
        at: c.at,
        nameFrom: short ? 'abbreviatedStatement' : 'fullStatement',
      });
    });
  });
  return read;
}

/**
 * The path in the request of a field of the framework document read from a package, so a
 * failure of the rules of POST /frameworks names the CASE item or the request field it came from.
 */
export function casePath(field: string, read: CaseRead): string {
  const o = read.origin;
  let m = /^version\.competencies\.(\d+)(?:\.(\w+))?(.*)$/.exec(field);
  if (m) {
    const c = o.competencies[Number(m[1])];
    if (!c) return `document.CFItems`;
    const prop: Record<string, string> = {
      code: 'humanCodingScheme',
      nameVi: c.nameFrom,
      nameEn: 'extensions.nameEn',
      descriptionVi: 'notes',
      descriptionEn: 'extensions.descriptionEn',
      indicators: 'extensions.indicators',
    };
    const p = m[2] ? (prop[m[2]] ?? m[2]) : '';
    return `document.CFItems.${c.at}${p ? `.${p}` : ''}${m[3]}`;
  }
  m = /^version\.domains\.(\d+)(?:\.(\w+))?(.*)$/.exec(field);
  if (m) {
    const d = o.domains[Number(m[1])];
    if (!d || d.at === null) return 'document.CFDocument.title';
    const prop: Record<string, string> = {
      code: 'humanCodingScheme',
      nameVi: d.nameFrom,
      nameEn: 'extensions.nameEn',
    };
    const p = m[2] ? (prop[m[2]] ?? m[2]) : '';
    return `document.CFItems.${d.at}${p ? `.${p}` : ''}${m[3]}`;
  }
  if (field === 'version.competencies' || field === 'version.domains') return 'document.CFItems';
  m = /^version\.scale(?:\.(\w+))?(.*)$/.exec(field);
  if (m) {
    if (o.scale === 'request') return field.slice('version.'.length);
    const ext = 'document.CFDocument.extensions';
    if (m[1] === 'proficientLevel') return `${ext}.proficientLevel`;
    if (m[1] === 'levels') return `${ext}.scale${m[2]}`;
    return `${ext}.scale`;
  }
  if (field.startsWith('version.policy')) {
    const rest = field.slice('version.policy'.length);
    return o.policy === 'request'
      ? `policy${rest}`
      : `document.CFDocument.extensions.policy${rest}`;
  }
  if (field === 'nameVi') return 'document.CFDocument.title';
  if (field === 'nameEn') return 'document.CFDocument.extensions.titleEn';
  if (field === 'description') return 'document.CFDocument.description';
  if (field === 'code')
    return o.code === 'package' ? 'document.CFDocument.extensions.frameworkCode' : 'code';
  return field;
}
