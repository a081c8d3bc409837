import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { prepared } from '../common/sql/prepared';
import { sameCourseSql } from '../courses/course-family.sql';
import { CourseHooks } from '../courses/course-hooks';
import { stampCompletions } from './completions.service';
import { COURSE_DONE, LATEST_CYCLE } from './progress.sql';

/**
 * What programmes add to a learner's work on a course, through the courses module's hooks:
 * - a completed course stamps the learner's programme memberships that it completes (with the
 *   recertification expiry), in the completion's own transaction;
 * - in an "all in order" set, a course opens only when every course before it in the set is
 *   done, for as long as the learner holds a live (targeted, not completed) membership of the
 *   programme. Outside a programme, or once it is completed, the order no longer binds.
 */
@Injectable()
export class CourseParticipation implements OnModuleInit {
  constructor(private readonly hooks: CourseHooks) {}

  onModuleInit(): void {
    this.hooks.onCompleted(async (em, e) => {
      await stampCompletions(em, undefined, e.personId);
    });
    this.hooks.addGate((em, s) => this.previousNotDone(em, s.personId, s.courseId));
  }

  async previousNotDone(
    em: EntityManager,
    personId: string,
    courseId: string,
  ): Promise<DomainError | null> {
    const [row] = await prepared<{ code: string; title: string; programme_title: string }[]>(
      em,
      `SELECT prev.code, prev.title, pr.title AS programme_title
         FROM assignment_members m
         JOIN programme_assignments pa ON pa.id = m.assignment_id
         JOIN programmes pr ON pr.id = pa.programme_id
         JOIN programme_course_sets cs
           ON cs.programme_id = pa.programme_id AND cs.rule = 'all_in_order'
         JOIN programme_set_courses here
           ON here.set_id = cs.id AND ${sameCourseSql('$2::uuid', 'here.course_id')}
         JOIN programme_set_courses before
           ON before.set_id = cs.id AND before.position < here.position
         JOIN courses prev ON prev.id = before.course_id
        WHERE m.person_id = $1 AND m.targeted AND m.completed_at IS NULL AND ${LATEST_CYCLE}
          AND NOT EXISTS (SELECT 1 FROM enrolments e
                           WHERE e.person_id = m.person_id
                             AND ${sameCourseSql('e.course_id', 'before.course_id')}
                             AND ${COURSE_DONE('m', 'e')})
        ORDER BY cs.position, before.position
        LIMIT 1`,
      [personId, courseId],
    );
    return row
      ? new DomainError('COURSE_NOT_OPEN_YET', {
          code: row.code,
          title: row.title,
          programme: row.programme_title,
        })
      : null;
  }
}
