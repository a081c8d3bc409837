import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../auth/actor';
import { day, TableCell, TableSpec } from '../common/csv/table';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { streamQuery } from '../common/sql/query-stream';
import { AssignmentsService } from './assignments.service';
import {
  AssignmentProgressDto,
  MyAssignmentDto,
  MyAssignmentListDto,
  OverdueMemberDto,
  OverdueQueryDto,
  StatusCountsDto,
  UnitProgressDto,
} from './dto/assignment.dto';
import {
  LATEST_CYCLE,
  MEMBER_STATUS,
  memberStatsLateral,
  nextCourseLateral,
  TARGETED_BY_ASSIGNMENT,
  untargetedCount,
} from './progress.sql';
import { MemberStatus } from './programme.types';
import { isoDateVi } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

const STATUS_VI: Record<MemberStatus, string> = {
  not_started: 'Chưa bắt đầu',
  in_progress: 'Đang học',
  completed: 'Đã hoàn thành',
  overdue: 'Quá hạn',
};

/** The progress export of an assignment (CSV and XLSX): one line per current member. */
export const PROGRESS_TABLE: TableSpec = {
  sheetName: 'Tiến độ',
  columns: [
    { header: 'Họ và tên', width: 28 },
    { header: 'Đơn vị', width: 40 },
    { header: 'Hạn hoàn thành', width: 15 },
    { header: 'Trạng thái', width: 15 },
    { header: 'Số khóa đã hoàn thành', width: 12 },
    { header: 'Số khóa yêu cầu', width: 12 },
    { header: 'Ngày hoàn thành', width: 15 },
  ],
};

interface ExportRow {
  full_name: string;
  unit_name: string;
  due_on: string;
  status: MemberStatus;
  done: number;
  required: number;
  done_at: Date | null;
}

interface CountRow {
  unit_id: string | null;
  name: string | null;
  total: number;
  not_started: number;
  in_progress: number;
  completed: number;
  overdue: number;
}

/**
 * The export's statement, in the order people read it (unit, then name); PostgreSQL sorts and
 * the cursor hands the rows over in batches.
 */
export const PROGRESS_EXPORT_SQL = `
  SELECT pe.full_name, h.name AS unit_name, m.due_on::text AS due_on,
         ${MEMBER_STATUS('$2')} AS status, st.done, st.required,
         CASE WHEN st.complete THEN st.done_at END AS done_at
    FROM ${TARGETED_BY_ASSIGNMENT} m
    JOIN people pe ON pe.id = m.person_id
    JOIN org_units h ON h.id = pe.home_org_unit_id
    CROSS JOIN ${memberStatsLateral('m.programme_id')} st
   ORDER BY m.org_path, pe.sort_key, m.person_id`;

/**
 * The people one assignment ($1) targets now, each with the statistics of their live take:
 * its own members, and those whose membership another assignment of the programme holds.
 */
const MEMBERS_OF = `FROM ${TARGETED_BY_ASSIGNMENT} m
    CROSS JOIN ${memberStatsLateral('m.programme_id')} st`;

const counts = (r: CountRow): StatusCountsDto => ({
  total: r.total,
  not_started: r.not_started,
  in_progress: r.in_progress,
  completed: r.completed,
  overdue: r.overdue,
});

/**
 * Progress of assignments, computed live from enrolments with set-based SQL (progress.sql.ts):
 * counts by status, per child unit, the overdue list, the CSV, and the learner's own list.
 */
@Injectable()
export class ProgressService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assignments: AssignmentsService,
    private readonly clock: Clock,
  ) {}

  async progress(actor: Actor, id: string, byUnit: boolean): Promise<AssignmentProgressDto> {
    const a = await this.assignments.findInScope(actor, id, 'training:read');
    const today = this.clock.todayVn();
    // Per child unit: the child's path is the root's path plus the next segment of org_path.
    const unitKey = `CASE WHEN m.org_path = $3 THEN NULL
         ELSE $3 || split_part(substr(m.org_path, length($3) + 1), '/', 1) || '/' END`;
    // The total is its own statement: with GROUPING SETS, "everyone" and "members at the root
    // unit itself" would share a null key after the join.
    const totals = await this.dataSource.query<
      (CountRow & { untargeted: number; also_targeted: number })[]
    >(
      `SELECT count(*)::int AS total,
              (count(*) FILTER (WHERE status = 'not_started'))::int AS not_started,
              (count(*) FILTER (WHERE status = 'in_progress'))::int AS in_progress,
              (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
              (count(*) FILTER (WHERE status = 'overdue'))::int AS overdue,
              (count(*) FILTER (WHERE NOT held_here))::int AS also_targeted,
              ${untargetedCount('$1')} AS untargeted
         FROM (SELECT ${MEMBER_STATUS('$2')} AS status, m.held_here ${MEMBERS_OF}) s`,
      [id, today],
    );
    const out: AssignmentProgressDto = {
      assignmentId: id,
      counts: counts(totals[0]),
      alsoTargeted: totals[0].also_targeted,
      untargeted: totals[0].untargeted,
    };
    if (byUnit) {
      const units = await this.dataSource.query<CountRow[]>(
        `WITH s AS (
           SELECT ${unitKey} AS unit_path, ${MEMBER_STATUS('$2')} AS status ${MEMBERS_OF}
         )
         SELECT o.id AS unit_id, COALESCE(o.name, r.name) AS name, count(*)::int AS total,
                (count(*) FILTER (WHERE s.status = 'not_started'))::int AS not_started,
                (count(*) FILTER (WHERE s.status = 'in_progress'))::int AS in_progress,
                (count(*) FILTER (WHERE s.status = 'completed'))::int AS completed,
                (count(*) FILTER (WHERE s.status = 'overdue'))::int AS overdue
           FROM s
           LEFT JOIN org_units o ON o.path = s.unit_path
           JOIN org_units r ON r.path = $3
          GROUP BY o.id, o.name, o.sort_key, r.name
          ORDER BY o.sort_key NULLS FIRST`,
        [id, today, a.orgPath],
      );
      out.byUnit = units.map((u): UnitProgressDto => ({
        orgUnitId: u.unit_id,
        name: u.name ?? '',
        ...counts(u),
      }));
    }
    return out;
  }

  /** Members past their due date and not complete, by due date then person (keyset). */
  async overdue(actor: Actor, id: string, query: OverdueQueryDto): Promise<Page<OverdueMemberDto>> {
    await this.assignments.findInScope(actor, id, 'training:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['date', 'uuid']);
    const params: unknown[] = [id, this.clock.todayVn()];
    let after = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      after = `AND (m.due_on, m.person_id) > ($3::date, $4::uuid)`;
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<
      {
        person_id: string;
        full_name: string;
        unit_name: string;
        due_on: string;
        days: number;
        done: number;
        required: number;
      }[]
    >(
      `SELECT m.person_id, pe.full_name, h.name AS unit_name, m.due_on::text AS due_on,
              ($2::date - m.due_on)::int AS days, st.done, st.required
         FROM ${TARGETED_BY_ASSIGNMENT} m
         JOIN people pe ON pe.id = m.person_id
         JOIN org_units h ON h.id = pe.home_org_unit_id
         CROSS JOIN ${memberStatsLateral('m.programme_id')} st
        WHERE m.due_on < $2::date AND NOT st.complete ${after}
        ORDER BY m.due_on, m.person_id
        LIMIT $${params.length}`,
      params,
    );
    return toPage(
      rows,
      limit,
      (r) => [r.due_on, r.person_id],
      (r) => ({
        personId: r.person_id,
        fullName: r.full_name,
        orgUnitName: r.unit_name,
        dueOn: r.due_on,
        daysOverdue: r.days,
        completedCourses: r.done,
        requiredCourses: r.required,
      }),
    );
  }

  /**
   * Every current member with status, as table rows for the CSV and XLSX exports. The scope is
   * checked now (404 before any byte is sent); the rows are then read through a cursor while
   * the file is written, so an assignment of 150,000 members is exported in constant memory.
   */
  async exportRows(actor: Actor, id: string): Promise<AsyncIterable<TableCell[]>> {
    await this.assignments.findInScope(actor, id, 'training:read');
    const rows = streamQuery<ExportRow>(this.dataSource, PROGRESS_EXPORT_SQL, [
      id,
      this.clock.todayVn(),
    ]);
    return (async function* () {
      for await (const r of rows) {
        yield [
          r.full_name,
          r.unit_name,
          day(r.due_on),
          STATUS_VI[r.status],
          r.done,
          r.required,
          r.done_at ? day(isoDateVi(new Date(r.done_at))) : null,
        ];
      }
    })();
  }

  /**
   * The caller's programmes, in ONE query: due date, status, progress (required courses done /
   * required) and the next course to take, soonest due first.
   */
  async mine(actor: Actor): Promise<MyAssignmentListDto> {
    const rows = await this.dataSource.query<MyRow[]>(MY_ASSIGNMENTS_SQL, [
      actor.personId,
      this.clock.todayVn(),
    ]);
    return { items: rows.map(toMyAssignment) };
  }
}

export interface MyRow {
  assignment_id: string;
  programme_id: string;
  code: string;
  title: string;
  cycle: number;
  assigned_at: Date;
  due_on: string;
  expires_on: string | null;
  status: MemberStatus;
  done: number;
  required: number;
  next_id: string | null;
  next_code: string | null;
  next_title: string | null;
  next_enrolment_id: string | null;
}

/** Exported so the benchmark's bare server answers with exactly the same statement. */
export const MY_ASSIGNMENTS_SQL = `
  SELECT m.assignment_id, pr.id AS programme_id, pr.code, pr.title, m.cycle, m.assigned_at,
         m.due_on::text AS due_on, m.expires_on::text AS expires_on,
         ${MEMBER_STATUS('$2')} AS status, st.done, st.required,
         nx.id AS next_id, nx.code AS next_code, nx.title AS next_title,
         nx.enrolment_id AS next_enrolment_id
    FROM assignment_members m
    JOIN programme_assignments pa ON pa.id = m.assignment_id
    JOIN programmes pr ON pr.id = pa.programme_id
    CROSS JOIN ${memberStatsLateral('pa.programme_id')} st
    LEFT JOIN ${nextCourseLateral('pa.programme_id')} nx ON NOT st.complete
   WHERE m.person_id = $1 AND m.targeted AND ${LATEST_CYCLE}
   ORDER BY m.due_on, pr.code, m.assignment_id`;

export function toMyAssignment(r: MyRow): MyAssignmentDto {
  return {
    assignmentId: r.assignment_id,
    programme: { id: r.programme_id, code: r.code, title: r.title },
    cycle: r.cycle,
    assignedAt: new Date(r.assigned_at).toISOString(),
    dueOn: r.due_on,
    status: r.status,
    progress: {
      completedCourses: r.done,
      requiredCourses: r.required,
      percent: r.required ? Math.round((r.done / r.required) * 100) : 0,
    },
    nextCourse: r.next_id
      ? {
          id: r.next_id,
          code: r.next_code!,
          title: r.next_title!,
          enrolmentId: r.next_enrolment_id,
        }
      : null,
    expiresOn: r.expires_on,
  };
}
