import { EntityManager } from 'typeorm';
import { nfc } from '../common/text/vietnamese';
import { QuestionKind } from './assessment.types';

/**
 * Question insert helper shared by assessment authoring and the demo seed (through
 * assessments.service, the module's public file). It checks no scope: the caller has.
 */

export interface NewQuestion {
  kind: QuestionKind;
  prompt: string;
  options: { key: string; text: string }[];
  correct: string[];
  points: number;
  /** The tagged competency's lineage (competencies.lineage_id); absent: untagged. */
  competencyLineageId?: string | null;
}

/** All questions of an assessment in one INSERT, texts in NFC, right keys stored sorted. */
export async function insertQuestionsUnscoped(
  em: EntityManager,
  assessmentId: string,
  questions: readonly NewQuestion[],
): Promise<void> {
  const values: unknown[] = [assessmentId];
  const tuples = questions.map((q, i) => {
    const b = values.length;
    values.push(
      i + 1,
      q.kind,
      nfc(q.prompt),
      JSON.stringify(q.options.map((o) => ({ key: o.key, text: nfc(o.text) }))),
      JSON.stringify([...q.correct].sort()),
      q.points,
      q.competencyLineageId ?? null,
    );
    return `($1, $${b + 1}, $${b + 2}::question_kind, $${b + 3}, $${b + 4}::jsonb, $${b + 5}::jsonb, $${b + 6}, $${b + 7}::uuid)`;
  });
  await em.query(
    `INSERT INTO assessment_questions (assessment_id, position, kind, prompt, options, correct,
                                       points, competency_lineage_id)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}
