import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CertificateExpiryService } from '../certificates/certificate-expiry.service';
import { courseVersionsSql, currentVersionSql } from '../courses/course-family.sql';
import { NotificationsService } from '../notifications/notifications.service';
import { ProgrammeCompletionsService } from './completions.service';
import { RequestValidationError } from '../common/http/validation';
import { recertWindowFault } from './programme-rules';
import { cycleDates } from './recertification-dates';
import { recertificationValidity } from './recertification-expiry';
import {
  RecertificationPreviewDto,
  RecertificationPreviewResultDto,
  RecertificationRunResultDto,
} from './recertification.dto';
import { Clock } from '../common/clock/clock';

/**
 * Recertification: a completed cycle expires `recert_validity_months` after its completion
 * (stamped by ProgrammeCompletionsService); the day its window opens (expires_on −
 * recert_window_days ≤ today) the next cycle is assigned to the recertifying programme —
 * itself (same assignment, cycle + 1) or another (an assignment of that programme created once
 * per source assignment, see recertification_targets). The new cycle is assigned as of the day
 * the window opened, due by the recertifying programme's rule counted from that day but never
 * after the expiry it renews (recertification-dates.ts; the preview uses the same functions).
 *
 * Courses are re-taken: for each course of the recertifying programme whose latest take by the
 * person is completed, a new take (enrolments.cycle + 1) is created; a take still open is kept.
 * Everything is set-based and idempotent — a scan run twice for the same day adds nothing.
 *
 * Certificates: a course completed under a recertification policy is certified with a last
 * valid day fixed at issue (recertification-expiry.ts, registered with the certificates module
 * at start), and the daily scan expires certificates whose day has passed.
 */
@Injectable()
export class RecertificationService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly completions: ProgrammeCompletionsService,
    private readonly notifications: NotificationsService,
    private readonly certificateExpiry: CertificateExpiryService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.certificateExpiry.addPolicy(recertificationValidity);
  }

  preview(dto: RecertificationPreviewDto): RecertificationPreviewResultDto {
    // The same rule as a programme's policy: the window opens after the completion it renews.
    const tooLong = recertWindowFault('windowDays', dto.validityMonths, dto.windowDays);
    if (tooLong) throw new RequestValidationError([tooLong]);
    const rule =
      dto.dueRule.kind === 'fixed_date'
        ? { kind: 'fixed_date' as const, date: dto.dueRule.date! }
        : { kind: 'days_after_assignment' as const, days: dto.dueRule.days! };
    return cycleDates(
      { dueRule: rule, validityMonths: dto.validityMonths, windowDays: dto.windowDays },
      dto.completedOn,
      dto.assignedOn,
    );
  }

  /**
   * The daily scan, one transaction per step (each idempotent, so a crash between steps is
   * repaired by the next run): expire lapsed certificates, stamp completions, open windows,
   * then write the day's messages.
   */
  async runDailyScan(today = this.clock.todayVn()): Promise<RecertificationRunResultDto> {
    const certificatesExpired = await this.dataSource.transaction((em) =>
      this.certificateExpiry.expireLapsed(em, today),
    );
    const completed = await this.dataSource.transaction((em) => this.completions.stamp(em));
    const opened = await this.dataSource.transaction((em) => this.openWindows(em, today));
    const assigned = await this.dataSource.transaction((em) =>
      this.notifications.enqueueRecentlyAssigned(em, today),
    );
    const recertWindowOpen = await this.dataSource.transaction((em) =>
      this.notifications.enqueueRecertWindow(em, today),
    );
    const dueIn7Days = await this.dataSource.transaction((em) =>
      this.notifications.enqueueDueSoon(em, today),
    );
    const overdue = await this.dataSource.transaction((em) =>
      this.notifications.enqueueOverdue(em, today),
    );
    return {
      today,
      certificatesExpired,
      completed,
      cyclesAssigned: opened.cycles,
      enrolments: opened.enrolments,
      notifications: { assigned, recertWindowOpen, dueIn7Days, overdue },
    };
  }

  /** Assigns the next cycle of every completed member whose window is open on `today`. */
  async openWindows(
    em: EntityManager,
    today: string,
  ): Promise<{ cycles: number; enrolments: number }> {
    // Two scans at once (replicas, the scheduler and an operator) would both create the
    // assignment of another recertifying programme: scans take turns.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('lms:recertification-scan'))`);
    await em.query(
      `WITH need AS (
         SELECT DISTINCT m.assignment_id, tp.id AS target_programme_id
           FROM assignment_members m
           JOIN programme_assignments a ON a.id = m.assignment_id
           JOIN programmes p ON p.id = a.programme_id
           JOIN programmes tp ON tp.id = p.recert_programme_id AND tp.id <> p.id
          WHERE m.completed_at IS NOT NULL AND m.expires_on IS NOT NULL AND m.targeted
            AND m.expires_on - COALESCE(p.recert_window_days, 0) <= $1::date
            AND tp.status = 'published'
            AND NOT EXISTS (SELECT 1 FROM recertification_targets t
                             WHERE t.source_assignment_id = m.assignment_id
                               AND t.target_programme_id = tp.id)
       ), created AS (
         INSERT INTO programme_assignments
                (programme_id, org_unit_id, audience, due_rule_kind, due_days, due_date, status)
         SELECT n.target_programme_id, a.org_unit_id,
                jsonb_build_object('personIds', '[]'::jsonb, 'recertificationOf', n.assignment_id),
                tp.due_rule_kind::text::assignment_due_rule, tp.due_days, tp.due_date, 'assigned'
           FROM need n
           JOIN programme_assignments a ON a.id = n.assignment_id
           JOIN programmes tp ON tp.id = n.target_programme_id
         RETURNING id, programme_id, audience
       )
       INSERT INTO recertification_targets
              (source_assignment_id, target_programme_id, target_assignment_id)
       SELECT (c.audience->>'recertificationOf')::uuid, c.programme_id, c.id FROM created c`,
      [today],
    );
    const [counts] = await em.query<{ cycles: number; enrolments: number }[]>(
      `WITH due AS (
         SELECT m.person_id, m.cycle, m.expires_on,
                COALESCE(t.target_assignment_id, m.assignment_id) AS target_id,
                tp.id AS target_programme_id, tp.due_rule_kind::text AS due_kind, tp.due_days,
                m.expires_on - COALESCE(p.recert_window_days, 0) AS window_opens
           FROM assignment_members m
           JOIN programme_assignments a ON a.id = m.assignment_id
           JOIN programmes p ON p.id = a.programme_id
           JOIN programmes tp ON tp.id = COALESCE(p.recert_programme_id, p.id)
           LEFT JOIN recertification_targets t
             ON tp.id <> p.id AND t.source_assignment_id = m.assignment_id
            AND t.target_programme_id = tp.id
          WHERE m.completed_at IS NOT NULL AND m.expires_on IS NOT NULL AND m.targeted
            AND m.expires_on - COALESCE(p.recert_window_days, 0) <= $1::date
            AND tp.status = 'published'
            AND (tp.id = p.id OR t.target_assignment_id IS NOT NULL)
            AND NOT EXISTS (
              SELECT 1 FROM assignment_members n
               WHERE n.assignment_id = COALESCE(t.target_assignment_id, m.assignment_id)
                 AND n.person_id = m.person_id AND n.cycle = m.cycle + 1)
            -- One live membership per person and programme: someone who holds the recertifying
            -- programme through another assignment takes it there.
            AND NOT EXISTS (
              SELECT 1 FROM assignment_members o
               WHERE o.programme_id = tp.id AND o.person_id = m.person_id AND o.targeted
                 AND o.assignment_id <> COALESCE(t.target_assignment_id, m.assignment_id))
       ), ins AS (
         INSERT INTO assignment_members
                (assignment_id, programme_id, person_id, cycle, org_path, assigned_at, due_on,
                 targeted)
         SELECT d.target_id, d.target_programme_id, d.person_id, d.cycle + 1, u.path,
                d.window_opens::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh',
                CASE WHEN d.due_kind = 'fixed_date' THEN d.expires_on
                     ELSE LEAST(d.window_opens + d.due_days, d.expires_on) END,
                true
           FROM due d
           JOIN people pe ON pe.id = d.person_id
           JOIN org_units u ON u.id = pe.home_org_unit_id
         ON CONFLICT DO NOTHING
         RETURNING assignment_id, person_id
       ), courses AS (
         -- The current version of each course (null when retired), and all its versions: the
         -- next take follows the latest take of any version.
         SELECT DISTINCT ins.person_id, ${currentVersionSql('sc.course_id')} AS course_id,
                ARRAY${courseVersionsSql('sc.course_id')} AS versions
           FROM ins
           JOIN programme_assignments a ON a.id = ins.assignment_id
           JOIN programme_course_sets cs ON cs.programme_id = a.programme_id
           JOIN programme_set_courses sc ON sc.set_id = cs.id
       ), enr AS (
         INSERT INTO enrolments (course_id, person_id, cycle)
         SELECT c.course_id, c.person_id, COALESCE(last.cycle, 0) + 1
           FROM courses c
           LEFT JOIN LATERAL (
             SELECT e.cycle, e.status FROM enrolments e
              WHERE e.course_id = ANY(c.versions) AND e.person_id = c.person_id
              ORDER BY e.cycle DESC LIMIT 1) last ON TRUE
          WHERE c.course_id IS NOT NULL AND (last.cycle IS NULL OR last.status = 'completed')
         ON CONFLICT (course_id, person_id, cycle) DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS cycles, (SELECT count(*) FROM enr)::int AS enrolments`,
      [today],
    );
    return counts;
  }
}
