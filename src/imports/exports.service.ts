import { Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, scopeConditionRaw } from '../auth/actor';
import { Permission } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import {
  day,
  TABLE_CONTENT_TYPES,
  TableCell,
  tableCsv,
  TableFormat,
  TableSpec,
  tableXlsx,
} from '../common/csv/table';
import { DomainError } from '../common/errors/domain-error';
import { OrgUnitsService } from '../org-units/org-units.service';
import { maskNationalId } from '../people/people.service';
import { IMPORT_KIND_SPECS, ImportKind, ImportKindSpec } from './import-kinds.types';
import {
  attachment,
  choiceWord,
  columnWidth,
  templateCsv,
  templateXlsx,
  yesNo,
} from './template-workbook';

/**
 * Issue 15, item 6: a federation takes its data out in the shapes it brings data in
 * (import-kinds.types.ts), so that an exported file imports unchanged: the template's headers, choice
 * values as their Vietnamese words, units by code. The rows are read by keyset pages of
 * EXPORT_PAGE (one set-based query with its joins per page, no cursor held between pages) and
 * written row by row to the CSV or workbook stream, which follows the reader's pace: a national
 * export never holds more than a page.
 */
export const EXPORT_PAGE = 5000;

type Row = Record<string, string | number | boolean | null>;

interface KindQuery {
  /**
   * The permission whose scope the rows are taken from; the route's own (people:write) is
   * checked by the guard first. Accounts and their roles are the administrators' only.
   */
  permission: Permission;
  /** The key of the keyset (a column of the page, selected as `k`) and where it starts. */
  start: string;
  /** One page: $1 is the last key read, the scope's LIKE parameters follow from $2. */
  sql(scope: string, externalId: string): string;
  cells(r: Row, ids: PersonIds): TableCell[];
}

const MIN_UUID = '00000000-0000-0000-0000-000000000000';

/** How a person's CCCD is written: in full for those who may read it, else masked. */
interface PersonIds {
  seesNationalId: boolean;
}

const s = (v: Row[string]): string | null => (v === null || v === undefined ? null : String(v));
const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

function spec(kind: ImportKind): ImportKindSpec {
  return IMPORT_KIND_SPECS[kind];
}

/** The Vietnamese word of the value in the column `key` of `kind`. */
function word(kind: ImportKind, key: string, value: Row[string]): string | null {
  if (value === null || value === undefined) return null;
  return choiceWord(spec(kind).columns.find((c) => c.key === key)?.choices, String(value));
}

function nationalId(r: Row, ids: PersonIds): string | null {
  const id = s(r.national_id);
  return ids.seesNationalId ? id : maskNationalId(id);
}

const QUERIES: Record<ImportKind, KindQuery> = {
  org_units: {
    permission: 'org-units:write',
    // By path: a parent comes before its children, so the file re-imports top-down.
    start: '',
    sql: (scope) => `
      SELECT u.path AS k, u.code, u.name, u.level, par.code AS parent_code, u.sector,
             u.province_code, u.member_count
        FROM org_units u LEFT JOIN org_units par ON par.id = u.parent_id
       WHERE u.path > $1 AND u.status = 'active' AND ${scope}
       ORDER BY u.path LIMIT ${EXPORT_PAGE}`,
    cells: (r) => [
      s(r.code),
      s(r.name),
      word('org_units', 'level', r.level),
      s(r.parent_code),
      null,
      word('org_units', 'sector', r.sector),
      s(r.province_code),
      Number(r.member_count),
    ],
  },
  people: {
    permission: 'people:write',
    start: MIN_UUID,
    sql: (scope, externalId) => `
      SELECT p.id AS k, ${externalId} AS external_id, p.full_name, p.family_name, p.middle_name,
             p.given_name, ${iso('p.birth_date')} AS birth_date, p.gender, p.ethnicity_code,
             p.national_id, p.email, p.phone, u.code AS unit_code
        FROM people p JOIN org_units u ON u.id = p.home_org_unit_id
       WHERE p.id > $1 AND p.status = 'active' AND ${scope}
       ORDER BY p.id LIMIT ${EXPORT_PAGE}`,
    cells: (r, ids) => [
      s(r.external_id),
      s(r.full_name),
      s(r.family_name),
      s(r.middle_name),
      s(r.given_name),
      day(s(r.birth_date)),
      word('people', 'gender', r.gender),
      s(r.ethnicity_code),
      nationalId(r, ids),
      s(r.email),
      s(r.phone),
      s(r.unit_code),
    ],
  },
  posts: {
    permission: 'hr:manage',
    start: MIN_UUID,
    sql: (scope) => `
      SELECT po.id AS k, u.code AS unit_code, po.post_type, po.title, po.employment,
             po.single_holder, po.key_post
        FROM posts po JOIN org_units u ON u.id = po.org_unit_id
       WHERE po.id > $1 AND po.status = 'active' AND ${scope}
       ORDER BY po.id LIMIT ${EXPORT_PAGE}`,
    cells: (r) => [
      s(r.unit_code),
      word('posts', 'postType', r.post_type),
      s(r.title),
      word('posts', 'employment', r.employment),
      yesNo(r.single_holder as boolean),
      yesNo(r.key_post as boolean),
    ],
  },
  terms: {
    permission: 'hr:manage',
    start: MIN_UUID,
    sql: (scope) => `
      SELECT t.id AS k, u.code AS unit_code, t.name, ${iso('t.start_date')} AS start_date,
             ${iso('t.end_date')} AS end_date
        FROM terms t JOIN org_units u ON u.id = t.org_unit_id
       WHERE t.id > $1 AND ${scope}
       ORDER BY t.id LIMIT ${EXPORT_PAGE}`,
    cells: (r) => [s(r.unit_code), s(r.name), day(s(r.start_date)), day(s(r.end_date))],
  },
  appointments: {
    permission: 'hr:manage',
    start: MIN_UUID,
    // Cancelled appointments never were: they are left out.
    sql: (scope, externalId) => `
      SELECT a.id AS k, p.national_id, ${externalId} AS external_id, p.full_name,
             u.code AS unit_code, po.post_type, t.name AS term_name, a.method,
             ${iso('a.start_date')} AS start_date, ${iso('a.end_date')} AS end_date
        FROM appointments a
        JOIN posts po ON po.id = a.post_id
        JOIN org_units u ON u.id = po.org_unit_id
        JOIN people p ON p.id = a.person_id
        LEFT JOIN terms t ON t.id = a.term_id
       WHERE a.id > $1 AND a.status <> 'cancelled' AND ${scope}
       ORDER BY a.id LIMIT ${EXPORT_PAGE}`,
    cells: (r, ids) => [
      nationalId(r, ids) ?? s(r.external_id),
      s(r.full_name),
      s(r.unit_code),
      word('appointments', 'postType', r.post_type),
      s(r.term_name),
      word('appointments', 'method', r.method),
      day(s(r.start_date)),
      day(s(r.end_date)),
    ],
  },
  accounts: {
    permission: 'accounts:manage',
    start: MIN_UUID,
    // One row per active grant: an account with two roles is two rows, as the import takes it.
    sql: (scope, externalId) => `
      SELECT g.id AS k, a.email, p.national_id, ${externalId} AS external_id, g.role,
             u.code AS scope_code
        FROM role_grants g
        JOIN user_accounts a ON a.id = g.user_id
        JOIN people p ON p.id = a.person_id
        JOIN org_units u ON u.id = g.org_unit_id
       WHERE g.id > $1 AND g.revoked_at IS NULL AND a.active AND ${scope}
       ORDER BY g.id LIMIT ${EXPORT_PAGE}`,
    cells: (r, ids) => [
      s(r.email),
      nationalId(r, ids) ?? s(r.external_id),
      word('accounts', 'role', r.role),
      s(r.scope_code),
    ],
  },
};

// Each query writes its kind's columns, in order: a column added to import-kinds.types.ts without its
// cell here would shift every later column of the file.
for (const kind of Object.keys(QUERIES) as ImportKind[]) {
  const probe = QUERIES[kind].cells({}, { seesNationalId: true });
  if (probe.length !== spec(kind).columns.length) {
    throw new Error(
      `exports: ${kind} writes ${probe.length} cells for ${spec(kind).columns.length} columns`,
    );
  }
}

@Injectable()
export class ExportsService {
  /** Whether people.external_id exists (added by the import's migration 1796500200000). */
  private externalIdColumn: Promise<boolean> | undefined;
  /** The template workbooks, built on first request: they change only with the code. */
  private readonly workbooks = new Map<ImportKind | 'all', Promise<Buffer>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly clock: Clock,
  ) {}

  /** The template of one kind (XLSX or CSV), or of every kind in one workbook. */
  async template(kind: ImportKind | undefined, format: TableFormat): Promise<StreamableFile> {
    const name = kind ? `Mẫu nhập - ${spec(kind).title.vi}` : 'Mẫu nhập dữ liệu';
    if (format === 'csv' && kind) {
      return new StreamableFile(templateCsv(kind), {
        type: TABLE_CONTENT_TYPES.csv,
        disposition: attachment(`${name}.csv`),
      });
    }
    let made = this.workbooks.get(kind ?? 'all');
    if (!made) {
      made = templateXlsx(kind);
      this.workbooks.set(kind ?? 'all', made);
      // A failure is not kept: the next request tries again.
      void made.catch(() => this.workbooks.delete(kind ?? 'all'));
    }
    const bytes = await made;
    return new StreamableFile(bytes, {
      type: TABLE_CONTENT_TYPES.xlsx,
      disposition: attachment(`${name}.xlsx`),
      length: bytes.length,
    });
  }

  /**
   * The rows of `kind` in the subtree of `orgUnitId` (which must lie in the caller's scope for
   * the kind's permission: 404 otherwise), or in the whole of the caller's scope.
   */
  async export(
    actor: Actor,
    kind: ImportKind,
    format: TableFormat,
    orgUnitId?: string,
  ): Promise<StreamableFile> {
    const query = QUERIES[kind];
    if (!actor.can(query.permission)) throw new DomainError('FORBIDDEN');
    let paths = actor.scopePaths(query.permission);
    let place = 'toàn bộ';
    if (orgUnitId) {
      const unit = await this.orgUnits.findInScope(actor, orgUnitId, query.permission);
      paths = [unit.path];
      place = unit.code;
    }
    const externalId = (await this.hasExternalId()) ? 'p.external_id' : 'NULL::text';
    // Everyone who may export today (administrators, HR) reads CCCDs; should a role ever
    // export without that right over the whole subtree, its file carries them masked.
    const ids: PersonIds = {
      seesNationalId: paths.every((p) => actor.covers('people:read-national-id', p)),
    };
    const table: TableSpec = {
      sheetName: spec(kind).sheet,
      columns: spec(kind).columns.map((c) => ({ header: c.header, width: columnWidth(c) })),
    };
    const rows = this.pages(query, paths, externalId, ids);
    const stream = format === 'xlsx' ? tableXlsx(table, rows) : tableCsv(table, rows);
    const name = `${spec(kind).title.vi} - ${place} - ${this.clock.todayVn()}.${format}`;
    return new StreamableFile(stream, {
      type: TABLE_CONTENT_TYPES[format],
      disposition: attachment(name),
    });
  }

  /** Keyset pages of one kind: each page one query, its rows written before the next is read. */
  private async *pages(
    query: KindQuery,
    paths: readonly string[],
    externalId: string,
    ids: PersonIds,
  ): AsyncGenerator<TableCell[]> {
    const scope = scopeConditionRaw('u.path', paths, 2);
    const sql = query.sql(scope.sql, externalId);
    let last = query.start;
    for (;;) {
      const page = await this.dataSource.query<Row[]>(sql, [last, ...scope.params]);
      for (const r of page) yield query.cells(r, ids);
      if (page.length < EXPORT_PAGE) return;
      last = String(page[page.length - 1].k);
    }
  }

  private hasExternalId(): Promise<boolean> {
    this.externalIdColumn ??= this.dataSource
      .query<unknown[]>(
        `SELECT 1 FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'people'
            AND column_name = 'external_id'`,
      )
      .then((rows) => rows.length > 0);
    return this.externalIdColumn;
  }
}
