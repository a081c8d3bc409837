import { randomBytes } from 'node:crypto';
import { DEFAULT_SCALE } from '../src/competencies/default-scale';
import { parseCsv } from '../src/common/csv/csv';
import { expectError } from './expect-error';
import {
  flatVietnameseCasePackage,
  PUBLIC_DOC_ID,
  publicCasePackage,
} from './support/case-fixtures';
import { bearer, createTestApp, TestApp } from './support/test-app';

const uniqueCode = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex').toUpperCase()}`;

const HEADER =
  'type,code,parent_code,level,name_vi,name_en,description_vi,description_en,proficient,policy,policy_years';

/** A small framework in the CSV layout; diacritics written decomposed (NFD) on purpose. */
const goodCsv = (code: string) =>
  [
    HEADER,
    `framework,${code},,,Khung năng lực thử,Test framework,"Mô tả, có dấu phẩy",,,latest_valid,`,
    'level,,,1,Nhận biết,Aware,,,,,',
    'level,,,2,Vận dụng,Applies,"Áp dụng được, ""có hướng dẫn""",Applies with guidance,x,,',
    'level,,,3,Dẫn dắt,Leads,,,,,',
    'domain,A,,,Pháp luật,Law,,,,,',
    'domain,B,,,Kỹ năng,Skills,,,,,',
    `competency,X1,A,,${'Pháp luật lao động'.normalize('NFD')},Labour law,"Dòng 1\nDòng 2",,,,`,
    'indicator,,X1,1,Biết luật,Knows the law,,,,,',
    'indicator,,X1,3,Hướng dẫn người khác,Coaches others,,,,,',
    'competency,X2,B,,Đối thoại,Dialogue,,,,,',
  ].join('\r\n');

interface VersionBody {
  id: string;
  status: string;
  proficientLevel: number;
  policy: { kind: string; years: number | null };
  framework: { id: string; code: string; nameVi: string; nameEn: string };
  scale: unknown[];
  domains: { code: string; nameVi: string; nameEn: string; position: number }[];
  competencies: {
    code: string;
    domainCode: string;
    nameVi: string;
    nameEn: string;
    descriptionVi: string | null;
    descriptionEn: string | null;
    position: number;
    indicators: unknown[];
  }[];
}

describe('framework exchange: CSV and IMS CASE', () => {
  let t: TestApp;
  let hn: string;
  let bn: string;
  let seededVersion: string;

  const hr = () => bearer(t.tokens.hrHanoi);
  const countFrameworks = async () =>
    (
      await t.dataSource.query<{ n: number }[]>(
        `SELECT (SELECT count(*) FROM competency_frameworks)::int
              + (SELECT count(*) FROM framework_versions)::int
              + (SELECT count(*) FROM competencies)::int AS n`,
      )
    )[0].n;
  const importCsv = (csv: string, dryRun: boolean, over: object = {}, token = t.tokens.hrHanoi) =>
    t.http
      .post('/api/v1/frameworks/import/csv')
      .query({ dryRun: String(dryRun) })
      .set(bearer(token))
      .send({ csv, ownerOrgUnitId: hn, ...over });
  const versionOf = async (id: string) =>
    (await t.http.get(`/api/v1/framework-versions/${id}`).set(hr()).expect(200))
      .body as VersionBody;
  /** What must survive an exchange: everything but ids, the code and the status. */
  const content = (v: VersionBody) => ({
    nameVi: v.framework.nameVi,
    nameEn: v.framework.nameEn,
    proficientLevel: v.proficientLevel,
    policy: v.policy,
    scale: v.scale,
    domains: v.domains.map(({ code, nameVi, nameEn, position }) => ({
      code,
      nameVi,
      nameEn,
      position,
    })),
    competencies: v.competencies,
  });
  const stripIds = (v: VersionBody) => ({
    ...content(v),
    competencies: v.competencies.map((c) => ({ ...c, id: undefined, lineageId: undefined })),
  });

  beforeAll(async () => {
    t = await createTestApp();
    hn = await t.unitId('HN');
    bn = await t.unitId('BN');
    const [v] = await t.dataSource.query<{ id: string }[]>(
      `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
        WHERE f.code = 'KNL-CTCĐCS' AND v.version_no = 1`,
    );
    seededVersion = v.id;
  });

  afterAll(async () => {
    await t.close();
  });

  describe('CSV import', () => {
    it('a dry run of a good file is valid, summarises it and writes nothing', async () => {
      const before = await countFrameworks();
      const code = uniqueCode('CSV');
      const res = await importCsv(`\uFEFF${goodCsv(code)}`, true).expect(200);
      expect(res.body).toEqual({
        dryRun: true,
        valid: true,
        errors: [],
        summary: { code, levels: 3, domains: 2, competencies: 2, indicators: 2 },
        framework: null,
      });
      expect(await countFrameworks()).toBe(before);
    });

    it('a dry run reports every bad row, in the caller’s language, and writes nothing', async () => {
      const before = await countFrameworks();
      const csv = [
        HEADER,
        `framework,${uniqueCode('CSV')},,,Khung lỗi,Broken,,,,sometimes,`,
        'level,,,1,Nhận biết,Aware,,,,,',
        'level,,,2,,Applies,,,x,,',
        'level,,,abc,Dẫn dắt,Leads,,,,,',
        'domain,A,,,Pháp luật,Law,,,,,',
        'competency,X1,Z,,Pháp luật lao động,Labour law,,,,,',
        'indicator,,X9,1,Biết luật,Knows the law,,,,,',
        'indicator,,X1,7,Quá mức,Off the scale,,,,,',
        'widget,,,,,,,,,,',
        'competency,X1,A,,Trùng mã,Duplicate,,,,,',
      ].join('\n');
      const res = await importCsv(csv, true).set('Accept-Language', 'en').expect(200);
      expect(res.body).toMatchObject({ dryRun: true, valid: false, framework: null });
      const errors = res.body.errors as { row: number; field: string; message: string }[];
      expect(errors.map((e) => [e.row, e.field])).toEqual([
        [2, 'policy'],
        [4, 'name_vi'],
        [5, 'level'],
        [7, 'parent_code'],
        [8, 'parent_code'],
        [9, 'level'],
        [10, 'type'],
        [11, 'code'],
      ]);
      expect(errors.every((e) => e.message.length > 0)).toBe(true);
      const vi = await importCsv(csv, true).expect(200);
      expect(vi.body.errors[0].message).toMatch(/latest_valid/);
      expect(vi.body.errors.find((e: { row: number }) => e.row === 8).message).toBe(
        'Không có năng lực X9 trong tệp.',
      );
      // Rules across rows are worded in the caller's language too, English only on request.
      const byRow = (body: { errors: { row: number; message: string }[] }, row: number) =>
        body.errors.find((e) => e.row === row)!.message;
      expect([7, 11].map((row) => byRow(vi.body, row))).toEqual([
        'Phiên bản không có nhóm năng lực Z.',
        'Mã năng lực X1 bị trùng.',
      ]);
      expect([7, 11].map((row) => byRow(res.body, row))).toEqual([
        'The version has no domain Z.',
        'Competency code X1 appears twice.',
      ]);
      expect(await countFrameworks()).toBe(before);
    });

    it('reports a code already in use and header problems on row 1', async () => {
      const taken = await importCsv(goodCsv('KNL-CTCĐCS'), true).expect(200);
      expect(taken.body.errors).toEqual([
        { row: 2, field: 'code', message: expect.stringMatching(/KNL-CTCĐCS/) },
      ]);
      const header = await importCsv('type,code,name_vi,colour\nframework,X,Y', true).expect(200);
      expect(header.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'colour',
        'level',
        'name_en',
        'parent_code',
      ]);
      expect(header.body.errors.every((e: { row: number }) => e.row === 1)).toBe(true);
      const syntax = await importCsv(`${HEADER}\nframework,"open`, true).expect(200);
      expect(syntax.body.errors).toEqual([{ row: 2, field: '', message: expect.any(String) }]);
    });

    it('a real run with one bad row writes nothing and names the row (422)', async () => {
      const before = await countFrameworks();
      const code = uniqueCode('CSV');
      const csv = `${goodCsv(code)}\r\nindicator,,X2,9,Quá mức,Off the scale,,,,,`;
      const res = await importCsv(csv, false);
      expectError(res, 422, 'FRAMEWORK_IMPORT_INVALID', ['rows[12].level']);
      expect(await countFrameworks()).toBe(before);
      const rows = await t.dataSource.query('SELECT 1 FROM competency_frameworks WHERE code = $1', [
        code,
      ]);
      expect(rows).toHaveLength(0);
    });

    it('a real run creates the framework with version 1 as a draft, texts in NFC', async () => {
      const code = uniqueCode('CSV');
      const res = await importCsv(goodCsv(code), false).expect(201);
      expect(res.body).toMatchObject({ dryRun: false, valid: true, errors: [] });
      expect(res.body.framework).toMatchObject({
        code,
        nameVi: 'Khung năng lực thử',
        description: 'Mô tả, có dấu phẩy',
        ownerOrgUnitId: hn,
        versions: [{ versionNo: 1, status: 'draft', proficientLevel: 2 }],
      });
      const v = await versionOf(res.body.framework.versions[0].id as string);
      expect(v.scale[1]).toEqual({
        level: 2,
        nameVi: 'Vận dụng',
        nameEn: 'Applies',
        descriptionVi: 'Áp dụng được, "có hướng dẫn"',
        descriptionEn: 'Applies with guidance',
      });
      expect(v.competencies[0]).toMatchObject({
        code: 'X1',
        domainCode: 'A',
        nameVi: 'Pháp luật lao động'.normalize('NFC'),
        descriptionVi: 'Dòng 1\nDòng 2',
        indicators: [
          { level: 1, textVi: 'Biết luật', textEn: 'Knows the law' },
          { level: 3, textVi: 'Hướng dẫn người khác', textEn: 'Coaches others' },
        ],
      });
      expect(v.competencies[0].nameVi).toBe(v.competencies[0].nameVi.normalize('NFC'));
    });
  });

  describe('CSV export', () => {
    it('is UTF-8 with a BOM, and export → import gives back the same framework', async () => {
      const res = await t.http
        .get(`/api/v1/framework-versions/${seededVersion}/export.csv`)
        .set(bearer(t.tokens.chair))
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = bytes.toString('utf8');
      const records = parseCsv(csv);
      expect(records[0].fields.join(',')).toBe(HEADER);
      expect(records[1].fields.slice(0, 2)).toEqual(['framework', 'KNL-CTCĐCS']);
      expect(csv).toContain('Bản lĩnh chính trị');

      const code = uniqueCode('RT');
      const imported = await importCsv(csv, false, { code }).expect(201);
      const copy = await versionOf(imported.body.framework.versions[0].id as string);
      const original = await versionOf(seededVersion);
      expect(stripIds(copy)).toEqual(stripIds(original));
      // And the copy exports to the same CSV but for its code.
      const again = await t.http
        .get(`/api/v1/framework-versions/${copy.id}/export.csv`)
        .set(hr())
        .expect(200);
      expect(again.text.replace(code, 'KNL-CTCĐCS')).toBe(csv);
    });
  });

  describe('IMS CASE', () => {
    it('exports a CFDocument with Domain and Competency items and isChildOf associations', async () => {
      const res = await t.http
        .get(`/api/v1/framework-versions/${seededVersion}/export.case.json`)
        .set(bearer(t.tokens.chair))
        .expect(200);
      const pkg = res.body;
      expect(pkg.CFDocument).toMatchObject({
        identifier: seededVersion,
        uri: `urn:uuid:${seededVersion}`,
        language: 'vi',
        version: '1',
        adoptionStatus: 'Adopted',
        lastChangeDateTime: expect.any(String),
        extensions: { frameworkCode: 'KNL-CTCĐCS', proficientLevel: 4 },
      });
      const original = await versionOf(seededVersion);
      const kinds = (pkg.CFItems as { CFItemType: string }[]).map((i) => i.CFItemType);
      expect(kinds.filter((k) => k === 'Domain')).toHaveLength(original.domains.length);
      expect(kinds.filter((k) => k === 'Competency')).toHaveLength(7);
      // Item types are defined as public packages define them, and every item names its own.
      const types = pkg.CFDefinitions.CFItemTypes as { identifier: string; title: string }[];
      expect(types.map((x) => x.title)).toEqual(['Domain', 'Competency']);
      for (const item of pkg.CFItems as {
        CFItemType: string;
        CFItemTypeURI: { identifier: string; title: string };
      }[]) {
        expect(item.CFItemTypeURI).toMatchObject({
          title: item.CFItemType,
          identifier: types.find((x) => x.title === item.CFItemType)!.identifier,
        });
      }
      const c1 = (pkg.CFItems as { humanCodingScheme: string }[]).find(
        (i) => i.humanCodingScheme === 'C1',
      );
      expect(c1).toMatchObject({
        identifier: (original.competencies[0] as unknown as { lineageId: string }).lineageId,
        fullStatement: 'Bản lĩnh chính trị, đạo đức',
        CFItemType: 'Competency',
      });
      const assoc = pkg.CFAssociations as {
        associationType: string;
        originNodeURI: { identifier: string };
        destinationNodeURI: { identifier: string };
      }[];
      expect(assoc).toHaveLength(original.domains.length + 7);
      expect(assoc.every((a) => a.associationType === 'isChildOf')).toBe(true);
      expect(assoc.filter((a) => a.destinationNodeURI.identifier === seededVersion)).toHaveLength(
        original.domains.length,
      );
      // The same bytes every time.
      const again = await t.http
        .get(`/api/v1/framework-versions/${seededVersion}/export.case.json`)
        .set(hr())
        .expect(200);
      expect(again.body).toEqual(pkg);
    });

    it('export → import gives back the same framework', async () => {
      const pkg = (
        await t.http
          .get(`/api/v1/framework-versions/${seededVersion}/export.case.json`)
          .set(hr())
          .expect(200)
      ).body;
      const code = uniqueCode('CASE');
      const res = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({ document: pkg, ownerOrgUnitId: hn, code })
        .expect(201);
      expect(res.body).toMatchObject({ code, versions: [{ versionNo: 1, status: 'draft' }] });
      const copy = await versionOf(res.body.versions[0].id as string);
      expect(stripIds(copy)).toEqual(stripIds(await versionOf(seededVersion)));
      // Without a code the package's own code is used, and it is taken.
      const taken = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({ document: pkg, ownerOrgUnitId: hn });
      expectError(taken, 409, 'FRAMEWORK_CODE_TAKEN');
    });

    it('refuses a broken package with details in both languages, and writes nothing', async () => {
      const before = await countFrameworks();
      const pkg = publicCasePackage() as unknown as {
        CFItems: Record<string, unknown>[];
        CFAssociations: Record<string, unknown>[];
      };
      pkg.CFItems[1].fullStatement = '';
      // A duplicate identifier (the indicator's own links then name no item and are skipped).
      pkg.CFItems[8].identifier = pkg.CFItems[5].identifier;
      pkg.CFAssociations[3].destinationNodeURI = {
        title: 'Elsewhere',
        identifier: '99999999-0000-4000-8000-000000000001',
        uri: 'https://case.example.org/uri/99999999-0000-4000-8000-000000000001',
      };
      const send = () =>
        t.http
          .post('/api/v1/frameworks/import/case')
          .set(hr())
          .send({ document: pkg, ownerOrgUnitId: hn, code: uniqueCode('CASE') });
      const vi = await send();
      expectError(vi, 400, 'VALIDATION_FAILED', [
        'document.CFItems.1.fullStatement',
        'document.CFItems.8.identifier',
        'document.CFAssociations.3.destinationNodeURI',
      ]);
      expect(vi.body.details).toEqual([
        { field: 'document.CFItems.1.fullStatement', message: 'Trường này là bắt buộc.' },
        {
          field: 'document.CFItems.8.identifier',
          message:
            'Mã định danh c1000000-0000-4000-8000-000000000111 đã dùng cho một mục khác của gói.',
        },
        {
          field: 'document.CFAssociations.3.destinationNodeURI',
          message:
            'Liên kết “là con của” trỏ tới 99999999-0000-4000-8000-000000000001, không phải tài liệu hay một mục của gói.',
        },
      ]);
      const en = await send().set('Accept-Language', 'en');
      expect(en.body.details[1]).toEqual({
        field: 'document.CFItems.8.identifier',
        message:
          'Identifier c1000000-0000-4000-8000-000000000111 is already used by another item of the package.',
      });
      // A parent–child cycle, and the shapes of the package's parts.
      const cyclic = publicCasePackage();
      const [a, b] = [cyclic.CFAssociations[0], cyclic.CFAssociations[2]];
      a.destinationNodeURI = b.originNodeURI;
      b.destinationNodeURI = a.originNodeURI;
      const cycle = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({ document: cyclic, ownerOrgUnitId: hn, code: uniqueCode('CASE') });
      expectError(cycle, 400, 'VALIDATION_FAILED', ['document.CFItems.0', 'document.CFItems.2']);
      expect(cycle.body.details[0].message).toBe(
        'Mục này nằm trong một vòng lặp quan hệ cha – con.',
      );
      const shapes = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({
          document: { CFDocument: [], CFItems: {}, CFAssociations: 'none', CFDefinitions: 3 },
          ownerOrgUnitId: hn,
          code: uniqueCode('CASE'),
        });
      expectError(shapes, 400, 'VALIDATION_FAILED', [
        'document.CFDocument',
        'document.CFItems',
        'document.CFAssociations',
        'document.CFDefinitions',
      ]);
      expect(shapes.body.details.map((d: { message: string }) => d.message)).toEqual([
        'Phải là một đối tượng.',
        'Phải là một danh sách.',
        'Phải là một danh sách.',
        'Phải là một đối tượng.',
      ]);
      expect(await countFrameworks()).toBe(before);
    });

    it('imports a public CASE 1.0 package: any item types, four levels deep, no scale inside', async () => {
      const code = uniqueCode('CASE-WR');
      const res = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({ document: publicCasePackage(), ownerOrgUnitId: hn, code })
        .expect(201);
      expect(res.body).toMatchObject({
        code,
        nameVi: 'Workplace Representative Competency Standards',
        nameEn: 'Workplace Representative Competency Standards',
        ownerOrgUnitId: hn,
        versions: [{ versionNo: 1, status: 'draft', proficientLevel: 4 }],
      });
      expect(res.body.description).toBe(
        'What an elected workplace representative is expected to be able to do.\n\n' +
          'Nguồn: gói CASE “Workplace Representative Competency Standards”, Labour Education ' +
          'Standards Consortium, phiên bản 2.1, ' +
          'https://standards.example.org/workplace-representatives, ' +
          `mã định danh ${PUBLIC_DOC_ID}.`,
      );
      const v = await versionOf(res.body.versions[0].id as string);
      // No scale in the package: the default five levels, and the union's default policy.
      expect(v.scale).toEqual(
        DEFAULT_SCALE.levels.map((l) => ({
          ...l,
          descriptionVi: l.descriptionVi ?? null,
          descriptionEn: l.descriptionEn ?? null,
        })),
      );
      expect(v.policy).toEqual({ kind: 'supervisor_over_self', years: null });
      // Top-level items are the domains, in sequence order; a missing code is made from the position.
      expect(v.domains.map((d) => [d.code, d.nameVi, d.nameEn, d.position])).toEqual([
        ['WR.A', 'Representation', 'Representation', 1],
        ['WR.B', 'Organising', 'Organising', 2],
        ['D3', 'Health and safety', 'Health and safety', 3],
      ]);
      // Second-level items are the competencies; deeper ones an outline in the description.
      const byCode = Object.fromEntries(v.competencies.map((c) => [c.code, c]));
      expect(v.competencies.map((c) => [c.code, c.domainCode, c.position])).toEqual([
        ['WR.A.1', 'WR.A', 1],
        ['WR.A.2', 'WR.A', 2],
        ['WR.B.1', 'WR.B', 3],
        ['WR.B.2', 'WR.B', 4],
        ['D3.1', 'D3', 5],
        ['D3.2', 'D3', 6],
      ]);
      expect(byCode['WR.A.1']).toMatchObject({
        nameVi: 'Represents members in individual grievances',
        nameEn: 'Represents members in individual grievances',
        descriptionVi: [
          'Các mục chi tiết trong gói CASE:',
          '- WR.A.1.a Explains the grievance procedure to a member',
          '- WR.A.1.b Prepares a written grievance with evidence',
          '  - WR.A.1.b.i Uses the member’s payslips and timesheets',
        ].join('\n'),
        descriptionEn: [
          'Detailed items of the CASE package:',
          '- WR.A.1.a Explains the grievance procedure to a member',
          '- WR.A.1.b Prepares a written grievance with evidence',
          '  - WR.A.1.b.i Uses the member’s payslips and timesheets',
        ].join('\n'),
        indicators: [],
      });
      // Notes come first; the indicator listed under two standards stays under the first.
      expect(byCode['WR.A.2'].descriptionVi).toBe(
        'Includes preparing the union side and reporting back to members.\n\n' +
          'Các mục chi tiết trong gói CASE:\n- WR.A.2.a Costs a pay claim',
      );
      expect(byCode['WR.B.1']).toMatchObject({
        nameVi: 'Recruitment',
        descriptionVi: 'Recruits new members and keeps them informed of the union’s work',
      });
      expect(byCode['WR.B.2']).toMatchObject({ descriptionVi: null, descriptionEn: null });
      // A statement too long for a name is cut at a word and kept whole in the description.
      const long = byCode['D3.2'];
      expect(long.nameVi.length).toBeLessThanOrEqual(300);
      expect(long.nameVi).toMatch(/^Responds to an accident at work: secures the scene, .*…$/);
      expect(long.descriptionVi).toMatch(/and reports it\.$/);
    });

    it('takes the scale and policy the request names, and reads a flat Vietnamese package', async () => {
      const scale = {
        proficientLevel: 2,
        levels: [
          { level: 1, nameVi: 'Chưa đạt', nameEn: 'Not yet' },
          { level: 2, nameVi: 'Đạt', nameEn: 'Meets' },
          { level: 3, nameVi: 'Vượt', nameEn: 'Exceeds' },
        ],
      };
      const res = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({
          document: flatVietnameseCasePackage(),
          ownerOrgUnitId: hn,
          code: uniqueCode('KNS'),
          scale,
          policy: { kind: 'highest_valid_within_years', years: 3 },
        })
        .expect(201);
      const v = await versionOf(res.body.versions[0].id as string);
      expect(v.scale.map((l) => (l as { nameVi: string }).nameVi)).toEqual([
        'Chưa đạt',
        'Đạt',
        'Vượt',
      ]);
      expect(v).toMatchObject({
        proficientLevel: 2,
        policy: { kind: 'highest_valid_within_years', years: 3 },
      });
      // No item has children: one domain named after the document holds them all, in order.
      expect(v.domains.map((d) => [d.code, d.nameVi])).toEqual([
        ['D1', 'Kỹ năng số cho cán bộ công đoàn'],
      ]);
      expect(v.competencies.map((c) => [c.code, c.nameVi])).toEqual([
        ['KS3', 'Tổ chức họp trực tuyến'],
        ['KS2', 'Quản lý danh sách đoàn viên trên phần mềm'],
        ['KS1', 'Sử dụng điện thoại thông minh trong công việc công đoàn'],
      ]);
      expect(res.body.nameVi).toBe(res.body.nameVi.normalize('NFC'));
      expect(v.competencies.every((c) => c.nameVi === c.nameVi.normalize('NFC'))).toBe(true);
      // A package without a framework code needs one in the request.
      const before = await countFrameworks();
      const noCode = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({ document: publicCasePackage(), ownerOrgUnitId: hn });
      expectError(noCode, 400, 'VALIDATION_FAILED', ['code']);
      expect(noCode.body.details).toEqual([
        {
          field: 'code',
          message: 'Gói CASE không có mã khung năng lực; hãy nêu mã trong yêu cầu.',
        },
      ]);
      // A scale that breaks the rules of POST /frameworks is named where the request gave it.
      const badScale = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({
          document: publicCasePackage(),
          ownerOrgUnitId: hn,
          code: uniqueCode('CASE'),
          scale: { ...scale, proficientLevel: 5, levels: [scale.levels[0], scale.levels[2]] },
        });
      expectError(badScale, 400, 'VALIDATION_FAILED');
      expect(badScale.body.details).toEqual([
        {
          field: 'scale.levels.1.level',
          message: 'Các mức phải được đánh số liên tục từ 1 đến 2; ở vị trí này phải là mức 2.',
        },
        {
          field: 'scale.proficientLevel',
          message: 'Mức thành thạo phải là một mức của thang (1–2).',
        },
      ]);
      expect(await countFrameworks()).toBe(before);
    });
  });

  describe('refusals', () => {
    it('a learner may export (read) but not import: 403', async () => {
      expectError(
        await importCsv(goodCsv(uniqueCode('CSV')), true, {}, t.tokens.chair),
        403,
        'FORBIDDEN',
      );
      const res = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(bearer(t.tokens.chair))
        .send({ document: {}, ownerOrgUnitId: hn });
      expectError(res, 403, 'FORBIDDEN');
      expectError(
        await importCsv(goodCsv(uniqueCode('CSV')), true, {}, t.tokens.officerHanoi),
        403,
        'FORBIDDEN',
      );
    });

    it('outside scope: importing for another province or exporting its framework answers 404', async () => {
      expectError(
        await importCsv(goodCsv(uniqueCode('CSV')), true, { ownerOrgUnitId: bn }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      const caseRes = await t.http
        .post('/api/v1/frameworks/import/case')
        .set(hr())
        .send({ document: {}, ownerOrgUnitId: bn });
      expectError(caseRes, 404, 'ORG_UNIT_NOT_FOUND');
      const created = await importCsv(
        goodCsv(uniqueCode('BN')),
        false,
        { ownerOrgUnitId: bn },
        t.tokens.admin,
      ).expect(201);
      const bnVersion = created.body.framework.versions[0].id as string;
      for (const path of ['export.csv', 'export.case.json']) {
        expectError(
          await t.http.get(`/api/v1/framework-versions/${bnVersion}/${path}`).set(hr()),
          404,
          'FRAMEWORK_VERSION_NOT_FOUND',
        );
        await t.http
          .get(`/api/v1/framework-versions/${bnVersion}/${path}`)
          .set(bearer(t.tokens.officerBacNinh))
          .expect(200);
      }
      expectError(
        await t.http.get('/api/v1/framework-versions/not-a-uuid/export.csv').set(hr()),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('bad bodies answer 400 with details', async () => {
      expectError(
        await t.http
          .post('/api/v1/frameworks/import/csv')
          .set(hr())
          .send({ csv: 'x', ownerOrgUnitId: hn }),
        400,
        'VALIDATION_FAILED',
        ['dryRun'],
      );
      expectError(
        await t.http
          .post('/api/v1/frameworks/import/csv')
          .query({ dryRun: 'true' })
          .set(hr())
          .send({ csv: 42, ownerOrgUnitId: 'nope', extra: 1 }),
        400,
        'VALIDATION_FAILED',
        ['csv', 'ownerOrgUnitId', 'extra'],
      );
      expectError(
        await t.http
          .post('/api/v1/frameworks/import/case')
          .set(hr())
          .send({ document: 'CFDocument', ownerOrgUnitId: hn, code: 'bad code!' }),
        400,
        'VALIDATION_FAILED',
        ['document', 'code'],
      );
      const importCase = (body: object) =>
        t.http.post('/api/v1/frameworks/import/case').set(hr()).send(body);
      expectError(await importCase({ code: 'X1' }), 400, 'VALIDATION_FAILED', [
        'document',
        'ownerOrgUnitId',
      ]);
      expectError(
        await importCase({
          document: publicCasePackage(),
          ownerOrgUnitId: hn,
          code: uniqueCode('CASE'),
          scale: 'five',
          policy: { kind: 'newest', years: 'x' },
          extra: 1,
        }),
        400,
        'VALIDATION_FAILED',
        ['scale', 'policy.kind', 'policy.years', 'extra'],
      );
      expectError(
        await importCase({
          document: publicCasePackage(),
          ownerOrgUnitId: hn,
          code: uniqueCode('CASE'),
          scale: {
            levels: [{ level: 0, nameVi: '', nameEn: 'A', colour: 'red' }],
            proficientLevel: 11,
          },
          policy: { kind: 'latest_valid', years: 60 },
        }),
        400,
        'VALIDATION_FAILED',
        [
          'scale.levels',
          'scale.levels.0.level',
          'scale.levels.0.nameVi',
          'scale.levels.0.colour',
          'scale.proficientLevel',
          'policy.years',
        ],
      );
    });
  });
});
