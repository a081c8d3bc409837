import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { foldForSearch } from '../common/text/vietnamese';
import { IMPORT_KIND_SPECS, IMPORT_KINDS, ImportKind } from './import-kinds.types';
import {
  FileFormat,
  readSheets,
  SheetInfo,
  workbookSheets,
} from '../common/spreadsheet/sheet-file';
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
 * Reads the file into import_rows in batches: COPY on PostgreSQL, an INSERT … SELECT FROM
 * json_to_recordset on PGlite (see insertBatch), each batch written while the next is read.
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
  const unitIds = await unitsByCode(em, task, [...plan.values()]);
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
    // One batch is written while the next is read: the database and the parsing overlap.
    const inFlight: { write: Promise<void> | null } = { write: null };
    const flush = async (rows: StagedRow[], done: number) => {
      await inFlight.write;
      const write = insertBatch(em, task.id, kind, rows);
      // Its failure is reported by the next await of the write, not as an unhandled rejection.
      write.catch(() => undefined);
      inFlight.write = write;
      await opts.onRows?.(done - rows.length);
    };
    try {
      for await (const row of sheet.rows) {
        if (!map) {
          if (row.cells.every((c) => c === null || c === undefined || c === '')) continue;
          map = mapHeaders(IMPORT_KIND_SPECS[kind], row.cells, label);
          maps.set(kind, map);
          continue;
        }
        const staged = normaliseRow(map, row.cells, row.rowNo, opts.todayVn);
        if (!staged) continue;
        if (unitIds && UNIT_KINDS.includes(kind) && typeof staged.unit_code === 'string') {
          staged.unit_id = unitIds.get(staged.unit_code) ?? null;
        }
        batch.push(staged);
        total++;
        if (opts.rowLimit !== undefined && total > opts.rowLimit) throw new TooManyRows();
        if (batch.length >= opts.batchSize) {
          await flush(batch, total);
          batch = [];
        }
      }
      if (!map) {
        // A sheet without even a header row: every required header is missing.
        mapHeaders(IMPORT_KIND_SPECS[kind], [], label);
      }
      if (batch.length) await flush(batch, total);
      await inFlight.write;
    } finally {
      // A refusal mid-sheet still waits for the batch in flight: the transaction stays usable.
      await inFlight.write?.catch(() => undefined);
    }
    await opts.onRows?.(total);
  }
  if (total === 0) throw new DomainError('IMPORT_NO_ROWS');
  const kinds = IMPORT_KINDS.filter((k) => maps.has(k));
  const headers: StageResult['headers'] = {};
  for (const k of kinds) headers[k] = maps.get(k)!.headers;
  return { kinds, headers, rows: total, maps };
}

/** Kinds whose rows name their unit within the importer's scope (accounts: the administered one). */
const UNIT_KINDS: readonly ImportKind[] = ['people', 'posts', 'terms', 'appointments'];

/**
 * The open units of the importer's scope by code, when the file has rows that name units:
 * each row's unit is found as it is staged, and resolveRowUnits's UPDATE is left only the rows
 * this map does not answer (units by path, units the same file creates, unknown codes).
 */
async function unitsByCode(
  em: EntityManager,
  task: ImportTask,
  kinds: ImportKind[],
): Promise<Map<string, string> | null> {
  if (!kinds.some((k) => UNIT_KINDS.includes(k))) return null;
  const rows = await em.query<{ code: string; id: string }[]>(
    `SELECT code, id FROM org_units
      WHERE code IS NOT NULL AND status = 'active' AND path LIKE ANY($1::text[])`,
    [prefixes(task)],
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

const STAGED_NAMES = STAGE_COLUMNS.map(([c]) => c);

async function insertBatch(
  em: EntityManager,
  importId: string,
  kind: ImportKind,
  rows: StagedRow[],
): Promise<void> {
  const names = STAGE_COLUMNS.map(([c]) => c).join(', ');
  const client = copyClient(em);
  if (client) {
    // PostgreSQL: COPY, several times faster than any INSERT (no JSON to parse row by row).
    // Plain loops and string appends: a batch of 2,000 rows × 40 columns without an array per
    // row (the arrays and joins were a tenth of the staging's JS time in a profile).
    const prefix = `${importId}\t${kind}`;
    let text = '';
    for (const row of rows) {
      let line = prefix;
      for (const c of STAGED_NAMES) line += `\t${copyField(row[c])}`;
      text += `${line}\n`;
    }
    await pipeline(
      Readable.from([text]),
      client.query(copyFrom(`COPY import_rows (import_id, kind, ${names}) FROM STDIN`)),
    );
    return;
  }
  // PGlite: one INSERT … SELECT FROM json_to_recordset of one JSON parameter (no COPY through
  // its driver); V8 writes the JSON and PostgreSQL reads it natively.
  const record = STAGE_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ');
  await em.query(
    `INSERT INTO import_rows (import_id, kind, ${names})
     SELECT $1, $2, ${names} FROM json_to_recordset($3::json) AS x(${record})`,
    [importId, kind, JSON.stringify(rows)],
  );
}

/** The pg client of the transaction, when the database is a PostgreSQL server. */
function copyClient(em: EntityManager): PoolClient | null {
  if (!(em.connection.options as { url?: string }).url) return null;
  const runner = em.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
  const client = runner?.databaseConnection;
  return client && typeof client.query === 'function' ? client : null;
}

/** A value in COPY's text format: \N for null, backslash escapes for the separators. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value) && value.length === 0) return '[]';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : text;
}
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

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
