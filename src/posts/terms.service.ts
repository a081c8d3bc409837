import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { detail, DomainError } from '../common/errors/domain-error';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  Page,
  PageQueryDto,
  toPage,
} from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { OrgUnitsService } from '../org-units/org-units.service';
import { CreateTermDto, TermDto, UpdateTermDto } from './dto/term.dto';
import { MAX_TERM_MONTHS, POST_DATE_LIMITS } from './post.types';
import { addDays, addMonths, addYears } from '../common/dates/calendar';
import { dmy } from '../common/dates/vietnam-dates';
import { Clock } from '../common/clock/clock';

interface TermRow {
  id: string;
  org_unit_id: string;
  name: string;
  start_date: string;
  end_date: string;
}

const TERM_COLUMNS = 'id, org_unit_id, name, start_date::text, end_date::text';

/**
 * A term starts between 1950 and five years from today (Vietnam time) and lasts at most
 * MAX_TERM_MONTHS, both dates inclusive: a 90-month term starting 2023-07-01 ends by 2030-12-31.
 */
export function checkTermDates(startDate: string, endDate: string, today: string): void {
  const earliest = POST_DATE_LIMITS.earliest;
  const latest = addYears(today, POST_DATE_LIMITS.termStartYearsAhead);
  if (startDate < earliest || startDate > latest) {
    throw new DomainError('TERM_START_OUT_OF_RANGE', { earliest, latest }, [
      detail(
        'startDate',
        `Ngày bắt đầu nhiệm kỳ phải từ ${dmy(earliest)} đến ${dmy(latest)}.`,
        `A term must start from ${dmy(earliest)} to ${dmy(latest)}.`,
      ),
    ]);
  }
  if (endDate >= addMonths(startDate, MAX_TERM_MONTHS)) {
    const lastEnd = dmy(addDays(addMonths(startDate, MAX_TERM_MONTHS), -1));
    throw new DomainError('TERM_TOO_LONG', { months: MAX_TERM_MONTHS }, [
      detail(
        'endDate',
        `Tối đa ${MAX_TERM_MONTHS} tháng kể từ ngày bắt đầu: kết thúc muộn nhất ngày ${lastEnd}.`,
        `At most ${MAX_TERM_MONTHS} months from the start: the latest end is ${lastEnd}.`,
      ),
    ]);
  }
}

const toTermDto = (r: TermRow): TermDto => ({
  id: r.id,
  orgUnitId: r.org_unit_id,
  name: r.name,
  startDate: r.start_date,
  endDate: r.end_date,
});

/**
 * The terms (nhiệm kỳ) of union units: added, corrected and listed within the actor's scope
 * through the unit's materialized path; every change is audited in the unit.
 */
@Injectable()
export class TermsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds a term to a unit. The unit's row is locked for the overlap check, so two concurrent
   * requests for the same unit are serialised and at most one of two overlapping terms lands.
   */
  async create(actor: Actor, dto: CreateTermDto): Promise<TermDto> {
    return this.dataSource.transaction(async (em) => {
      const unit = await this.orgUnits.findInScope(actor, dto.orgUnitId, 'hr:manage', em, true);
      if (unit.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
      checkTermDates(dto.startDate, dto.endDate, this.clock.todayVn());
      await this.checkNoOverlap(em, unit.id, dto.startDate, dto.endDate, null);
      const [row] = await em.query<TermRow[]>(
        `INSERT INTO terms (org_unit_id, name, start_date, end_date) VALUES ($1, $2, $3, $4)
         RETURNING ${TERM_COLUMNS}`,
        [unit.id, nfc(dto.name), dto.startDate, dto.endDate],
      );
      const created = toTermDto(row);
      await this.audit.record(em, actor, {
        action: 'term.create',
        entityType: 'term',
        entityId: created.id,
        orgUnitId: created.orgUnitId,
        before: null,
        after: created,
      });
      return created;
    });
  }

  /**
   * Corrects a term: its name or dates (an upper level shifting a term to align it). The unit
   * is locked as for a new term; the new dates obey the same rules, and every appointment made
   * in the term must still start inside it, else 409 naming how many do not.
   */
  async update(actor: Actor, id: string, dto: UpdateTermDto): Promise<TermDto> {
    return this.dataSource.transaction(async (em) => {
      const scope = scopeConditionRaw('o.path', actor.scopePaths('hr:manage'), 2);
      const [found] = await em.query<{ org_unit_id: string }[]>(
        `SELECT t.org_unit_id FROM terms t JOIN org_units o ON o.id = t.org_unit_id
          WHERE t.id = $1 AND ${scope.sql}`,
        [id, ...scope.params],
      );
      if (!found) throw new DomainError('TERM_NOT_FOUND');
      const unit = await this.orgUnits.findInScope(actor, found.org_unit_id, 'hr:manage', em, true);
      if (unit.status === 'archived') throw new DomainError('ORG_UNIT_ARCHIVED');
      const [current] = await em.query<TermRow[]>(
        `SELECT ${TERM_COLUMNS} FROM terms WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const startDate = dto.startDate ?? current.start_date;
      const endDate = dto.endDate ?? current.end_date;
      if (endDate <= startDate) {
        throw new DomainError('VALIDATION_FAILED', {}, [
          detail(
            dto.endDate !== undefined ? 'endDate' : 'startDate',
            `Ngày kết thúc nhiệm kỳ (${dmy(endDate)}) phải sau ngày bắt đầu (${dmy(startDate)}).`,
            `The term's end (${dmy(endDate)}) must be after its start (${dmy(startDate)}).`,
          ),
        ]);
      }
      checkTermDates(startDate, endDate, this.clock.todayVn());
      await this.checkNoOverlap(em, unit.id, startDate, endDate, id);
      const [outside] = await em.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM appointments
          WHERE term_id = $1 AND status <> 'cancelled'
            AND (start_date < $2::date OR start_date > $3::date)`,
        [id, startDate, endDate],
      );
      if (outside.count > 0) {
        throw new DomainError('TERM_APPOINTMENTS_OUTSIDE', { count: outside.count }, [
          detail(
            dto.startDate !== undefined ? 'startDate' : 'endDate',
            `${outside.count} người được bầu, bổ nhiệm trong nhiệm kỳ bắt đầu ngoài khoảng ${dmy(startDate)} – ${dmy(endDate)}.`,
            `${outside.count} appointment(s) of the term start outside ${dmy(startDate)} – ${dmy(endDate)}.`,
          ),
        ]);
      }
      // An UPDATE through em.query answers [rows, count]: read the row back instead.
      await em.query(`UPDATE terms SET name = $2, start_date = $3, end_date = $4 WHERE id = $1`, [
        id,
        dto.name !== undefined ? nfc(dto.name) : current.name,
        startDate,
        endDate,
      ]);
      const [row] = await em.query<TermRow[]>(`SELECT ${TERM_COLUMNS} FROM terms WHERE id = $1`, [
        id,
      ]);
      const before = toTermDto(current);
      const after = toTermDto(row);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await this.audit.record(em, actor, {
          action: 'term.update',
          entityType: 'term',
          entityId: id,
          orgUnitId: after.orgUnitId,
          before,
          after,
        });
      }
      return after;
    });
  }

  /** Terms of a unit never overlap (both dates inclusive); `selfId` is the term being changed. */
  private async checkNoOverlap(
    em: EntityManager,
    unitId: string,
    startDate: string,
    endDate: string,
    selfId: string | null,
  ): Promise<void> {
    const [overlap] = await em.query<{ name: string; start: string; end: string }[]>(
      `SELECT name, start_date::text AS start, end_date::text AS "end" FROM terms
        WHERE org_unit_id = $1 AND start_date <= $3::date AND $2::date <= end_date
          AND ($4::uuid IS NULL OR id <> $4::uuid)
        ORDER BY start_date LIMIT 1`,
      [unitId, startDate, endDate, selfId],
    );
    if (overlap) {
      throw new DomainError('TERM_OVERLAP', { name: overlap.name }, [
        detail(
          'startDate',
          `Trùng với nhiệm kỳ "${overlap.name}" (${dmy(overlap.start)} – ${dmy(overlap.end)}).`,
          `Overlaps the term "${overlap.name}" (${dmy(overlap.start)} – ${dmy(overlap.end)}).`,
        ),
      ]);
    }
  }

  /** The terms of one unit, newest first, keyset paged. */
  async list(actor: Actor, unitId: string, query: PageQueryDto): Promise<Page<TermDto>> {
    const unit = await this.orgUnits.findInScope(actor, unitId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['date', 'uuid']);
    const params: unknown[] = [unit.id, limit + 1];
    let keyset = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      keyset = 'AND (start_date, id) < ($3::date, $4::uuid)';
    }
    const rows = await this.dataSource.query<TermRow[]>(
      `SELECT ${TERM_COLUMNS} FROM terms
        WHERE org_unit_id = $1 ${keyset}
        ORDER BY start_date DESC, id DESC
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => [r.start_date, r.id], toTermDto);
  }
}
