import type { SeedContext } from '../seed/demo-seed';
import { defaultValidUntil } from './competency.types';
import { DEFAULT_POLICY, DEFAULT_SCALE } from './default-scale';
import type { VersionInputDto } from './dto/framework.dto';
import { insertVersionUnscoped } from './framework-inserts';
import { isoDateVi } from '../common/dates/vietnam-dates';

export const CHAIR_FRAMEWORK_CODE = 'KNL-CTCĐCS';

type Texts = [string, string][];

const competency = (
  code: string,
  domainCode: string,
  nameVi: string,
  nameEn: string,
  descriptionVi: string,
  descriptionEn: string,
  indicators: Texts,
) => ({
  code,
  domainCode,
  nameVi,
  nameEn,
  descriptionVi,
  descriptionEn,
  indicators: indicators.map(([textVi, textEn], i) => ({ level: i + 1, textVi, textEn })),
});

/**
 * The grassroots-chair framework of docs/domain.md#competency-levels-and-policies: five levels (proficient from level 4, "Thành
 * thạo"), seven competencies in three domains, behaviour indicators per level in both languages,
 * current levels by supervisor_over_self.
 */
export const CHAIR_FRAMEWORK: VersionInputDto = {
  scale: DEFAULT_SCALE,
  policy: DEFAULT_POLICY,
  domains: [
    { code: 'D1', nameVi: 'Chính trị và pháp luật', nameEn: 'Politics and law' },
    {
      code: 'D2',
      nameVi: 'Đại diện, bảo vệ và phát triển đoàn viên',
      nameEn: 'Representing, protecting and growing the membership',
    },
    { code: 'D3', nameVi: 'Quản trị tổ chức công đoàn', nameEn: 'Running the union' },
  ],
  competencies: [
    competency(
      'C1',
      'D1',
      'Bản lĩnh chính trị, đạo đức',
      'Political integrity and ethics',
      'Kiên định, gương mẫu, liêm chính; đặt lợi ích của đoàn viên và người lao động lên trên.',
      'Steadfast, exemplary and honest; puts members’ and workers’ interests first.',
      [
        [
          'Nêu được chủ trương của Đảng về công đoàn và chuẩn mực đạo đức cán bộ.',
          'Names the Party’s guidelines on unions and the ethics expected of cadres.',
        ],
        [
          'Giải thích được Nghị quyết 02-NQ/TW và trách nhiệm của chủ tịch CĐCS.',
          'Explains Resolution 02-NQ/TW and the duties of a grassroots chair.',
        ],
        [
          'Giữ vững lập trường khi bị sức ép từ người sử dụng lao động; công khai, minh bạch trong công việc.',
          'Holds firm under employer pressure; works openly and transparently.',
        ],
        [
          'Xử lý đúng đắn các tình huống xung đột lợi ích; được đoàn viên tín nhiệm cao.',
          'Handles conflicts of interest rightly; enjoys members’ strong trust.',
        ],
        [
          'Là tấm gương, định hướng tư tưởng cho Ban Chấp hành và cán bộ công đoàn khác.',
          'A role model who shapes the outlook of the committee and other cadres.',
        ],
      ],
    ),
    competency(
      'C2',
      'D1',
      'Pháp luật lao động và công đoàn',
      'Labour and union law',
      'Nắm và vận dụng Bộ luật Lao động, Luật Công đoàn, Điều lệ Công đoàn Việt Nam.',
      'Knows and applies the Labour Code, the Trade Union Law and the VGCL Charter.',
      [
        [
          'Biết các văn bản pháp luật chính về lao động và công đoàn.',
          'Knows the main labour and union laws.',
        ],
        [
          'Giải thích được quyền, nghĩa vụ cơ bản của người lao động và công đoàn cơ sở.',
          'Explains the basic rights and duties of workers and grassroots unions.',
        ],
        [
          'Đối chiếu nội quy, hợp đồng, thỏa ước với pháp luật và chỉ ra điểm trái luật.',
          'Checks rules, contracts and agreements against the law and spots breaches.',
        ],
        [
          'Tư vấn pháp luật cho đoàn viên, kiến nghị doanh nghiệp sửa sai có căn cứ.',
          'Advises members on the law and makes well-founded demands on the employer.',
        ],
        [
          'Tập huấn pháp luật cho cán bộ công đoàn; góp ý xây dựng chính sách.',
          'Trains cadres in the law and contributes to policy making.',
        ],
      ],
    ),
    competency(
      'C3',
      'D2',
      'Đối thoại, thương lượng, giải quyết tranh chấp',
      'Dialogue, bargaining and disputes',
      'Tổ chức đối thoại, thương lượng tập thể và tham gia giải quyết tranh chấp lao động.',
      'Runs workplace dialogue and collective bargaining and helps settle labour disputes.',
      [
        [
          'Biết các hình thức đối thoại và quy trình thương lượng tập thể.',
          'Knows the forms of dialogue and the bargaining procedure.',
        ],
        [
          'Chuẩn bị được nội dung đối thoại từ ý kiến của người lao động.',
          'Prepares dialogue topics from workers’ views.',
        ],
        [
          'Chủ trì đối thoại định kỳ; thương lượng được thỏa ước có lợi hơn luật.',
          'Leads periodic dialogue; bargains agreements better than the legal minimum.',
        ],
        [
          'Xử lý ngừng việc tập thể, tranh chấp phức tạp, giữ quan hệ lao động hài hòa.',
          'Handles collective work stoppages and complex disputes while keeping relations sound.',
        ],
        [
          'Hướng dẫn CĐCS khác thương lượng; xây dựng mô hình thỏa ước ngành, nhóm doanh nghiệp.',
          'Coaches other unions in bargaining; builds sector or multi-employer agreements.',
        ],
      ],
    ),
    competency(
      'C4',
      'D2',
      'Phát triển đoàn viên, thành lập CĐCS',
      'Organising and member development',
      'Tuyên truyền, vận động người lao động gia nhập công đoàn và giữ chân đoàn viên.',
      'Recruits workers into the union and keeps members engaged.',
      [
        [
          'Biết lợi ích của đoàn viên và thủ tục kết nạp.',
          'Knows member benefits and how to join.',
        ],
        [
          'Giới thiệu được công đoàn với người lao động mới.',
          'Introduces the union to new workers.',
        ],
        [
          'Lập và thực hiện kế hoạch phát triển đoàn viên hằng năm.',
          'Plans and delivers yearly member growth.',
        ],
        [
          'Vận động thành công ở nhóm khó (lao động trẻ, doanh nghiệp FDI); giảm đoàn viên bỏ sinh hoạt.',
          'Organises hard groups (young workers, FDI firms) and cuts membership loss.',
        ],
        [
          'Hỗ trợ thành lập CĐCS mới; chia sẻ cách làm hiệu quả.',
          'Helps found new grassroots unions and spreads what works.',
        ],
      ],
    ),
    competency(
      'C5',
      'D3',
      'Lãnh đạo, điều hành Ban Chấp hành',
      'Leadership and governance',
      'Xây dựng chương trình công tác, điều hành Ban Chấp hành và phân công nhiệm vụ.',
      'Sets the work programme, runs the executive committee and assigns duties.',
      [
        [
          'Biết chức năng, nhiệm vụ của Ban Chấp hành và quy chế hoạt động.',
          'Knows the committee’s role and rules of procedure.',
        ],
        [
          'Chuẩn bị được hội nghị Ban Chấp hành theo hướng dẫn.',
          'Prepares a committee meeting with guidance.',
        ],
        [
          'Chủ trì hội nghị, phân công và theo dõi việc thực hiện nghị quyết.',
          'Chairs meetings, assigns tasks and follows up on decisions.',
        ],
        [
          'Phát huy tập thể, xử lý bất đồng; đánh giá được hiệu quả hoạt động.',
          'Builds teamwork, resolves disagreements and evaluates results.',
        ],
        [
          'Đào tạo kế cận; đổi mới phương thức hoạt động của công đoàn cơ sở.',
          'Develops successors and renews how the union works.',
        ],
      ],
    ),
    competency(
      'C6',
      'D3',
      'Tài chính công đoàn',
      'Union finance',
      'Quản lý thu, chi, quyết toán tài chính công đoàn đúng quy định.',
      'Manages union income, spending and accounts by the rules.',
      [
        [
          'Biết các nguồn thu và nội dung chi của công đoàn cơ sở.',
          'Knows the grassroots union’s income sources and spending items.',
        ],
        ['Đọc hiểu dự toán, báo cáo quyết toán.', 'Reads budgets and financial reports.'],
        [
          'Lập dự toán, duyệt chi đúng quy chế; công khai tài chính.',
          'Drafts budgets, approves spending by the rules, discloses accounts.',
        ],
        [
          'Chỉ đạo kiểm tra tài chính, xử lý sai phạm.',
          'Directs financial inspection and deals with irregularities.',
        ],
        [
          'Hướng dẫn nghiệp vụ tài chính cho CĐCS khác.',
          'Guides other unions on financial practice.',
        ],
      ],
    ),
    competency(
      'C7',
      'D3',
      'Truyền thông và kỹ năng số',
      'Communication and digital skills',
      'Truyền thông với đoàn viên và sử dụng công cụ số trong hoạt động công đoàn.',
      'Communicates with members and uses digital tools in union work.',
      [
        [
          'Sử dụng điện thoại thông minh, thư điện tử, mạng xã hội cơ bản.',
          'Uses a smartphone, e-mail and social media at a basic level.',
        ],
        [
          'Đăng tin, trả lời đoàn viên qua nhóm trực tuyến.',
          'Posts news and answers members in online groups.',
        ],
        [
          'Quản lý đoàn viên trên phần mềm; tổ chức họp trực tuyến.',
          'Keeps member records in software and runs online meetings.',
        ],
        [
          'Xây dựng kênh truyền thông riêng, xử lý thông tin sai lệch.',
          'Runs the union’s own channels and counters misinformation.',
        ],
        [
          'Dẫn dắt chuyển đổi số của công đoàn cơ sở; hướng dẫn cán bộ khác.',
          'Leads the union’s digital transformation and coaches other cadres.',
        ],
      ],
    ),
  ],
};

/** Required levels for a grassroots chair (critical: political integrity, law, dialogue). */
const CHAIR_REQUIREMENTS: [string, number, boolean][] = [
  ['C1', 4, true],
  ['C2', 3, true],
  ['C3', 3, true],
  ['C4', 3, false],
  ['C5', 3, false],
  ['C6', 2, false],
  ['C7', 2, false],
];
const VICE_CHAIR_REQUIREMENTS: [string, number, boolean][] = [
  ['C1', 3, true],
  ['C2', 3, false],
  ['C3', 2, false],
  ['C4', 3, false],
  ['C5', 2, false],
  ['C6', 2, false],
  ['C7', 2, false],
];

/** Demo ratings of the demo chair: a self-rating of all seven and two from hr. */
const CHAIR_SELF: Record<string, number> = { C1: 3, C2: 3, C3: 2, C4: 3, C5: 3, C6: 2, C7: 3 };
const CHAIR_BY_HR: [string, number][] = [
  ['C1', 3],
  ['C3', 2],
];

/**
 * Idempotent: nothing happens when the framework code exists. Version 1 is published with the
 * chair and vice-chair profiles for grassroots unions, and the demo chair's ratings.
 */
export async function seedCompetencies({ em, personIds }: SeedContext): Promise<void> {
  const [framework] = await em.query<{ id: string }[]>(
    `INSERT INTO competency_frameworks (code, name_vi, name_en, description, owner_org_unit_id)
     SELECT $1, $2, $3, $4, id FROM org_units WHERE code = 'VGCL'
     ON CONFLICT (code) DO NOTHING RETURNING id`,
    [
      CHAIR_FRAMEWORK_CODE,
      'Khung năng lực chủ tịch công đoàn cơ sở',
      'Competency framework for grassroots union chairs',
      'Đề xuất theo Nghị quyết 02-NQ/TW và Chương trình hành động 02/CTr-BCH.',
    ],
  );
  if (!framework) return;
  const versionId = await insertVersionUnscoped(em, framework.id, CHAIR_FRAMEWORK);
  await em.query(
    `UPDATE framework_versions SET status = 'published', published_at = now() WHERE id = $1`,
    [versionId],
  );
  for (const [postType, reqs] of [
    ['chair', CHAIR_REQUIREMENTS],
    ['vice_chair', VICE_CHAIR_REQUIREMENTS],
  ] as const) {
    await em.query(
      `WITH p AS (
         INSERT INTO role_profiles (version_id, post_type, org_level) VALUES ($1, $2, 'grassroots')
         RETURNING id
       )
       INSERT INTO role_profile_requirements (profile_id, competency_id, required_level, critical)
       SELECT p.id, c.id, x.level, x.critical
         FROM p, jsonb_to_recordset($3::jsonb) AS x(code text, level int, critical boolean)
         JOIN competencies c ON c.version_id = $1 AND c.code = x.code`,
      [
        versionId,
        postType,
        JSON.stringify(reqs.map(([code, level, critical]) => ({ code, level, critical }))),
      ],
    );
  }
  const chair = personIds.get('chutich.mayhadong');
  const hr = personIds.get('hr.hanoi');
  if (!chair || !hr) return;
  // Relative to the day of seeding, so that the demo evidence is current whenever it is loaded.
  const daysAgo = (n: number) => isoDateVi(new Date(Date.now() - n * 86_400_000));
  const selfOn = daysAgo(75);
  const hrOn = daysAgo(40);
  const rows = [
    ...Object.entries(CHAIR_SELF).map(([code, level]) => ({
      code,
      level,
      source: 'self',
      rater: chair,
      rated_on: selfOn,
      valid_until: defaultValidUntil('self', selfOn),
      note: null,
    })),
    ...CHAIR_BY_HR.map(([code, level]) => ({
      code,
      level,
      source: 'hr',
      rater: hr,
      rated_on: hrOn,
      valid_until: defaultValidUntil('hr', hrOn),
      note: 'Đánh giá sau kỳ kiểm tra hoạt động công đoàn cơ sở quý III.',
    })),
  ];
  await em.query(
    `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                     rater_person_id, rated_on, valid_until, note)
     SELECT $1, c.id, $2, x.level, x.source::rating_source, x.rater, x.rated_on, x.valid_until,
            x.note
       FROM jsonb_to_recordset($3::jsonb)
         AS x(code text, level int, source text, rater uuid, rated_on date, valid_until date,
              note text)
       JOIN competencies c ON c.version_id = $2 AND c.code = x.code`,
    [chair, versionId, JSON.stringify(rows)],
  );
}
