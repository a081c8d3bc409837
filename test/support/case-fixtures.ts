/**
 * IMS CASE 1.0 packages written by hand in the style public frameworks publish them (CASE
 * Network, OpenSALT exports): UUID identifiers, https URIs, free CFItemType names with
 * CFItemTypeURI, CFDefinitions with item types, concepts, subjects and a licence, isChildOf
 * associations with sequence numbers, and association types our model does not keep.
 */

const BASE = 'https://case.example.org/uri';
const link = (title: string, identifier: string) => ({
  title,
  identifier,
  uri: `${BASE}/${identifier}`,
});
const CHANGED = '2025-09-01T10:00:00+00:00';

export const PUBLIC_DOC_ID = '5d6a8f3e-2b1c-4e7a-9f0d-3c2b1a0e9d8c';
const DOC = link('Workplace Representative Competency Standards', PUBLIC_DOC_ID);

const TYPES = {
  Domain: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  Standard: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  Indicator: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  Example: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f',
} as const;
type ItemType = keyof typeof TYPES;

interface ItemSpec {
  id: string;
  type: ItemType;
  code?: string;
  statement: string;
  abbreviated?: string;
  notes?: string;
  /** isChildOf: the parent's identifier (the document's for a top-level item) and the order. */
  parent: string;
  seq: number;
}

/**
 * "Workplace Representative Competency Standards" v2.1, in English: three domains (CFItemType
 * Domain), standards under them (Standard), indicators under the standards (Indicator) and one
 * example below an indicator (Example) — four levels. One domain and its standards carry no
 * humanCodingScheme, one standard's code has a space, one standard is named only by a long
 * fullStatement, one by an abbreviatedStatement; one indicator is also isChildOf a second
 * standard (with a later sequence number). CFItems are listed out of order on purpose.
 */
const ITEMS: ItemSpec[] = [
  {
    id: 'a1000000-0000-4000-8000-000000000001',
    type: 'Domain',
    code: 'WR.A',
    statement: 'Representation',
    parent: PUBLIC_DOC_ID,
    seq: 1,
  },
  {
    id: 'a1000000-0000-4000-8000-000000000003',
    type: 'Domain',
    statement: 'Health and safety',
    parent: PUBLIC_DOC_ID,
    seq: 3,
  },
  {
    id: 'a1000000-0000-4000-8000-000000000002',
    type: 'Domain',
    code: 'WR.B',
    statement: 'Organising',
    parent: PUBLIC_DOC_ID,
    seq: 2,
  },
  {
    id: 'b1000000-0000-4000-8000-000000000012',
    type: 'Standard',
    code: 'WR.A.2',
    statement: 'Takes part in collective bargaining',
    notes: 'Includes preparing the union side and reporting back to members.',
    parent: 'a1000000-0000-4000-8000-000000000001',
    seq: 2,
  },
  {
    id: 'b1000000-0000-4000-8000-000000000011',
    type: 'Standard',
    code: 'WR.A.1',
    statement: 'Represents members in individual grievances',
    parent: 'a1000000-0000-4000-8000-000000000001',
    seq: 1,
  },
  {
    id: 'c1000000-0000-4000-8000-000000000111',
    type: 'Indicator',
    code: 'WR.A.1.a',
    statement: 'Explains the grievance procedure to a member',
    parent: 'b1000000-0000-4000-8000-000000000011',
    seq: 1,
  },
  {
    id: 'c1000000-0000-4000-8000-000000000112',
    type: 'Indicator',
    code: 'WR.A.1.b',
    statement: 'Prepares a written grievance with evidence',
    parent: 'b1000000-0000-4000-8000-000000000011',
    seq: 2,
  },
  {
    id: 'd1000000-0000-4000-8000-000000001121',
    type: 'Example',
    code: 'WR.A.1.b.i',
    statement: 'Uses the member’s payslips and timesheets',
    parent: 'c1000000-0000-4000-8000-000000000112',
    seq: 1,
  },
  {
    id: 'c1000000-0000-4000-8000-000000000121',
    type: 'Indicator',
    code: 'WR.A.2.a',
    statement: 'Costs a pay claim',
    parent: 'b1000000-0000-4000-8000-000000000012',
    seq: 1,
  },
  {
    id: 'b1000000-0000-4000-8000-000000000021',
    type: 'Standard',
    code: 'WR.B.1',
    abbreviated: 'Recruitment',
    statement: 'Recruits new members and keeps them informed of the union’s work',
    parent: 'a1000000-0000-4000-8000-000000000002',
    seq: 1,
  },
  {
    id: 'b1000000-0000-4000-8000-000000000022',
    type: 'Standard',
    code: 'WR B 2',
    statement: 'Builds a network of contacts across the workplace',
    parent: 'a1000000-0000-4000-8000-000000000002',
    seq: 2,
  },
  {
    id: 'b1000000-0000-4000-8000-000000000031',
    type: 'Standard',
    statement: 'Runs a workplace risk assessment with the employer',
    parent: 'a1000000-0000-4000-8000-000000000003',
    seq: 1,
  },
  {
    id: 'b1000000-0000-4000-8000-000000000032',
    type: 'Standard',
    statement: `Responds to an accident at work: ${'secures the scene, '.repeat(18)}and reports it.`,
    parent: 'a1000000-0000-4000-8000-000000000003',
    seq: 2,
  },
];

/** The example package, freshly built (tests may break a copy). */
export function publicCasePackage() {
  const byId = new Map(ITEMS.map((i) => [i.id, i]));
  const nodeOf = (id: string) =>
    id === PUBLIC_DOC_ID ? DOC : link(byId.get(id)!.abbreviated ?? byId.get(id)!.statement, id);
  const association = (id: string, type: string, origin: object, dest: object, seq?: number) => ({
    identifier: id,
    uri: `${BASE}/${id}`,
    associationType: type,
    ...(seq !== undefined ? { sequenceNumber: seq } : {}),
    originNodeURI: origin,
    destinationNodeURI: dest,
    CFDocumentURI: DOC,
    lastChangeDateTime: CHANGED,
  });
  return {
    CFDocument: {
      identifier: PUBLIC_DOC_ID,
      uri: DOC.uri,
      creator: 'Labour Education Standards Consortium',
      publisher: 'Labour Education Standards Consortium',
      title: DOC.title,
      officialSourceURL: 'https://standards.example.org/workplace-representatives',
      description: 'What an elected workplace representative is expected to be able to do.',
      subject: ['Labour relations'],
      subjectURI: [link('Labour relations', 'e1000000-0000-4000-8000-000000000001')],
      language: 'en',
      version: '2.1',
      adoptionStatus: 'Adopted',
      statusStartDate: '2025-09-01',
      licenseURI: link('CC BY 4.0', 'f1000000-0000-4000-8000-000000000001'),
      lastChangeDateTime: CHANGED,
      CFPackageURI: DOC,
    },
    CFItems: ITEMS.map((i, n) => ({
      identifier: i.id,
      uri: `${BASE}/${i.id}`,
      fullStatement: i.statement,
      ...(i.abbreviated ? { abbreviatedStatement: i.abbreviated } : {}),
      ...(i.code ? { humanCodingScheme: i.code } : {}),
      ...(i.notes ? { notes: i.notes } : {}),
      CFItemType: i.type,
      CFItemTypeURI: link(i.type, TYPES[i.type]),
      conceptKeywords: ['workplace representation'],
      educationLevel: ['AD'],
      language: 'en',
      listEnumeration: String(i.seq),
      lastChangeDateTime: CHANGED,
      CFDocumentURI: DOC,
      ...(n % 2 ? { licenseURI: link('CC BY 4.0', 'f1000000-0000-4000-8000-000000000001') } : {}),
    })),
    CFAssociations: [
      ...ITEMS.map((i, n) =>
        association(
          `9a000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`,
          'isChildOf',
          nodeOf(i.id),
          nodeOf(i.parent),
          i.seq,
        ),
      ),
      // The bargaining indicator is also listed under recruitment, later: it stays where it was.
      association(
        '9b000000-0000-4000-8000-000000000001',
        'isChildOf',
        nodeOf('c1000000-0000-4000-8000-000000000121'),
        nodeOf('b1000000-0000-4000-8000-000000000021'),
        9,
      ),
      // Links our model has no place for.
      association(
        '9c000000-0000-4000-8000-000000000001',
        'exactMatchOf',
        nodeOf('b1000000-0000-4000-8000-000000000021'),
        link('Recruits members', '77777777-0000-4000-8000-000000000001'),
      ),
      association(
        '9c000000-0000-4000-8000-000000000002',
        'isRelatedTo',
        nodeOf('b1000000-0000-4000-8000-000000000031'),
        nodeOf('b1000000-0000-4000-8000-000000000032'),
      ),
    ],
    CFDefinitions: {
      CFConcepts: [
        {
          identifier: 'e2000000-0000-4000-8000-000000000001',
          uri: `${BASE}/e2000000-0000-4000-8000-000000000001`,
          title: 'Collective bargaining',
          keywords: 'bargaining, negotiation',
          hierarchyCode: '1',
          lastChangeDateTime: CHANGED,
        },
      ],
      CFSubjects: [
        {
          identifier: 'e1000000-0000-4000-8000-000000000001',
          uri: `${BASE}/e1000000-0000-4000-8000-000000000001`,
          title: 'Labour relations',
          hierarchyCode: '1',
          lastChangeDateTime: CHANGED,
        },
      ],
      CFLicenses: [
        {
          identifier: 'f1000000-0000-4000-8000-000000000001',
          uri: `${BASE}/f1000000-0000-4000-8000-000000000001`,
          title: 'CC BY 4.0',
          licenseText: 'Creative Commons Attribution 4.0 International',
          lastChangeDateTime: CHANGED,
        },
      ],
      CFItemTypes: (Object.keys(TYPES) as ItemType[]).map((title, n) => ({
        identifier: TYPES[title],
        uri: `${BASE}/${TYPES[title]}`,
        title,
        description: `${title} of the standards`,
        hierarchyCode: String(n + 1),
        typeCode: title.toLowerCase(),
        lastChangeDateTime: CHANGED,
      })),
      CFAssociationGroupings: [],
    },
    CFRubrics: [],
  };
}

/**
 * A flat package in Vietnamese (no domains: every item a child of the document), its texts
 * written decomposed (NFD) on purpose, wrapped as { CFPackage } as some servers answer.
 */
export function flatVietnameseCasePackage() {
  const docId = '6e7f8091-a2b3-4c4d-9e5f-60718293a4b5';
  const doc = link('Kỹ năng số cho cán bộ công đoàn'.normalize('NFD'), docId);
  const items = [
    ['Sử dụng điện thoại thông minh trong công việc công đoàn', 'KS1'],
    ['Quản lý danh sách đoàn viên trên phần mềm', 'KS2'],
    ['Tổ chức họp trực tuyến', 'KS3'],
  ].map(([statement, code], n) => ({
    identifier: `7e000000-0000-4000-8000-00000000000${n + 1}`,
    uri: `${BASE}/7e000000-0000-4000-8000-00000000000${n + 1}`,
    fullStatement: statement.normalize('NFD'),
    humanCodingScheme: code,
    CFItemType: 'Kỹ năng'.normalize('NFD'),
    language: 'vi',
    lastChangeDateTime: CHANGED,
  }));
  return {
    CFPackage: {
      CFDocument: {
        identifier: docId,
        uri: doc.uri,
        creator: 'Trường Đại học Công đoàn'.normalize('NFD'),
        title: doc.title,
        language: 'vi',
        version: '1.0',
        adoptionStatus: 'Draft',
        lastChangeDateTime: CHANGED,
        CFPackageURI: doc,
      },
      CFItems: items,
      CFAssociations: items.map((i, n) => ({
        identifier: `8e000000-0000-4000-8000-00000000000${n + 1}`,
        uri: `${BASE}/8e000000-0000-4000-8000-00000000000${n + 1}`,
        associationType: 'isChildOf',
        sequenceNumber: 3 - n,
        originNodeURI: link(i.fullStatement, i.identifier),
        destinationNodeURI: doc,
        CFDocumentURI: doc,
        lastChangeDateTime: CHANGED,
      })),
    },
  };
}
