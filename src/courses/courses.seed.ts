import type { QuestionKind } from '../assessments/assessment.types';
import { insertQuestionsUnscoped } from '../assessments/assessments.service';
import type { SeedContext } from '../seed/demo-seed';
import type { DeliveryMode } from './course.types';

interface SeedLesson {
  title: string;
  kind: 'text' | 'video' | 'link';
  content?: string;
  url?: string;
}

interface SeedCourse {
  code: string;
  title: string;
  description: string;
  deliveryMode: DeliveryMode;
  durationHours: number;
  owner: string;
  lessons: SeedLesson[];
}

/** The five starter courses of docs/domain.md#competency-levels-and-policies (competencies C1–C7 in the descriptions). */
export const STARTER_COURSES: SeedCourse[] = [
  {
    code: 'K01',
    title: 'Nghiệp vụ chủ tịch CĐCS mới bầu',
    description:
      'Bồi dưỡng chủ tịch công đoàn cơ sở mới bầu: bản lĩnh chính trị, pháp luật lao động và công đoàn, điều hành Ban Chấp hành (C1, C2, C5).',
    deliveryMode: 'blended',
    durationHours: 24,
    owner: 'HN',
    lessons: [
      {
        title: 'Vai trò, nhiệm vụ của chủ tịch công đoàn cơ sở',
        kind: 'text',
        content:
          'Chủ tịch công đoàn cơ sở đại diện, bảo vệ quyền và lợi ích hợp pháp, chính đáng của đoàn viên và người lao động; chủ trì hoạt động của Ban Chấp hành giữa hai kỳ đại hội.',
      },
      {
        title: 'Luật Công đoàn 2024 và Bộ luật Lao động: những điểm cần nắm',
        kind: 'video',
        url: 'https://lms.congdoan.test/media/k01-luat-cong-doan.mp4',
      },
      {
        title: 'Điều hành hội nghị Ban Chấp hành và xây dựng chương trình công tác',
        kind: 'text',
        content:
          'Chuẩn bị nội dung, chủ trì và kết luận hội nghị Ban Chấp hành; xây dựng chương trình công tác toàn khóa và hằng năm; phân công nhiệm vụ cho ủy viên.',
      },
      {
        title: 'Tài liệu tham khảo: Điều lệ Công đoàn Việt Nam',
        kind: 'link',
        url: 'https://lms.congdoan.test/tai-lieu/dieu-le-cong-doan-viet-nam',
      },
    ],
  },
  {
    code: 'K02',
    title: 'Đối thoại và thương lượng tập thể',
    description:
      'Kỹ năng đối thoại tại nơi làm việc, thương lượng và ký kết thỏa ước lao động tập thể, giải quyết tranh chấp (C3).',
    deliveryMode: 'classroom',
    durationHours: 16,
    owner: 'VGCL',
    lessons: [
      {
        title: 'Đối thoại định kỳ tại nơi làm việc',
        kind: 'text',
        content:
          'Đối thoại định kỳ ít nhất một năm một lần; chuẩn bị nội dung từ ý kiến của người lao động.',
      },
      {
        title: 'Chuẩn bị và tiến hành thương lượng tập thể',
        kind: 'text',
        content:
          'Thu thập thông tin, lấy ý kiến người lao động, xây dựng phương án và tiến hành thương lượng.',
      },
      {
        title: 'Tình huống: thương lượng về tiền lương và thời giờ làm việc',
        kind: 'video',
        url: 'https://lms.congdoan.test/media/k02-tinh-huong.mp4',
      },
    ],
  },
  {
    code: 'K03',
    title: 'Phát triển đoàn viên',
    description: 'Tuyên truyền, vận động người lao động gia nhập công đoàn; thành lập CĐCS (C4).',
    deliveryMode: 'online',
    durationHours: 8,
    owner: 'HN',
    lessons: [
      {
        title: 'Vận động người lao động gia nhập công đoàn',
        kind: 'text',
        content: 'Tiếp cận người lao động, nêu lợi ích của đoàn viên, tổ chức kết nạp.',
      },
      {
        title: 'Thành lập công đoàn cơ sở ở doanh nghiệp ngoài nhà nước',
        kind: 'video',
        url: 'https://lms.congdoan.test/media/k03-thanh-lap-cdcs.mp4',
      },
      {
        title: 'Mẫu hồ sơ kết nạp đoàn viên',
        kind: 'link',
        url: 'https://lms.congdoan.test/tai-lieu/mau-ket-nap-doan-vien',
      },
    ],
  },
  {
    code: 'K04',
    title: 'Tài chính và kiểm tra công đoàn',
    description: 'Quản lý thu, chi tài chính công đoàn cơ sở và công tác kiểm tra (C6).',
    deliveryMode: 'blended',
    durationHours: 16,
    owner: 'VGCL',
    lessons: [
      {
        title: 'Đoàn phí, kinh phí công đoàn và phân cấp thu chi',
        kind: 'text',
        content: 'Mức đóng đoàn phí, kinh phí công đoàn; tỷ lệ để lại công đoàn cơ sở.',
      },
      {
        title: 'Lập dự toán và quyết toán tài chính công đoàn cơ sở',
        kind: 'text',
        content: 'Trình tự lập dự toán, sổ sách kế toán và quyết toán năm.',
      },
      {
        title: 'Nghiệp vụ Ủy ban Kiểm tra công đoàn',
        kind: 'video',
        url: 'https://lms.congdoan.test/media/k04-uy-ban-kiem-tra.mp4',
      },
    ],
  },
  {
    code: 'K05',
    title: 'Kỹ năng số cho cán bộ công đoàn',
    description: 'Truyền thông trên mạng xã hội, quản lý đoàn viên trên nền tảng số (C7).',
    deliveryMode: 'online',
    durationHours: 8,
    owner: 'VGCL',
    lessons: [
      {
        title: 'Truyền thông công đoàn trên mạng xã hội',
        kind: 'text',
        content: 'Xây dựng trang thông tin, viết tin bài ngắn, ứng xử với bình luận.',
      },
      {
        title: 'Quản lý đoàn viên trên phần mềm',
        kind: 'video',
        url: 'https://lms.congdoan.test/media/k05-quan-ly-doan-vien.mp4',
      },
      {
        title: 'An toàn thông tin và bảo vệ dữ liệu cá nhân',
        kind: 'text',
        content:
          'Nguyên tắc của Nghị định 13/2023 về bảo vệ dữ liệu cá nhân khi quản lý đoàn viên.',
      },
    ],
  },
];

interface SeedQuestion {
  kind: QuestionKind;
  prompt: string;
  options: { key: string; text: string }[];
  correct: string[];
  points: number;
}

const TRUE_FALSE = [
  { key: 'true', text: 'Đúng' },
  { key: 'false', text: 'Sai' },
];

export const K01_ASSESSMENT = {
  title: 'Bài kiểm tra cuối khóa: Nghiệp vụ chủ tịch CĐCS',
  timeLimitMinutes: 30,
  maxAttempts: 3,
  passScore: 5,
  questions: [
    {
      kind: 'single',
      prompt: 'Nhiệm kỳ đại hội công đoàn cơ sở là bao nhiêu năm?',
      options: [
        { key: 'a', text: '3 năm' },
        { key: 'b', text: '5 năm' },
        { key: 'c', text: '7 năm' },
      ],
      correct: ['b'],
      points: 2,
    },
    {
      kind: 'multiple',
      prompt: 'Những việc nào thuộc nhiệm vụ của chủ tịch công đoàn cơ sở?',
      options: [
        { key: 'a', text: 'Chủ trì hội nghị Ban Chấp hành' },
        { key: 'b', text: 'Ký hợp đồng lao động thay người sử dụng lao động' },
        { key: 'c', text: 'Đại diện người lao động khi đối thoại tại nơi làm việc' },
        { key: 'd', text: 'Tổ chức thương lượng tập thể' },
      ],
      correct: ['a', 'c', 'd'],
      points: 3,
    },
    {
      kind: 'true_false',
      prompt: 'Đoàn viên công đoàn có quyền ứng cử, đề cử, bầu cử cơ quan lãnh đạo công đoàn.',
      options: TRUE_FALSE,
      correct: ['true'],
      points: 1,
    },
    {
      kind: 'single',
      prompt: 'Cơ quan lãnh đạo của công đoàn cơ sở giữa hai kỳ đại hội là:',
      options: [
        { key: 'a', text: 'Ban Chấp hành công đoàn cơ sở' },
        { key: 'b', text: 'Ủy ban Kiểm tra' },
        { key: 'c', text: 'Ban Nữ công quần chúng' },
      ],
      correct: ['a'],
      points: 2,
    },
    {
      kind: 'true_false',
      prompt:
        'Thỏa ước lao động tập thể chỉ cần chủ tịch công đoàn đồng ý, không cần lấy ý kiến người lao động.',
      options: TRUE_FALSE,
      correct: ['false'],
      points: 1,
    },
    {
      kind: 'multiple',
      prompt: 'Nguồn tài chính của công đoàn cơ sở gồm:',
      options: [
        { key: 'a', text: 'Đoàn phí công đoàn' },
        { key: 'b', text: 'Kinh phí công đoàn' },
        { key: 'c', text: 'Tiền phạt người lao động vi phạm kỷ luật' },
      ],
      correct: ['a', 'b'],
      points: 1,
    },
  ] satisfies SeedQuestion[],
};

/** How far the demo chair is in K01: the first two lessons done, no attempt yet. */
export const DEMO_CHAIR_K01_DONE = 2;

/**
 * Issue-3 demo data: the starter courses, published, with lessons; the K01 final assessment;
 * the demo chair enrolled in K01 part-way. Idempotent: a course that exists is left alone.
 */
export async function seedCourses({ em, unitIds, personIds }: SeedContext): Promise<void> {
  for (const course of STARTER_COURSES) {
    const [created] = await em.query<{ id: string }[]>(
      `INSERT INTO courses (code, title, description, delivery_mode, duration_hours, pass_score,
                            owner_org_unit_id, status, published_at)
       VALUES ($1, $2, $3, $4, $5, 5, $6, 'published', now())
       ON CONFLICT (code, version_no) DO NOTHING RETURNING id`,
      [
        course.code,
        course.title,
        course.description,
        course.deliveryMode,
        course.durationHours,
        unitIds.get(course.owner),
      ],
    );
    if (!created) continue;
    const values: unknown[] = [created.id];
    const tuples = course.lessons.map((l, i) => {
      const b = values.length;
      values.push(i + 1, l.title, l.kind, l.content ?? null, l.url ?? null);
      return `($1, $${b + 1}, $${b + 2}, $${b + 3}::lesson_kind, $${b + 4}, $${b + 5}, true)`;
    });
    await em.query(
      `INSERT INTO course_lessons (course_id, position, title, kind, content, url, required)
       VALUES ${tuples.join(', ')}`,
      values,
    );
    if (course.code === 'K01') await seedK01Assessment(em, created.id, course.lessons.length);
  }

  const chair = personIds.get('chutich.mayhadong');
  if (!chair) return;
  const [enrolment] = await em.query<{ id: string }[]>(
    `INSERT INTO enrolments (course_id, person_id, status)
     SELECT c.id, $1, 'in_progress' FROM courses c WHERE c.code = 'K01' AND c.version_no = 1
     ON CONFLICT (course_id, person_id, cycle) DO NOTHING RETURNING id`,
    [chair],
  );
  if (!enrolment) return;
  await em.query(
    `INSERT INTO lesson_completions (enrolment_id, lesson_id)
     SELECT $1, l.id FROM course_lessons l JOIN courses c ON c.id = l.course_id
      WHERE c.code = 'K01' AND c.version_no = 1 AND l.kind <> 'assessment' AND l.position <= $2
     ON CONFLICT DO NOTHING`,
    [enrolment.id, DEMO_CHAIR_K01_DONE],
  );
}

async function seedK01Assessment(
  em: SeedContext['em'],
  courseId: string,
  lessonCount: number,
): Promise<void> {
  const a = K01_ASSESSMENT;
  const [{ id }] = await em.query<{ id: string }[]>(
    `INSERT INTO assessments (course_id, title, time_limit_minutes, max_attempts, pass_score)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [courseId, a.title, a.timeLimitMinutes, a.maxAttempts, a.passScore],
  );
  await insertQuestionsUnscoped(em, id, a.questions);
  await em.query(
    `INSERT INTO course_lessons (course_id, position, title, kind, required, assessment_id)
     VALUES ($1, $2, $3, 'assessment', true, $4)`,
    [courseId, lessonCount + 1, a.title, id],
  );
}
