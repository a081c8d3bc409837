import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { EnrolmentsService } from '../courses/enrolments.service';
import { NotificationsService } from '../notifications/notifications.service';
import { GapsService } from '../gaps/gaps.service';
import { PeopleService } from '../people/people.service';
import { Clock } from '../common/clock/clock';
import {
  DevelopmentPlanDto,
  EnrolPlanDto,
  PlanCourseSummaryDto,
  PlanEnrolmentResultDto,
} from './dto/planning.dto';
import { PlanningCyclesService } from './planning-cycles.service';
import { NOMINATION_STATUS_LABELS } from './planning-labels';
import { NominationRow } from './nominations.queries';
import { loadNomination, targetOf, writableCycle } from './nomination-rows';

/**
 * Development plans of nominees (issue 5, item 4): the gaps against the nominated post with the
 * courses that close them, and the plan turned into enrolments.
 */
@Injectable()
export class DevelopmentPlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cycles: PlanningCyclesService,
    private readonly people: PeopleService,
    private readonly audit: AuditService,
    private readonly gaps: GapsService,
    private readonly enrolments: EnrolmentsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * The nominee's gaps against the nominated post (as the readiness suggestion measures them)
   * and, per gap, the published courses of the post unit's catalogue that raise the competency
   * above the nominee's current level (reachesRequired: the course closes the gap), with the
   * nominee's enrolment in each when there is one. Two queries.
   */
  async developmentPlan(actor: Actor, cycleId: string, id: string): Promise<DevelopmentPlanDto> {
    const cycle = await this.cycles.findInScope(actor, cycleId, 'people:read');
    const em = this.dataSource.manager;
    return this.planOf(em, await loadNomination(em, cycle.id, id));
  }

  private async planOf(em: EntityManager, row: NominationRow): Promise<DevelopmentPlanDto> {
    const asOf = this.clock.todayVn();
    const gaps = (
      await this.gaps.gapsForTargets(em, [targetOf(row)], {
        courses: true,
        asOf,
      })
    ).get(row.id);
    const open = (gaps?.items ?? []).filter((g) => g.gap > 0);
    const courseIds = [...new Set(open.flatMap((g) => g.courses.map((c) => c.id)))];
    const enrolled = courseIds.length
      ? await em.query<{ id: string; course_id: string; status: string; due_on: string | null }[]>(
          // The latest take of each course (recertification adds takes).
          `SELECT DISTINCT ON (course_id) id, course_id, status, due_on::text AS due_on
             FROM enrolments
            WHERE person_id = $1 AND course_id = ANY($2::uuid[])
            ORDER BY course_id, cycle DESC`,
          [row.person_id, courseIds],
        )
      : [];
    const enrolmentOf = new Map(
      enrolled.map((e) => [e.course_id, { id: e.id, status: e.status, dueOn: e.due_on }]),
    );
    const summary = new Map<string, PlanCourseSummaryDto>();
    const planGaps = open.map((g) => {
      const courses = g.courses
        .filter((c) => c.level > (g.currentLevel ?? 0))
        .map((c) => ({ ...c, enrolment: enrolmentOf.get(c.id) ?? null }));
      for (const c of courses) {
        const s = summary.get(c.id) ?? { ...c, reachesRequired: false, competencies: [] };
        s.competencies.push(g.code);
        s.reachesRequired ||= c.reachesRequired;
        summary.set(c.id, s);
      }
      return {
        competencyId: g.competencyId,
        code: g.code,
        nameVi: g.nameVi,
        nameEn: g.nameEn,
        requiredLevel: g.requiredLevel,
        currentLevel: g.currentLevel,
        critical: g.critical,
        gap: g.gap,
        courses,
      };
    });
    return {
      nominationId: row.id,
      personId: row.person_id,
      fullName: row.full_name,
      postId: row.post_id,
      postTitle: row.post_title,
      postType: row.post_type,
      asOf,
      versionId: gaps?.versionId ?? null,
      profileId: gaps?.profile?.id ?? null,
      totalGap: open.reduce((s, g) => s + g.gap, 0),
      gaps: planGaps,
      courses: [...summary.values()].sort((a, b) => a.code.localeCompare(b.code)),
    };
  }

  /**
   * Turns the plan into enrolments due on `dueDate`: all the plan's courses, or the chosen
   * ones (each must be in the plan, else 422 PLANNING_COURSE_NOT_IN_PLAN naming it). One
   * transaction with the nomination locked; one INSERT … SELECT … ON CONFLICT DO NOTHING, so
   * existing enrolments are kept unchanged and a second run adds nothing. Audited when
   * something was created.
   */
  async enrolPlan(
    actor: Actor,
    cycleId: string,
    id: string,
    dto: EnrolPlanDto,
  ): Promise<PlanEnrolmentResultDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await writableCycle(this.cycles, actor, cycleId, em);
      const row = await loadNomination(em, cycle.id, id, true);
      if (row.status === 'removed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[row.status],
        });
      }
      if (dto.dueDate < this.clock.todayVn()) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          {
            field: 'dueDate',
            vi: 'Phải từ hôm nay trở đi.',
            en: 'Must be today or later.',
          },
        ]);
      }
      await this.people.findInScope(actor, row.person_id, 'hr:manage', em);
      const plan = await this.planOf(em, row);
      const inPlan = new Set(plan.courses.map((c) => c.id));
      const chosen = dto.courseIds ?? plan.courses.map((c) => c.id);
      const outside = chosen
        .map((courseId, i) => ({ courseId, i }))
        .filter((c) => !inPlan.has(c.courseId));
      if (outside.length) {
        throw new DomainError(
          'PLANNING_COURSE_NOT_IN_PLAN',
          {},
          outside.map((c) => ({ field: `courseIds[${c.i}]`, message: c.courseId })),
        );
      }
      const items = await this.enrolments.enrolInCourses(em, {
        personId: row.person_id,
        courseIds: chosen,
        dueOn: dto.dueDate,
        enrolledBy: actor.userId,
      });
      const created = items.filter((i) => i.created);
      if (created.length) {
        await this.notifications.enqueueForPerson(em, {
          event: 'plan_enrolled',
          personId: row.person_id,
          list: 'courses',
          items: created.map((i) => ({
            enrolmentId: i.id,
            courseId: i.courseId,
            code: i.code,
            title: i.title,
            dueOn: i.dueOn,
          })),
        });
        await this.audit.record(em, actor, {
          action: 'nomination.plan_enrol',
          entityType: 'nomination',
          entityId: row.id,
          orgUnitId: cycle.org_unit_id,
          before: null,
          after: {
            personId: row.person_id,
            dueOn: dto.dueDate,
            enrolments: created.map((i) => ({
              enrolmentId: i.id,
              courseId: i.courseId,
              code: i.code,
            })),
          },
        });
      }
      return {
        nominationId: row.id,
        personId: row.person_id,
        dueOn: dto.dueDate,
        created: created.length,
        items: items.map((i) => ({
          enrolmentId: i.id,
          courseId: i.courseId,
          code: i.code,
          title: i.title,
          status: i.status,
          dueOn: i.dueOn,
          created: i.created,
        })),
      };
    });
  }
}
