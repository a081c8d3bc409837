import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { AnyDetail, DomainError } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { CoursesService } from '../courses/courses.service';
import { AssessmentEntity } from './assessment.entities';
import { notFound } from './assessments.service';
import { drawLayout, loadDrawSource, RULE_MATCHES } from './attempt-draw';
import { bankScope } from './question-bank.rows';
import {
  AssessmentWindowDto,
  BlueprintDto,
  GradingPolicy,
  ReplaceBlueprintDto,
} from './dto/blueprint.dto';
import { BankQuestionKind } from './questions/question-model';

interface StoredRule {
  position: number;
  section: string;
  bank_id: string;
  bank_name: string;
  question_id: string | null;
  category_id: string | null;
  tag: string | null;
  difficulty: number | null;
  kind: BankQuestionKind | null;
  count: number;
  points: number | null;
  available: number;
}

interface AssessmentSettings {
  id: string;
  course_id: string;
  owner_org_unit_id: string;
  drawn: boolean;
  shuffle_questions: boolean;
  shuffle_options: boolean;
  grading_policy: GradingPolicy;
  second_marking: boolean;
  marker_threshold: string | null;
  opens_at: Date | null;
  closes_at: Date | null;
}

/** The field of a rule (by its 1-based position in the stored blueprint) in the request body. */
function ruleFields(dto: ReplaceBlueprintDto): (position: number) => string {
  const names: string[] = [];
  dto.sections.forEach((s, i) => s.rules.forEach((_, j) => names.push(`sections.${i}.rules.${j}`)));
  return (position) => names[position - 1] ?? 'sections';
}

/**
 * The blueprint of an assessment drawn from question banks (issue 16, item 2): sections of
 * fixed questions and random rules, shuffles, the grading policy and marking by people. Like
 * the assessment's questions it changes only while the course version is a draft; the
 * availability window changes at any time (an exam is moved after the course is published).
 * Banks are those the officer may use (their training:read subtree, or an active bank above).
 */
@Injectable()
export class BlueprintService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly courses: CoursesService,
    private readonly audit: AuditService,
  ) {}

  async get(actor: Actor, id: string): Promise<BlueprintDto> {
    const a = await this.dataSource.manager.findOneBy(AssessmentEntity, { id });
    if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
    await this.courses.findForStaff(actor, a.courseId, 'use').catch(notFound);
    return this.view(this.dataSource.manager, id);
  }

  /**
   * Replaces the blueprint whole. Every rule is checked against the banks the officer may use,
   * and a trial draw proves each rule can be filled (422 ASSESSMENT_POOL_SHORT naming the
   * rules otherwise). The assessment's inline questions are removed: its attempts draw.
   */
  async replace(actor: Actor, id: string, dto: ReplaceBlueprintDto): Promise<BlueprintDto> {
    return this.dataSource.transaction(async (em) => {
      const a = await em.findOneBy(AssessmentEntity, { id });
      if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
      const course = await this.courses.lockDraft(actor, a.courseId, em).catch(notFound);
      const rules = dto.sections.flatMap((s) =>
        s.rules.map((r) => ({
          section: nfc(s.title),
          bank_id: r.bankId,
          question_id: r.questionId ?? null,
          category_id: r.categoryId ?? null,
          tag: r.tag === undefined ? null : nfc(r.tag),
          difficulty: r.difficulty ?? null,
          kind: r.kind ?? null,
          count: r.count ?? 1,
          points: r.points ?? null,
        })),
      );
      const field = ruleFields(dto);
      await this.checkRules(em, actor, rules, field);
      const before = await this.view(em, id);
      await em.query(`DELETE FROM assessment_rules WHERE assessment_id = $1`, [id]);
      // Each rule's position travels in the JSON: PostgreSQL refuses WITH ORDINALITY beside a
      // column definition list ("cannot be used with a column definition list").
      await em.query(
        `INSERT INTO assessment_rules (assessment_id, position, section, bank_id, question_id,
                                       category_id, tag, difficulty, kind, count, points)
         SELECT $1, r.ord, r.section, r.bank_id, r.question_id, r.category_id, r.tag,
                r.difficulty, r.kind::bank_question_kind, r.count, r.points
           FROM jsonb_to_recordset($2::jsonb) AS r(
                  section text, bank_id uuid, question_id uuid, category_id uuid, tag text,
                  difficulty smallint, kind text, count int, points int, ord int)`,
        [id, JSON.stringify(rules.map((r, i) => ({ ...r, ord: i + 1 })))],
      );
      const { rules: stored, pools } = await loadDrawSource(em, id);
      drawLayout(stored, pools, 'trial', false, field);
      await em.query(`DELETE FROM assessment_questions WHERE assessment_id = $1`, [id]);
      await em.query(
        `UPDATE assessments
            SET drawn = true, shuffle_questions = $2, shuffle_options = $3, grading_policy = $4,
                second_marking = $5, marker_threshold = $6
          WHERE id = $1`,
        [
          id,
          dto.shuffleQuestions ?? false,
          dto.shuffleOptions ?? false,
          dto.gradingPolicy ?? 'highest',
          dto.secondMarking ?? false,
          dto.markerThreshold ?? null,
        ],
      );
      const after = await this.view(em, id);
      await this.audit.record(em, actor, {
        action: 'assessment.blueprint',
        entityType: 'assessment',
        entityId: id,
        orgUnitId: course.ownerOrgUnitId,
        before,
        after,
      });
      return after;
    });
  }

  /** Moves the availability window (any course status); attempts already started keep theirs. */
  async setWindow(actor: Actor, id: string, dto: AssessmentWindowDto): Promise<BlueprintDto> {
    const opensAt = dto.opensAt ?? null;
    const closesAt = dto.closesAt ?? null;
    if (opensAt && closesAt && new Date(opensAt) >= new Date(closesAt)) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        {
          field: 'closesAt',
          vi: 'Thời điểm đóng phải sau thời điểm mở.',
          en: 'closesAt must be after opensAt.',
        },
      ]);
    }
    return this.dataSource.transaction(async (em) => {
      const a = await em.findOneBy(AssessmentEntity, { id });
      if (!a) throw new DomainError('ASSESSMENT_NOT_FOUND');
      const course = await this.courses
        .findForStaff(actor, a.courseId, 'write', em, true)
        .catch(notFound);
      const before = await this.view(em, id);
      await em.query(`UPDATE assessments SET opens_at = $2, closes_at = $3 WHERE id = $1`, [
        id,
        opensAt,
        closesAt,
      ]);
      const after = await this.view(em, id);
      await this.audit.record(em, actor, {
        action: 'assessment.window',
        entityType: 'assessment',
        entityId: id,
        orgUnitId: course.ownerOrgUnitId,
        before: { opensAt: before.opensAt, closesAt: before.closesAt },
        after: { opensAt: after.opensAt, closesAt: after.closesAt },
      });
      return after;
    });
  }

  /** Banks the officer may use, fixed questions and categories of their bank (422 otherwise). */
  private async checkRules(
    em: EntityManager,
    actor: Actor,
    rules: { bank_id: string; question_id: string | null; category_id: string | null }[],
    field: (position: number) => string,
  ): Promise<void> {
    const scope = bankScope(actor, 'use', 2);
    const banks = await em.query<{ id: string }[]>(
      `SELECT b.id FROM question_banks b JOIN org_units o ON o.id = b.owner_org_unit_id
        WHERE b.id = ANY($1::uuid[]) AND ${scope.sql}`,
      [[...new Set(rules.map((r) => r.bank_id))], ...scope.params],
    );
    const questions = await em.query<{ id: string; bank_id: string }[]>(
      `SELECT id, bank_id FROM bank_questions WHERE id = ANY($1::uuid[])`,
      [rules.flatMap((r) => (r.question_id ? [r.question_id] : []))],
    );
    const categories = await em.query<{ id: string; bank_id: string }[]>(
      `SELECT id, bank_id FROM question_categories WHERE id = ANY($1::uuid[])`,
      [rules.flatMap((r) => (r.category_id ? [r.category_id] : []))],
    );
    const usable = new Set(banks.map((b) => b.id));
    const bankOf = new Map([...questions, ...categories].map((x) => [x.id, x.bank_id]));
    const details: AnyDetail[] = [];
    rules.forEach((r, i) => {
      const at = field(i + 1);
      if (!usable.has(r.bank_id)) details.push({ field: `${at}.bankId`, message: r.bank_id });
      else if (r.question_id && bankOf.get(r.question_id) !== r.bank_id) {
        details.push({ field: `${at}.questionId`, message: r.question_id });
      } else if (r.category_id && bankOf.get(r.category_id) !== r.bank_id) {
        details.push({ field: `${at}.categoryId`, message: r.category_id });
      }
    });
    if (details.length) throw new DomainError('BLUEPRINT_RULE_UNKNOWN', {}, details);
  }

  private async view(em: EntityManager, id: string): Promise<BlueprintDto> {
    const [a] = await em.query<AssessmentSettings[]>(
      `SELECT a.*, c.owner_org_unit_id FROM assessments a JOIN courses c ON c.id = a.course_id
        WHERE a.id = $1`,
      [id],
    );
    const rules = await em.query<StoredRule[]>(
      `SELECT r.*, b.name AS bank_name,
              (SELECT count(*)::int FROM bank_questions q
                WHERE q.bank_id = r.bank_id AND q.status = 'active' AND b.status = 'active'
                  AND ${RULE_MATCHES}) AS available
         FROM assessment_rules r JOIN question_banks b ON b.id = r.bank_id
        WHERE r.assessment_id = $1 ORDER BY r.position`,
      [id],
    );
    const sections: BlueprintDto['sections'] = [];
    for (const r of rules) {
      let s = sections[sections.length - 1];
      if (!s || s.title !== r.section) sections.push((s = { title: r.section, rules: [] }));
      s.rules.push({
        bankId: r.bank_id,
        bankName: r.bank_name,
        questionId: r.question_id,
        categoryId: r.category_id,
        tag: r.tag,
        difficulty: r.difficulty,
        kind: r.kind,
        count: r.count,
        points: r.points,
        available: r.available,
      });
    }
    return {
      assessmentId: a.id,
      drawn: a.drawn,
      sections,
      questionCount: rules.reduce((n, r) => n + r.count, 0),
      shuffleQuestions: a.shuffle_questions,
      shuffleOptions: a.shuffle_options,
      gradingPolicy: a.grading_policy,
      secondMarking: a.second_marking,
      markerThreshold: a.marker_threshold === null ? null : Number(a.marker_threshold),
      opensAt: a.opens_at ? new Date(a.opens_at).toISOString() : null,
      closesAt: a.closes_at ? new Date(a.closes_at).toISOString() : null,
    };
  }
}
