import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { foldForSearch } from '../common/text/vietnamese';
import { IMPORT_KIND_SPECS, IMPORT_KINDS, ImportKind } from './import-kinds.types';
import { FileFormat, readSheets, SheetInfo, workbookSheets } from './import-file';
import { applyAccounts, validateAccounts } from './import-accounts.sql';
import { applyAppointments, validateAppointments } from './import-appointments.sql';
import { applyPeople, validatePeople } from './import-people.sql';
import { applyPosts, validatePosts } from './import-posts.sql';
import { applyTerms, validateTerms } from './import-terms.sql';
import {
  ColumnMap,
  mapHeaders,
  normaliseRow,
  STAGE_COLUMNS,
  StagedRow,
  WRITABLE_KINDS,
} from './import-rows';
import { applyUnits, validateUnits } from './import-units.sql';

/** One upload as the run needs it (a row of `imports`). */
export interface ImportTask {
  id: string;
  filePath: string;
  format: FileFormat;
  requestedKind: ImportKind | null;
  scopePaths: string[];
  /** Where the importer administers accounts (accounts:manage); empty for HR. */
  accountScopePaths: string[];
}

export interface RunOptions {
  todayVn: string;
  batchSize: number;
  /** Stop with TooManyRows once more data rows than this are read (the in-request path). */
  rowLimit?: number;
  onRows?: (rowsDone: number) => Promise<void> | void;
}

/** The file holds more rows than a request processes: it becomes a job. */
export class TooManyRows extends Error {}

export interface StageResult {
  kinds: ImportKind[];
  headers: Partial<Record<ImportKind, string[]>>;
  rows: number;
}

const fold = (s: string) =>
  foldForSearch(s)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The kind a sheet holds, by its name ("Can bo", "people", "Cán bộ, đoàn viên"). */
export function kindOfSheetName(name: string): ImportKind | null {
  const f = fold(name);
  for (const kind of IMPORT_KINDS) {
    const spec = IMPORT_KIND_SPECS[kind];
    if ([spec.sheet, kind, spec.title.vi, spec.title.en].some((n) => fold(n) === f)) return kind;
  }
  return null;
}

/** Which sheet holds which kind: by sheet names, or the requested kind's (else the first) sheet. */
function planSheets(
  sheets: SheetInfo[] | null,
  requested: ImportKind | null,
): Map<string | null, ImportKind> {
  const plan = new Map<string | null, ImportKind>();
  if (!sheets) {
    if (!requested) throw new DomainError('IMPORT_KIND_REQUIRED');
    plan.set(null, requested);
    return plan;
  }
  if (requested) {
    const named = sheets.find((s) => kindOfSheetName(s.name) === requested) ?? sheets[0];
    plan.set(named.name, requested);
    return plan;
  }
  for (const s of sheets) {
    const kind = kindOfSheetName(s.name);
    if (kind && ![...plan.values()].includes(kind)) plan.set(s.name, kind);
  }
  if (plan.size === 0) throw new DomainError('IMPORT_KIND_REQUIRED');
  return plan;
}

/**
 * Reads the file into import_rows in batches, each one INSERT … SELECT FROM json_to_recordset
 * of one JSON parameter: V8 writes the JSON and PostgreSQL reads it natively, several times
 * faster than arrays of parameters (which the pg driver escapes element by element) and the
 * same on PGlite, where COPY FROM STDIN is not to be had through the driver.
 */
export async function stage(
  em: EntityManager,
  task: ImportTask,
  opts: RunOptions,
): Promise<StageResult & { maps: Map<ImportKind, ColumnMap> }> {
  let sheets: SheetInfo[] | null = null;
  if (task.format === 'xlsx') {
    try {
      sheets = await workbookSheets(task.filePath);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DomainError('IMPORT_NOT_SPREADSHEET');
    }
  }
  const plan = planSheets(sheets, task.requestedKind);
  for (const [name, kind] of plan) {
    if (!WRITABLE_KINDS.includes(kind)) {
      throw new DomainError('IMPORT_KIND_NOT_SUPPORTED', { kind });
    }
    const merged = sheets?.find((s) => s.name === name)?.merged ?? [];
    if (merged.length) {
      throw new DomainError('IMPORT_MERGED_CELLS', {
        sheet: name ?? '',
        ranges: merged.slice(0, 5).join(', '),
      });
    }
  }
  await em.query(`DELETE FROM import_rows WHERE import_id = $1`, [task.id]);
  const maps = new Map<ImportKind, ColumnMap>();
  let total = 0;
  for await (const sheet of readSheets(task.filePath, task.format)) {
    const kind = plan.get(sheet.name);
    if (!kind) {
      for await (const _ of sheet.rows) void _; // another sheet (instructions …): read past it
      continue;
    }
    const label = sheet.name ?? IMPORT_KIND_SPECS[kind].sheet;
    let map: ColumnMap | null = null;
    let batch: StagedRow[] = [];
    for await (const row of sheet.rows) {
      if (!map) {
        if (row.cells.every((c) => c === null || c === undefined || c === '')) continue;
        map = mapHeaders(IMPORT_KIND_SPECS[kind], row.cells, label);
        maps.set(kind, map);
        continue;
      }
      const staged = normaliseRow(map, row.cells, row.rowNo, opts.todayVn);
      if (!staged) continue;
      batch.push(staged);
      total++;
      if (opts.rowLimit !== undefined && total > opts.rowLimit) throw new TooManyRows();
      if (batch.length >= opts.batchSize) {
        await insertBatch(em, task.id, kind, batch);
        batch = [];
        await opts.onRows?.(total);
      }
    }
    if (!map) {
      // A sheet without even a header row: every required header is missing.
      mapHeaders(IMPORT_KIND_SPECS[kind], [], label);
    }
    if (batch.length) await insertBatch(em, task.id, kind, batch);
    await opts.onRows?.(total);
  }
  if (total === 0) throw new DomainError('IMPORT_NO_ROWS');
  const kinds = IMPORT_KINDS.filter((k) => maps.has(k));
  const headers: StageResult['headers'] = {};
  for (const k of kinds) headers[k] = maps.get(k)!.headers;
  return { kinds, headers, rows: total, maps };
}

async function insertBatch(
  em: EntityManager,
  importId: string,
  kind: ImportKind,
  rows: StagedRow[],
): Promise<void> {
  const names = STAGE_COLUMNS.map(([c]) => c).join(', ');
  const record = STAGE_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ');
  await em.query(
    `INSERT INTO import_rows (import_id, kind, ${names})
     SELECT $1, $2, ${names} FROM json_to_recordset($3::json) AS x(${record})`,
    [importId, kind, JSON.stringify(rows)],
  );
}

/** Header text of a column as the file wrote it (else the template's), for error messages. */
function labeller(map: ColumnMap | undefined, kind: ImportKind) {
  return (key: string) => {
    const at = map?.index.get(key);
    if (at !== undefined && map?.headers[at]) return map.headers[at];
    return IMPORT_KIND_SPECS[kind].columns.find((c) => c.key === key)?.header ?? key;
  };
}

/** The set-based checks of every kind staged, in dependency order (units before people). */
export async function validate(
  em: EntityManager,
  task: ImportTask,
  staged: StageResult & { maps: Map<ImportKind, ColumnMap> },
): Promise<void> {
  // Fresh statistics of the staged rows, so that the checks' joins are planned as hash joins
  // over a large file rather than as nested loops over a table the planner believes empty.
  if (staged.rows > 1000) await em.query(`ANALYZE import_rows`);
  if (staged.kinds.includes('org_units')) {
    await validateUnits(
      em,
      task.id,
      prefixes(task),
      labeller(staged.maps.get('org_units'), 'org_units'),
    );
  }
  if (staged.kinds.includes('terms')) {
    await validateTerms(em, task.id, prefixes(task), labeller(staged.maps.get('terms'), 'terms'));
  }
  if (staged.kinds.includes('posts')) {
    await validatePosts(em, task.id, prefixes(task), labeller(staged.maps.get('posts'), 'posts'));
  }
  if (staged.kinds.includes('people')) {
    await validatePeople(
      em,
      task.id,
      prefixes(task),
      labeller(staged.maps.get('people'), 'people'),
    );
  }
  // After every kind an appointment may name (a workbook's people, posts and terms).
  if (staged.kinds.includes('appointments')) {
    await validateAppointments(
      em,
      task.id,
      prefixes(task),
      labeller(staged.maps.get('appointments'), 'appointments'),
    );
  }
  if (staged.kinds.includes('accounts')) {
    await validateAccounts(
      em,
      task.id,
      task.accountScopePaths.map((p) => `${p}%`),
      labeller(staged.maps.get('accounts'), 'accounts'),
    );
  }
}

export async function apply(em: EntityManager, task: ImportTask, kinds: ImportKind[]) {
  if (kinds.includes('org_units')) await applyUnits(em, task.id);
  if (kinds.includes('terms')) await applyTerms(em, task.id);
  if (kinds.includes('posts')) await applyPosts(em, task.id);
  if (kinds.includes('people')) await applyPeople(em, task.id);
  if (kinds.includes('appointments')) await applyAppointments(em, task.id);
  if (kinds.includes('accounts')) await applyAccounts(em, task.id);
}

const prefixes = (task: ImportTask) => task.scopePaths.map((p) => `${p}%`);

export interface Totals {
  created: number;
  updated: number;
  unchanged: number;
  error: number;
  total: number;
}
export const emptyTotals = (): Totals => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  error: 0,
  total: 0,
});

/** Outcome counts per kind and over all. */
export async function countOutcomes(
  em: EntityManager,
  importId: string,
): Promise<{ all: Totals; byKind: Partial<Record<ImportKind, Totals>> }> {
  const rows = await em.query<{ kind: ImportKind; outcome: keyof Totals; n: number }[]>(
    `SELECT kind, outcome, count(*)::int AS n FROM import_rows WHERE import_id = $1
      GROUP BY kind, outcome`,
    [importId],
  );
  const all = emptyTotals();
  const byKind: Partial<Record<ImportKind, Totals>> = {};
  for (const r of rows) {
    const t = (byKind[r.kind] ??= emptyTotals());
    t[r.outcome] += r.n;
    t.total += r.n;
    all[r.outcome] += r.n;
    all.total += r.n;
  }
  return { all, byKind };
}
