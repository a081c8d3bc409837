import { createHash } from 'node:crypto';
import type { FrameworkVersionStatus } from '../competency.types';
import type { VersionDto } from '../dto/framework.dto';

/**
 * IMS CASE 1.0/1.1 (Competencies and Academic Standards Exchange) package of one framework
 * version (reading any CASE package back: framework-case-reader.ts).
 * - CFDocument: identifier = the version's uuid; title, language 'vi', version = version
 *   number, adoptionStatus Draft | Adopted | Deprecated (draft | published | retired).
 * - CFItems: one per domain (CFItemType 'Domain', identifier = the domain row's uuid) and one
 *   per competency (CFItemType 'Competency', identifier = its lineage id, the same in every
 *   version, so a consumer sees "the same competency" across versions). fullStatement,
 *   humanCodingScheme (the code), notes (the description) and language are Vietnamese.
 * - CFAssociations: isChildOf, domain → document and competency → domain; their identifiers
 *   are name-based uuids of (child, parent), so an export is the same bytes every time.
 * - CFDefinitions.CFItemTypes: the two item types, which items name in CFItemTypeURI, as
 *   public packages do.
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
    CFItemTypeURI: CaseNodeUri;
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
  CFDefinitions: {
    CFItemTypes: {
      identifier: string;
      uri: string;
      title: string;
      description: string;
      hierarchyCode: string;
      typeCode: string;
      lastChangeDateTime: string;
    }[];
  };
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
  const itemType = {
    Domain: node('Domain', nameUuid('item-type:Domain')),
    Competency: node('Competency', nameUuid('item-type:Competency')),
  };
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
        CFItemTypeURI: itemType.Domain,
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
        CFItemTypeURI: itemType.Competency,
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
    CFDefinitions: {
      CFItemTypes: [
        {
          ...itemType.Domain,
          description: 'Nhóm năng lực: các năng lực cùng một chủ đề.',
          hierarchyCode: '1',
          typeCode: 'domain',
          lastChangeDateTime: changed,
        },
        {
          ...itemType.Competency,
          description: 'Năng lực được đánh giá theo thang mức của khung.',
          hierarchyCode: '2',
          typeCode: 'competency',
          lastChangeDateTime: changed,
        },
      ],
    },
  };
}
