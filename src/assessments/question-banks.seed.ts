import type { SeedContext } from '../seed/demo-seed';
import { validateQuestion } from './questions/question-grading';

interface DemoQuestion {
  category: string;
  tags: string[];
  difficulty: number;
  content: { prompt: string; points: number; body: object };
}

interface DemoBank {
  unit: string;
  name: string;
  description: string;
  questions: DemoQuestion[];
}

const LAW = 'Luật Công đoàn 2024';
const DIALOGUE = 'Đối thoại tại nơi làm việc';

/** A bank of Hà Nội's federation and one of Bắc Ninh's, with questions of several kinds. */
const DEMO_BANKS: DemoBank[] = [
  {
    unit: 'HN',
    name: 'Ngân hàng câu hỏi Luật Công đoàn (Hà Nội)',
    description: 'Câu hỏi dùng chung cho các lớp bồi dưỡng chủ tịch công đoàn cơ sở mới bầu.',
    questions: [
      {
        category: LAW,
        tags: ['C2'],
        difficulty: 1,
        content: {
          prompt: 'Đoàn viên công đoàn đóng đoàn phí hằng tháng.',
          points: 1,
          body: { kind: 'true_false', correct: true },
        },
      },
      {
        category: LAW,
        tags: ['C2'],
        difficulty: 2,
        content: {
          prompt: 'Mức đóng đoàn phí của đoàn viên là bao nhiêu phần trăm tiền lương?',
          points: 1,
          body: { kind: 'numeric', value: 1, tolerance: 0 },
        },
      },
      {
        category: LAW,
        tags: ['C2'],
        difficulty: 2,
        content: {
          prompt: 'Cơ quan lãnh đạo cao nhất của công đoàn cơ sở là gì?',
          points: 2,
          body: {
            kind: 'short_answer',
            accepted: ['Đại hội công đoàn cơ sở', 'Đại hội CĐCS'],
            caseSensitive: false,
            ignoreDiacritics: true,
            patterns: [],
          },
        },
      },
      {
        category: DIALOGUE,
        tags: ['C3'],
        difficulty: 2,
        content: {
          prompt: 'Những việc nào chủ tịch công đoàn cơ sở làm trước một cuộc đối thoại định kỳ?',
          points: 3,
          body: {
            kind: 'multiple',
            options: [
              { key: 'A', text: 'Thu thập ý kiến, kiến nghị của người lao động' },
              { key: 'B', text: 'Ký quyết định kỷ luật người lao động' },
              { key: 'C', text: 'Gửi trước nội dung đối thoại cho người sử dụng lao động' },
            ],
            correct: ['A', 'C'],
            partialCredit: 'right_minus_wrong',
          },
        },
      },
      {
        category: DIALOGUE,
        tags: ['C3'],
        difficulty: 3,
        content: {
          prompt:
            'Trình bày cách chuẩn bị một cuộc đối thoại định kỳ tại doanh nghiệp của anh/chị.',
          points: 10,
          body: {
            kind: 'essay',
            wordLimit: 400,
            rubric: [
              { key: 'noi-dung', title: 'Nội dung đầy đủ, đúng quy định', maxPoints: 6 },
              { key: 'thuc-tien', title: 'Gắn với thực tiễn đơn vị', maxPoints: 4 },
            ],
          },
        },
      },
    ],
  },
  {
    unit: 'BN',
    name: 'Ngân hàng câu hỏi kỹ năng chủ tịch CĐCS (Bắc Ninh)',
    description: 'Câu hỏi của Liên đoàn Lao động tỉnh Bắc Ninh.',
    questions: [
      {
        category: DIALOGUE,
        tags: ['C3'],
        difficulty: 1,
        content: {
          prompt: 'Đối thoại định kỳ tại nơi làm việc được tổ chức ít nhất mấy lần mỗi năm?',
          points: 1,
          body: {
            kind: 'single',
            options: [
              { key: 'A', text: 'Một lần' },
              { key: 'B', text: 'Hai lần' },
            ],
            correct: 'A',
          },
        },
      },
    ],
  },
];

/**
 * Demo question banks: skipped when a bank of the same name exists in the unit (a user may have
 * changed it since). Each question is checked by the same rules as the API's.
 */
export async function seedQuestionBanks({ em, unitIds, log }: SeedContext): Promise<void> {
  let made = 0;
  for (const bank of DEMO_BANKS) {
    const unitId = unitIds.get(bank.unit)!;
    const exists = await em.query<unknown[]>(
      `SELECT 1 FROM question_banks WHERE owner_org_unit_id = $1 AND name = $2`,
      [unitId, bank.name],
    );
    if (exists.length) continue;
    const [{ id }] = await em.query<{ id: string }[]>(
      `INSERT INTO question_banks (owner_org_unit_id, name, description) VALUES ($1, $2, $3)
       RETURNING id`,
      [unitId, bank.name, bank.description],
    );
    const categories = new Map<string, string>();
    for (const name of new Set(bank.questions.map((q) => q.category))) {
      const [row] = await em.query<{ id: string }[]>(
        `INSERT INTO question_categories (bank_id, name) VALUES ($1, $2) RETURNING id`,
        [id, name],
      );
      categories.set(name, row.id);
    }
    for (const q of bank.questions) {
      const checked = validateQuestion(q.content);
      if ('details' in checked) {
        throw new Error(`demo question "${q.content.prompt}": ${JSON.stringify(checked.details)}`);
      }
      const { prompt, points, body } = checked.question;
      await em.query(
        `WITH q AS (
           INSERT INTO bank_questions (bank_id, category_id, kind, difficulty, tags)
           VALUES ($1, $2, $3, $4, $5::text[]) RETURNING id)
         INSERT INTO bank_question_versions (question_id, version, prompt, points, body)
         SELECT q.id, 1, $6, $7, $8::jsonb FROM q`,
        [
          id,
          categories.get(q.category),
          body.kind,
          q.difficulty,
          q.tags,
          prompt,
          points,
          JSON.stringify(body),
        ],
      );
    }
    made += 1;
  }
  if (made) log(`demo seed: ${made} question banks`);
}
