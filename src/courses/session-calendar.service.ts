import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../auth/actor';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, Page } from '../common/pagination/page';
import { courseScopeRaw } from './course-scope';
import { SessionCalendarQueryDto, SessionDto } from './dto/session.dto';
import { vnLocalToInstant } from './session-time';
import { SessionsService } from './sessions.service';

/**
 * The officers' session calendar (issue 17, the portal's calendar): the sessions of the courses
 * in the reader's catalogue scope (training:read, as GET /courses/:id/sessions for staff) with a
 * day in a month of Vietnam time, drafts included, by first day; keyset paged on (first day,
 * id). Days are looked up by time through ix_class_session_days_starts.
 */
@Injectable()
export class SessionCalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  async month(actor: Actor, query: SessionCalendarQueryDto): Promise<Page<SessionDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const { from, to } = monthBounds(query.month);
    const scope = courseScopeRaw(actor, 'use', 3);
    const params: unknown[] = [from, to, ...scope.params];
    let after = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      after = `WHERE (m.first_starts_at, m.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    const em = this.dataSource.manager;
    const rows = await em.query<{ id: string; first_starts_at: Date }[]>(
      `WITH m AS (
         SELECT s.id,
                (SELECT min(d.starts_at) FROM class_session_days d WHERE d.session_id = s.id)
                  AS first_starts_at
           FROM class_sessions s
           JOIN courses c ON c.id = s.course_id
           JOIN org_units o ON o.id = c.owner_org_unit_id
          WHERE s.id IN (SELECT d.session_id FROM class_session_days d
                          WHERE d.starts_at < $2 AND d.ends_at > $1)
            AND ${scope.sql})
       SELECT m.id, m.first_starts_at FROM m ${after}
        ORDER BY m.first_starts_at, m.id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.sessions.toDtos(
        em,
        page.map((r) => r.id),
      ),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor([new Date(last.first_starts_at).toISOString(), last.id])
          : null,
    };
  }
}

/** The instants a month of Vietnam time starts and ends at (the next month's start). */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [year, m] = month.split('-').map(Number);
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return {
    from: vnLocalToInstant(`${month}-01T00:00`)!,
    to: vnLocalToInstant(`${next}-01T00:00`)!,
  };
}
