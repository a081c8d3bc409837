import { createHash } from 'node:crypto';
import type { ErrorDetail } from '../../common/errors/domain-error';
import { nfc } from '../../common/text/vietnamese';
import type { FrameworkVersionStatus } from '../competency.types';
import type { VersionDto } from '../dto/framework.dto';
import type { FrameworkDocument } from './framework-document';

/**
 * IMS CASE 1.0/1.1 (Competencies and Academic Standards Exchange) package of one framework
 * version, and its reading back.
 * - CFDocument: identifier = the version's uuid; title, language 'vi', version = version
 *   number, adoptionStatus Draft | Adopted | Deprecated (draft | published | retired).
 * - CFItems: one per domain (CFItemType 'Domain', identifier = the domain row's uuid) and one
 *   per competency (CFItemType 'Competency', identifier = its lineage id, the same in every
 *   version, so a consumer sees "the same competency" across versions). fullStatement,
 *   humanCodingScheme (the code), notes (the description) and language are Vietnamese.
 * - CFAssociations: isChildOf, domain → document and competency → domain; their identifiers
 *   are name-based uuids of (child, parent), so an export is the same bytes every time.
 * - What CASE has no field for rides in `extensions` (CASE 1.1 allows them): the English
 *   names and descriptions, the framework code, the scale with its proficient level, the
 *   current-level policy, and each competency's behaviour indicators per level. Rubrics
 *   (CFRubrics) would be the long way round for the indicators; extensions keep the export
 *   exact and the import lossless.
 * URIs are urn:uuid:<identifier>, which needs no host name.
 */
export interface CaseNodeUri {
  title: string;
  identifier: string;
  uri: string;
}

export interface CaseDocumentExtensions {
  frameworkCode: string;
  titleEn: string;
  proficientLevel: number;
  policy: { kind: string; years: number | null };
  scale: {
    level: number;
    nameVi: string;
    nameEn: string;
    descriptionVi: string | null;
    descriptionEn: string | null;
  }[];
}

export interface CaseItemExtensions {
  code: string;
  nameEn: string;
  descriptionEn: string | null;
  indicators?: { level: number; textVi: string; textEn: string }[];
}

export interface CasePackage {
  CFDocument: {
    identifier: string;
    uri: string;
    creator: string;
    title: string;
    description?: string;
    language: string;
    version: string;
    adoptionStatus: string;
    lastChangeDateTime: string;
    CFPackageURI: CaseNodeUri;
    extensions: CaseDocumentExtensions;
  };
  CFItems: {
    identifier: string;
    uri: string;
    fullStatement: string;
    humanCodingScheme: string;
    CFItemType: 'Domain' | 'Competency';
    language: string;
    notes?: string;
    listEnumeration: string;
    lastChangeDateTime: string;
    CFDocumentURI: CaseNodeUri;
    extensions: CaseItemExtensions;
  }[];
  CFAssociations: {
    identifier: string;
    uri: string;
    associationType: 'isChildOf';
    sequenceNumber: number;
    originNodeURI: CaseNodeUri;
    destinationNodeURI: CaseNodeUri;
    CFDocumentURI: CaseNodeUri;
    lastChangeDateTime: string;
  }[];
}

const ADOPTION: Record<FrameworkVersionStatus, string> = {
  draft: 'Draft',
  published: 'Adopted',
  retired: 'Deprecated',
};

const urn = (id: string) => `urn:uuid:${id}`;

/** A name-based (version 5 style) uuid, so association identifiers are stable. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`lms-case:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function writeCase(
  framework: { code: string; nameVi: string; nameEn: string; description: string | null },
  creator: string,
  v: VersionDto,
  lastChange: Date,
): CasePackage {
  const changed = lastChange.toISOString();
  const node = (title: string, identifier: string): CaseNodeUri => ({
    title,
    identifier,
    uri: urn(identifier),
  });
  const docNode = node(framework.nameVi, v.id);
  const domainNode = new Map(v.domains.map((d) => [d.code, node(d.nameVi, d.id)]));
  return {
    CFDocument: {
      identifier: v.id,
      uri: urn(v.id),
      creator,
      title: framework.nameVi,
      ...(framework.description ? { description: framework.description } : {}),
      language: 'vi',
      version: String(v.versionNo),
      adoptionStatus: ADOPTION[v.status],
      lastChangeDateTime: changed,
      CFPackageURI: docNode,
      extensions: {
        frameworkCode: framework.code,
        titleEn: framework.nameEn,
        proficientLevel: v.proficientLevel,
        policy: v.policy,
        scale: v.scale,
      },
    },
    CFItems: [
      ...v.domains.map((d, i) => ({
        identifier: d.id,
        uri: urn(d.id),
        fullStatement: d.nameVi,
        humanCodingScheme: d.code,
        CFItemType: 'Domain' as const,
        language: 'vi',
        listEnumeration: String(i + 1),
        lastChangeDateTime: changed,
        CFDocumentURI: docNode,
        extensions: { code: d.code, nameEn: d.nameEn, descriptionEn: null },
      })),
      ...v.competencies.map((c, i) => ({
        identifier: c.lineageId,
        uri: urn(c.lineageId),
        fullStatement: c.nameVi,
        humanCodingScheme: c.code,
        CFItemType: 'Competency' as const,
        language: 'vi',
        ...(c.descriptionVi ? { notes: c.descriptionVi } : {}),
        listEnumeration: String(i + 1),
        lastChangeDateTime: changed,
        CFDocumentURI: docNode,
        extensions: {
          code: c.code,
          nameEn: c.nameEn,
          descriptionEn: c.descriptionEn,
          indicators: c.indicators,
        },
      })),
    ],
    CFAssociations: [
      ...v.domains.map((d, i) => ({
        identifier: nameUuid(`${d.id}>${v.id}`),
        uri: urn(nameUuid(`${d.id}>${v.id}`)),
        associationType: 'isChildOf' as const,
        sequenceNumber: i + 1,
        originNodeURI: domainNode.get(d.code)!,
        destinationNodeURI: docNode,
        CFDocumentURI: docNode,
        lastChangeDateTime: changed,
      })),
      ...v.competencies.map((c, i) => {
        const parent = domainNode.get(c.domainCode)!;
        const id = nameUuid(`${c.lineageId}>${parent.identifier}`);
        return {
          identifier: id,
          uri: urn(id),
          associationType: 'isChildOf' as const,
          sequenceNumber: i + 1,
          originNodeURI: node(c.nameVi, c.lineageId),
          destinationNodeURI: parent,
          CFDocumentURI: docNode,
          lastChangeDateTime: changed,
        };
      }),
    ],
  };
}

// ---- reading --------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? nfc(x) : undefined);
const optStr = (x: unknown): string | undefined => {
  const s = str(x);
  return s ? s : undefined;
};

/**
 * Reads a CASE package written by writeCase (or any package that carries the same extensions)
 * into a framework document. Domains are the CFItems of type Domain, competencies those of type
 * Competency, each tied to its domain by an isChildOf association; order follows
 * sequenceNumber, then listEnumeration. Every structural problem is reported with its path
 * under `document`; the document's content is then checked by the rules of POST /frameworks.
 */
export function readCase(input: unknown): { doc: FrameworkDocument; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const fail = (field: string, message: string) =>
    errors.push({ field: `document.${field}`, message });
  const doc: FrameworkDocument = {
    code: '',
    nameVi: '',
    nameEn: '',
    version: {
      scale: { levels: [], proficientLevel: 0 },
      policy: { kind: 'latest_valid' },
      domains: [],
      competencies: [],
    },
  };
  if (!isObject(input)) {
    errors.push({ field: 'document', message: 'must be a CASE package object' });
    return { doc, errors };
  }
  const cfDoc = input.CFDocument;
  const items = input.CFItems;
  const associations = input.CFAssociations ?? [];
  if (!isObject(cfDoc)) fail('CFDocument', 'must be an object');
  if (!Array.isArray(items)) fail('CFItems', 'must be an array');
  if (!Array.isArray(associations)) fail('CFAssociations', 'must be an array');
  if (!isObject(cfDoc) || !Array.isArray(items) || !Array.isArray(associations)) {
    return { doc, errors };
  }
  const ext = isObject(cfDoc.extensions) ? cfDoc.extensions : {};
  doc.code = str(ext.frameworkCode) ?? '';
  doc.nameVi = str(cfDoc.title) ?? '';
  doc.nameEn = str(ext.titleEn) ?? str(cfDoc.title) ?? '';
  doc.description = optStr(cfDoc.description);
  if (!Array.isArray(ext.scale)) {
    fail('CFDocument.extensions.scale', 'the scale (levels) is required');
  } else {
    doc.version.scale.levels = ext.scale.map((l: unknown) => {
      const o = isObject(l) ? l : {};
      return {
        level: o.level as number,
        nameVi: str(o.nameVi) as string,
        nameEn: str(o.nameEn) as string,
        descriptionVi: optStr(o.descriptionVi),
        descriptionEn: optStr(o.descriptionEn),
      };
    });
  }
  doc.version.scale.proficientLevel = ext.proficientLevel as number;
  if (isObject(ext.policy)) {
    doc.version.policy = { kind: ext.policy.kind as never };
    if (ext.policy.years !== null && ext.policy.years !== undefined) {
      doc.version.policy.years = ext.policy.years as number;
    }
  }

  // Parents by isChildOf, with the sequence number for ordering.
  const parentOf = new Map<string, { parent: string; seq: number }>();
  associations.forEach((a: unknown, i) => {
    if (!isObject(a)) return fail(`CFAssociations.${i}`, 'must be an object');
    if (a.associationType !== 'isChildOf') return;
    const origin = isObject(a.originNodeURI) ? str(a.originNodeURI.identifier) : undefined;
    const dest = isObject(a.destinationNodeURI) ? str(a.destinationNodeURI.identifier) : undefined;
    if (!origin || !dest) {
      return fail(`CFAssociations.${i}`, 'originNodeURI and destinationNodeURI need identifiers');
    }
    parentOf.set(origin, {
      parent: dest,
      seq: typeof a.sequenceNumber === 'number' ? a.sequenceNumber : Number.MAX_SAFE_INTEGER,
    });
  });
  const order = (id: string, listEnumeration: unknown, i: number): [number, number, number] => [
    parentOf.get(id)?.seq ?? Number.MAX_SAFE_INTEGER,
    Number(listEnumeration) || Number.MAX_SAFE_INTEGER,
    i,
  ];
  const byOrder = (a: [number, number, number], b: [number, number, number]) =>
    a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

  const domains: {
    id: string;
    code: string;
    nameVi: string;
    nameEn: string;
    key: [number, number, number];
  }[] = [];
  const competencies: {
    at: number;
    id: string;
    key: [number, number, number];
    value: FrameworkDocument['version']['competencies'][number];
  }[] = [];
  items.forEach((it: unknown, i) => {
    const at = `CFItems.${i}`;
    if (!isObject(it)) return fail(at, 'must be an object');
    const id = str(it.identifier);
    if (!id) return fail(`${at}.identifier`, 'is required');
    const e = isObject(it.extensions) ? it.extensions : {};
    const code = str(it.humanCodingScheme) ?? str(e.code) ?? '';
    const nameVi = str(it.fullStatement) ?? '';
    const nameEn = str(e.nameEn) ?? nameVi;
    const key = order(id, it.listEnumeration, i);
    if (it.CFItemType === 'Domain') {
      domains.push({ id, code, nameVi, nameEn, key });
    } else if (it.CFItemType === 'Competency') {
      const indicators = Array.isArray(e.indicators) ? e.indicators : [];
      competencies.push({
        at: i,
        id,
        key,
        value: {
          code,
          domainCode: '',
          nameVi,
          nameEn,
          descriptionVi: optStr(it.notes),
          descriptionEn: optStr(e.descriptionEn),
          indicators: indicators.map((x: unknown) => {
            const o = isObject(x) ? x : {};
            return {
              level: o.level as number,
              textVi: str(o.textVi) as string,
              textEn: str(o.textEn) as string,
            };
          }),
        },
      });
    } else {
      fail(`${at}.CFItemType`, 'must be Domain or Competency');
    }
  });
  domains.sort((a, b) => byOrder(a.key, b.key));
  competencies.sort((a, b) => byOrder(a.key, b.key));
  const domainCodeById = new Map(domains.map((d) => [d.id, d.code]));
  doc.version.domains = domains.map((d) => ({ code: d.code, nameVi: d.nameVi, nameEn: d.nameEn }));
  doc.version.competencies = competencies.map((c) => {
    const parent = parentOf.get(c.id)?.parent;
    const domainCode = parent ? domainCodeById.get(parent) : undefined;
    if (!domainCode) fail(`CFItems.${c.at}`, 'a competency must be isChildOf a Domain item');
    return { ...c.value, domainCode: domainCode ?? '' };
  });
  return { doc, errors };
}
