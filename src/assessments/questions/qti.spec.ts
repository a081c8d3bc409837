import { XMLValidator } from 'fast-xml-parser';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { LocalizedDetail } from '../../common/errors/domain-error';
import type { QuestionBody } from './question-model';
import {
  fromQtiItem,
  fromQtiPackage,
  QTI_MAX_ITEM_CHARS,
  toQtiItem,
  toQtiPackage,
  type QtiItemInput,
  type QtiItemResult,
} from './qti';

const TRICKY = 'Chủ tịch công đoàn cơ sở & "<Ban chấp hành>"';

function q(identifier: string, body: QuestionBody, points = 2): QtiItemInput {
  return {
    identifier,
    title: `${TRICKY} — ${identifier}`,
    prompt: `${TRICKY} làm gì?\nChọn đáp án đúng nhất.`,
    points,
    body,
  };
}

const EXAMPLES: QtiItemInput[] = [
  q('Q-single', {
    kind: 'single',
    options: [
      { key: 'a', text: TRICKY },
      { key: 'b', text: 'Đoàn viên công đoàn' },
      { key: 'c', text: "Người lao động 'tự do'" },
    ],
    correct: 'a',
  }),
  ...(['all_or_nothing', 'proportional', 'right_minus_wrong'] as const).map((policy) =>
    q(`Q-multiple-${policy}`, {
      kind: 'multiple',
      options: [
        { key: 'a', text: 'Đại hội công đoàn' },
        { key: 'b', text: 'Ban chấp hành <BCH>' },
        { key: 'c', text: 'Uỷ ban kiểm tra' },
        { key: 'd', text: 'Hội đồng quản trị' },
      ],
      correct: ['a', 'b', 'c'],
      partialCredit: policy,
    }),
  ),
  q('Q-true', { kind: 'true_false', correct: true }, 1),
  q('Q-false', { kind: 'true_false', correct: false }, 1),
  q('Q-short', {
    kind: 'short_answer',
    accepted: ['Công đoàn cơ sở', 'CĐCS & "BCH"'],
    caseSensitive: false,
    ignoreDiacritics: true,
    patterns: ['^c(o|ô)ng\\s+đoàn$', '[<>&"]+'],
  }),
  q('Q-short-plain', {
    kind: 'short_answer',
    accepted: ['Tổng Liên đoàn'],
    caseSensitive: true,
    ignoreDiacritics: false,
    patterns: [],
  }),
  q('Q-short-patterns-only', {
    kind: 'short_answer',
    accepted: [],
    caseSensitive: false,
    ignoreDiacritics: false,
    patterns: ['^\\d{4}$'],
  }),
  q('Q-numeric', { kind: 'numeric', value: 3.5, tolerance: 0.25 }),
  q('Q-numeric-exact', { kind: 'numeric', value: -12, tolerance: 0 }),
  ...[true, false].map((partialCredit) =>
    q(`Q-ordering-${partialCredit}`, {
      kind: 'ordering',
      items: [
        { key: 'i1', text: 'Triệu tập đại hội' },
        { key: 'i2', text: 'Bầu Ban chấp hành & "Chủ tịch"' },
        { key: 'i3', text: 'Báo cáo <tổng kết>' },
      ],
      partialCredit,
    }),
  ),
  ...[true, false].map((partialCredit) =>
    q(`Q-matching-${partialCredit}`, {
      kind: 'matching',
      premises: [
        { key: 'p1', text: 'Chủ tịch' },
        { key: 'p2', text: 'Phó chủ tịch & uỷ viên' },
      ],
      responses: [
        { key: 'r1', text: 'Điều hành "chung"' },
        { key: 'r2', text: 'Giúp việc' },
        { key: 'r3', text: 'Không liên quan <x>' },
      ],
      pairs: { p1: 'r1', p2: 'r2' },
      partialCredit,
    }),
  ),
  q(
    'Q-essay',
    {
      kind: 'essay',
      wordLimit: 300,
      rubric: [
        {
          key: 'content',
          title: 'Nội dung & "lập luận"',
          description: 'Nêu đúng <vai trò> của công đoàn.\nCó ví dụ.',
          maxPoints: 6,
        },
        { key: 'form', title: 'Hình thức', maxPoints: 4 },
      ],
    },
    10,
  ),
  q('Q-essay-free', { kind: 'essay', wordLimit: null, rubric: [] }, 5),
  {
    identifier: 'Q-odd-keys',
    prompt: 'Khóa lạ',
    points: 1,
    body: {
      kind: 'single',
      options: [
        { key: '1 một', text: 'Một' },
        { key: 'hai/2', text: 'Hai' },
      ],
      correct: 'hai/2',
    },
  },
];

function question(r: QtiItemResult) {
  if ('details' in r) throw new Error(`expected a question, got ${JSON.stringify(r.details)}`);
  return r.question;
}

function details(r: { details: LocalizedDetail[] } | object): LocalizedDetail[] {
  expect(r).toHaveProperty('details');
  const d = (r as { details: LocalizedDetail[] }).details;
  expect(d.length).toBeGreaterThan(0);
  for (const x of d) {
    expect(x.vi).toEqual(expect.any(String));
    expect(x.en).toEqual(expect.any(String));
    expect(x.vi).not.toBe(x.en);
  }
  return d;
}

describe('toQtiItem / fromQtiItem', () => {
  it.each(EXAMPLES.map((e) => [e.identifier, e] as const))('round-trips %s', (_id, input) => {
    const xml = toQtiItem(input);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"');
    expect(xml).toContain('xml:lang="vi"');
    const back = question(fromQtiItem(xml));
    expect(back).toEqual(input);
  });

  it('writes the standard vocabulary of each kind', () => {
    const byId = (id: string) => toQtiItem(EXAMPLES.find((e) => e.identifier === id)!);
    const single = byId('Q-single');
    expect(single).toContain('<qti-choice-interaction response-identifier="RESPONSE"');
    expect(single).toContain('max-choices="1"');
    expect(single).toContain('rptemplates/match_correct.xml');
    expect(single).toContain('Chủ tịch công đoàn cơ sở &amp; &quot;&lt;Ban chấp hành&gt;&quot;');
    expect(byId('Q-multiple-proportional')).toContain('rptemplates/map_response.xml');
    expect(byId('Q-multiple-proportional')).toContain('max-choices="0"');
    const tf = byId('Q-true');
    expect(tf).toContain('<qti-simple-choice identifier="TRUE">Đúng</qti-simple-choice>');
    expect(tf).toContain('<qti-simple-choice identifier="FALSE">Sai</qti-simple-choice>');
    const short = byId('Q-short');
    expect(short).toContain('case-sensitive="false"');
    expect(short).toContain('<qti-text-entry-interaction');
    const numeric = byId('Q-numeric');
    expect(numeric).toContain('base-type="float"');
    expect(numeric).toContain('tolerance-mode="absolute" tolerance="0.25 0.25"');
    expect(byId('Q-ordering-true')).toContain('cardinality="ordered"');
    const matching = byId('Q-matching-false');
    expect(matching).toContain('base-type="directedPair"');
    expect(matching).toContain('<qti-value>p1 r1</qti-value>');
    expect(matching.match(/<qti-simple-match-set>/g)).toHaveLength(2);
    const essay = byId('Q-essay');
    expect(essay).toContain('<qti-rubric-block view="scorer" use="scoring" class="cadre-rubric">');
    expect(essay).toContain('<qti-extended-text-interaction');
  });

  it('keeps Vietnamese text in NFC whatever form it was given in', () => {
    const decomposed = 'Công đoàn'.normalize('NFD');
    const xml = toQtiItem({
      identifier: 'Q-nfd',
      prompt: decomposed,
      points: 1,
      body: { kind: 'true_false', correct: true },
    });
    expect(xml).toContain('Công đoàn'.normalize('NFC'));
    expect(question(fromQtiItem(xml)).prompt).toBe('Công đoàn'.normalize('NFC'));
  });

  it('reads a choice item written by another tool (XHTML, match_correct)', () => {
    const xml = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
    identifier="other-1" title="Công đoàn" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="R1" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>ChoiceB</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <p>Theo <strong>Luật Công đoàn</strong> năm 2012,</p>
    <div>
      <qti-choice-interaction response-identifier="R1" shuffle="true" max-choices="1">
        <qti-prompt>ai là người đại diện &#x1EA1; &amp; bảo vệ?</qti-prompt>
        <qti-simple-choice identifier="ChoiceA"><p>Chủ doanh nghiệp</p></qti-simple-choice>
        <qti-simple-choice identifier="ChoiceB">Tổ chức <em>công đoàn</em><br/>các cấp</qti-simple-choice>
        <qti-simple-choice identifier="ChoiceC"><![CDATA[Nhà nước &amp; <cơ quan>]]></qti-simple-choice>
      </qti-choice-interaction>
    </div>
  </qti-item-body>
  <qti-response-processing
    template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>
</qti-assessment-item>`;
    expect(question(fromQtiItem(xml))).toEqual({
      identifier: 'other-1',
      title: 'Công đoàn',
      prompt: 'Theo Luật Công đoàn năm 2012,\nai là người đại diện ạ & bảo vệ?',
      points: 1,
      body: {
        kind: 'single',
        options: [
          { key: 'ChoiceA', text: 'Chủ doanh nghiệp' },
          { key: 'ChoiceB', text: 'Tổ chức công đoàn\ncác cấp' },
          { key: 'ChoiceC', text: 'Nhà nước &amp; <cơ quan>' },
        ],
        correct: 'ChoiceB',
      },
    });
  });

  it('reads another tool’s multiple choice with a mapping, text entry and match', () => {
    const item = (decl: string, body: string, rp: string) =>
      `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="x"
        title="x" adaptive="false" time-dependent="false">${decl}
        <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
        <qti-item-body>${body}</qti-item-body>${rp}</qti-assessment-item>`;
    const mapResponse =
      '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"/>';
    const multiple = question(
      fromQtiItem(
        item(
          `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier">
            <qti-correct-response><qti-value>A</qti-value><qti-value>C</qti-value></qti-correct-response>
            <qti-mapping lower-bound="0" upper-bound="2" default-value="0">
              <qti-map-entry map-key="A" mapped-value="1"/><qti-map-entry map-key="B" mapped-value="-1"/>
              <qti-map-entry map-key="C" mapped-value="1"/>
            </qti-mapping></qti-response-declaration>`,
          `<qti-choice-interaction response-identifier="RESPONSE" max-choices="0">
            <qti-prompt>Chọn các ý đúng</qti-prompt><qti-simple-choice identifier="A">a</qti-simple-choice>
            <qti-simple-choice identifier="B">b</qti-simple-choice><qti-simple-choice identifier="C">c</qti-simple-choice>
          </qti-choice-interaction>`,
          mapResponse,
        ),
      ),
    );
    expect(multiple.points).toBe(2);
    expect(multiple.body).toEqual({
      kind: 'multiple',
      options: [
        { key: 'A', text: 'a' },
        { key: 'B', text: 'b' },
        { key: 'C', text: 'c' },
      ],
      correct: ['A', 'C'],
      partialCredit: 'right_minus_wrong',
    });
    const text = question(
      fromQtiItem(
        item(
          `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">
            <qti-correct-response><qti-value>Hà Nội</qti-value></qti-correct-response>
            <qti-mapping default-value="0"><qti-map-entry map-key="Ha Noi" mapped-value="1" case-sensitive="false"/></qti-mapping>
          </qti-response-declaration>`,
          '<p>Thủ đô: <qti-text-entry-interaction response-identifier="RESPONSE"/></p>',
          mapResponse,
        ),
      ),
    );
    expect(text.prompt).toBe('Thủ đô:');
    expect(text.body).toEqual({
      kind: 'short_answer',
      accepted: ['Hà Nội', 'Ha Noi'],
      caseSensitive: false,
      ignoreDiacritics: false,
      patterns: [],
    });
    const match = question(
      fromQtiItem(
        item(
          `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair">
            <qti-correct-response><qti-value>M N</qti-value><qti-value>O P</qti-value></qti-correct-response>
          </qti-response-declaration>`,
          `<qti-match-interaction response-identifier="RESPONSE" max-associations="2">
            <qti-prompt>Ghép</qti-prompt>
            <qti-simple-match-set><qti-simple-associable-choice identifier="M" match-max="1">m</qti-simple-associable-choice>
              <qti-simple-associable-choice identifier="O" match-max="1">o</qti-simple-associable-choice></qti-simple-match-set>
            <qti-simple-match-set><qti-simple-associable-choice identifier="N" match-max="1">n</qti-simple-associable-choice>
              <qti-simple-associable-choice identifier="P" match-max="1">p</qti-simple-associable-choice></qti-simple-match-set>
          </qti-match-interaction>`,
          mapResponse,
        ),
      ),
    );
    expect(match.body).toEqual({
      kind: 'matching',
      premises: [
        { key: 'M', text: 'm' },
        { key: 'O', text: 'o' },
      ],
      responses: [
        { key: 'N', text: 'n' },
        { key: 'P', text: 'p' },
      ],
      pairs: { M: 'N', O: 'P' },
      partialCredit: true,
    });
  });

  describe('refuses, with a detail and never a throw,', () => {
    const good = toQtiItem(EXAMPLES[0]);
    const cases: [string, string][] = [
      ['malformed XML', good.replace('</qti-item-body>', '')],
      ['an empty text', ''],
      [
        'a DOCTYPE with an entity',
        `<?xml version="1.0"?><!DOCTYPE qti-assessment-item [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${good.replace(/^<\?xml[^>]*>\n/, '').replace('làm gì?', '&lol2;')}`,
      ],
      [
        'an external entity',
        `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><x>&xxe;</x>`,
      ],
      ['an undeclared entity', good.replace('làm gì?', '&nbsp;')],
      [
        'an unknown interaction',
        good
          .replace(/<qti-choice-interaction /, '<qti-hotspot-interaction ')
          .replace('</qti-choice-interaction>', '</qti-hotspot-interaction>'),
      ],
      [
        'two interactions',
        good.replace(
          '</qti-item-body>',
          '<qti-text-entry-interaction response-identifier="RESPONSE"/></qti-item-body>',
        ),
      ],
      [
        'no correct response',
        good.replace(/<qti-correct-response>.*?<\/qti-correct-response>/, ''),
      ],
      ['a correct response that is no choice', good.replace('<qti-value>a<', '<qti-value>zz<')],
      ['a QTI 2 item', '<assessmentItem identifier="x" title="x"/>'],
      ['not an item', '<html><body>x</body></html>'],
      ['a text too large', `<x>${'a'.repeat(QTI_MAX_ITEM_CHARS)}</x>`],
      ['absurd nesting', `${'<div>'.repeat(90_000)}${'</div>'.repeat(90_000)}`],
      ['not a string', 42 as unknown as string],
    ];
    it.each(cases)('%s', (_name, xml) => {
      let result: QtiItemResult | undefined;
      expect(() => {
        result = fromQtiItem(xml);
      }).not.toThrow();
      details(result!);
    });

    it('says what is wrong in both languages', () => {
      const [d] = details(fromQtiItem(cases[2][1]));
      expect(d.en).toMatch(/DOCTYPE/);
      expect(d.vi).toMatch(/DOCTYPE/);
      const [u] = details(fromQtiItem(cases[5][1]));
      expect(u.field).toBe('qti-hotspot-interaction');
      expect(u.vi).toMatch(/chưa được hỗ trợ/);
    });
  });
});

describe('toQtiPackage / fromQtiPackage', () => {
  const three = [
    { ...EXAMPLES[0], tags: ['luật công đoàn', 'cơ sở & "BCH"'] },
    { ...EXAMPLES[7], tags: [] },
    { ...EXAMPLES[14], tags: ['tự luận'] },
  ];

  it('round-trips three items with their tags', () => {
    const zip = toQtiPackage(three);
    const result = fromQtiPackage(zip);
    if ('details' in result) throw new Error(JSON.stringify(result.details));
    expect(result.items).toEqual(three.map((t) => ({ ...t, tags: t.tags })));
  });

  it('lists each item in a well-formed manifest, each item a well-formed file', () => {
    const files = unzipSync(toQtiPackage(three));
    expect(Object.keys(files).sort()).toEqual(
      ['imsmanifest.xml', ...three.map((t) => `items/${t.identifier}.xml`)].sort(),
    );
    const manifest = strFromU8(files['imsmanifest.xml']);
    expect(XMLValidator.validate(manifest)).toBe(true);
    expect(manifest).toContain('xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"');
    for (const t of three) {
      expect(manifest).toContain(
        `<resource identifier="${t.identifier}" type="imsqti_item_xmlv3p0" href="items/${t.identifier}.xml">`,
      );
      expect(XMLValidator.validate(strFromU8(files[`items/${t.identifier}.xml`]))).toBe(true);
    }
    expect(manifest).toContain('<string language="vi">cơ sở &amp; &quot;BCH&quot;</string>');
  });

  it('refuses to write what QTI cannot name', () => {
    expect(() => toQtiItem({ ...EXAMPLES[0], identifier: '1-bad id' })).toThrow(/identifier/);
    expect(() => toQtiPackage([EXAMPLES[0], EXAMPLES[0]])).toThrow(/share the identifier/);
  });

  it('refuses a path climbing out of the package', () => {
    const zip = zipSync({
      'imsmanifest.xml': strToU8('<manifest/>'),
      '../evil.xml': strToU8('<x/>'),
    });
    const [d] = details(fromQtiPackage(zip));
    expect(d.en).toMatch(/unsafe path: \.\.\/evil\.xml/);
  });

  it('refuses a manifest pointing out of the package', () => {
    const manifest = `<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"><resources>
      <resource identifier="a" type="imsqti_item_xmlv3p0" href="items/../../a.xml"/></resources></manifest>`;
    const zip = zipSync({ 'imsmanifest.xml': strToU8(manifest) });
    expect(details(fromQtiPackage(zip))[0].en).toMatch(/unsafe path/);
  });

  it('refuses a package that inflates too much (a zip bomb)', () => {
    const bomb = zipSync({ 'imsmanifest.xml': new Uint8Array(51 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(details(fromQtiPackage(bomb))[0].en).toMatch(/too large uncompressed/);
  });

  it('inflates an entry no further than its declared size (a ZIP that lies about it)', () => {
    const zip = Buffer.from(
      zipSync({ 'imsmanifest.xml': new Uint8Array(5 * 1024 * 1024).fill(65) }, { level: 9 }),
    );
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(100, central + 24); // uncompressed size in the central directory
    zip.writeUInt32LE(100, 22); // and in the local header
    expect(details(fromQtiPackage(zip))[0].field).toBe('imsmanifest.xml');
  });

  it('refuses too many entries, too large a file or package, and what is not a ZIP', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.txt`] = strToU8('x');
    expect(details(fromQtiPackage(zipSync(files), { maxEntries: 4 }))[0].en).toMatch(
      /too many files/,
    );
    const big = zipSync({ 'imsmanifest.xml': new Uint8Array(4096) });
    expect(details(fromQtiPackage(big, { maxEntryBytes: 1024 }))[0].en).toMatch(/too large/);
    expect(details(fromQtiPackage(big, { maxPackageBytes: 10 }))[0].en).toMatch(/too large/);
    expect(details(fromQtiPackage(Buffer.from('not a zip at all')))[0].en).toMatch(
      /not a valid ZIP/,
    );
  });

  it('reports each unreadable item of a package by its path', () => {
    const zip = toQtiPackage(three);
    const manifest = `<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"><resources>
      <resource identifier="a" type="imsqti_item_xmlv3p0" href="items/a.xml"/>
      <resource identifier="b" type="imsqti_item_xmlv3p0" href="items/missing.xml"/></resources></manifest>`;
    const broken = zipSync({
      'imsmanifest.xml': strToU8(manifest),
      'items/a.xml': strToU8('<qti-assessment-item identifier="a"><oops></qti-assessment-item>'),
    });
    const d = details(fromQtiPackage(broken));
    expect(d.map((x) => x.field)).toEqual(['items/a.xml: xml', 'items/missing.xml']);
    expect('items' in fromQtiPackage(zip)).toBe(true);
  });
});
