import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { rolesWith } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { DomainError, detail } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { Page } from '../common/pagination/page';
import {
  CreateImportDto,
  ImportDto,
  ImportReportDto,
  ImportRowDto,
  ImportRowsQueryDto,
  ImportState,
} from './dto/import.dto';
import { IMPORT_CONFIG, ImportConfig } from './import-config';
import {
  countLines,
  FileFormat,
  sniffFormat,
  workbookSheets,
} from '../common/spreadsheet/sheet-file';
import { ImportKind } from './import-kinds.types';
import {
  apply,
  countOutcomes,
  emptyTotals,
  ImportTask,
  stage,
  TooManyRows,
  Totals,
  validate,
} from './import-run';
import { importRowsPage, rejectedRowsCsv } from './import-report';
import type { RowError } from './import-rows';

/** An uploaded file as the controller hands it over (multer's disk storage). */
export interface UploadedImportFile {
  path: string;
  originalname: string;
  size: number;
}

interface ImportRow {
  id: string;
  kinds: ImportKind[];
  requested_kind: ImportKind | null;
  mode: 'dry-run' | 'commit';
  on_error: 'all-or-none' | 'valid-only';
  state: ImportState;
  file_name: string;
  file_path: string;
  file_format: FileFormat;
  headers: Partial<Record<ImportKind, string[]>>;
  totals: { all?: Totals; byKind?: Partial<Record<ImportKind, Totals>> };
  rows_total: number | null;
  rows_done: number;
  error_code: string | null;
  attempts: number;
  actor_user_id: string | null;
  actor_person_id: string | null;
  scope_paths: string[];
  account_scope_paths: string[];
  org_unit_id: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

/** What the process runs right now (PGlite cannot answer while the run holds its connection). */
interface InFlight {
  id: string;
  rec: ImportRow;
  ownerUserId: string | null;
  orgPath: string | null;
  rowsDone: number;
  rowsTotal: number | null;
}

const REPORT_ROWS = 100;
const WRITE = 'people:write';

/**
 * Bulk import of a federation's spreadsheets (issue 15). An upload is read, row by row, into
 * the staging table, checked there with set-based SQL, and written with INSERT … SELECT and
 * UPDATE … FROM — all in one transaction, so an import is written whole or not at all. Files
 * of up to IMPORT_ASYNC_THRESHOLD rows run in the request; larger ones in the job worker.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger('Imports');
  /** Set by the worker: wakes it when a job is queued. */
  wakeWorker: () => void = () => undefined;
  inFlight: InFlight | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(IMPORT_CONFIG) private readonly config: ImportConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs an upload: a report (dry run), the rows written (commit), or — above the threshold —
   * a queued job (status 202). A bad file answers its 4xx and leaves nothing behind.
   */
  async upload(
    actor: Actor,
    file: UploadedImportFile | undefined,
    dto: CreateImportDto,
    lang: Language = 'vi',
  ): Promise<{ status: 200 | 201 | 202; body: ImportReportDto }> {
    if (!file) throw new DomainError('IMPORT_FILE_REQUIRED');
    const scope = actor.scopePaths(WRITE);
    if (scope.length === 0) throw new DomainError('FORBIDDEN');
    const roles = rolesWith(WRITE);
    const home = actor.grants.find((g) => roles.includes(g.role) && scope.includes(g.path));
    const base = {
      id: randomUUID(),
      requestedKind: dto.kind ?? null,
      mode: dto.mode ?? 'dry-run',
      onError: dto.onError ?? 'all-or-none',
      fileName: file.originalname.normalize('NFC').slice(0, 255),
      filePath: file.path,
      fileBytes: file.size,
      actorUserId: actor.userId,
      actorPersonId: actor.personId,
      scopePaths: scope,
      // Accounts and roles are administered (accounts:manage); an HR importer has none, and
      // the rows of an accounts sheet are refused one by one with the reason.
      accountScopePaths: actor.scopePaths('accounts:manage'),
      orgUnitId: home?.orgUnitId ?? null,
    };
    let format: FileFormat;
    try {
      format = await sniffFormat(file.path);
    } catch (error) {
      await this.removeFile(file.path);
      throw error;
    }
    const task: ImportTask = {
      id: base.id,
      filePath: file.path,
      format,
      requestedKind: base.requestedKind,
      scopePaths: scope,
      accountScopePaths: base.accountScopePaths,
    };
    let invalid: number | null = null;
    try {
      await this.dataSource.transaction(async (em) => {
        await this.insertRecord(em, { ...base, format, state: 'staging' });
        const outcome = await this.runTask(em, task, base, {
          rowLimit: this.config.asyncThreshold,
        });
        invalid = outcome.invalid;
      });
    } catch (error) {
      if (error instanceof TooManyRows) {
        await this.insertRecord(this.dataSource.manager, { ...base, format, state: 'queued' });
        this.wakeWorker();
        return { status: 202, body: await this.report(actor, base.id, lang) };
      }
      await this.removeFile(file.path);
      throw error;
    }
    await this.removeFile(file.path);
    if (invalid !== null) {
      const rows = await this.dataSource.query<
        { kind: ImportKind; row_no: number; errors: RowError[] }[]
      >(
        `SELECT kind, row_no, errors FROM import_rows
          WHERE import_id = $1 AND outcome = 'error' ORDER BY kind, row_no LIMIT 20`,
        [base.id],
      );
      throw new DomainError('IMPORT_ROWS_INVALID', { count: invalid }, [
        detail('importId', base.id, base.id),
        ...rows.flatMap((r) =>
          r.errors.map((e) => detail(`${r.kind}[${r.row_no}].${e.column}`, e.message, e.messageEn)),
        ),
      ]);
    }
    return {
      status: base.mode === 'commit' ? 201 : 200,
      body: await this.report(actor, base.id, lang),
    };
  }

  /**
   * The run of one import inside the caller's transaction: stage, check, and (commit) write.
   * Returns the number of error rows when they stop an all-or-none commit (nothing written).
   */
  private async runTask(
    em: EntityManager,
    task: ImportTask,
    meta: {
      mode: 'dry-run' | 'commit';
      onError: 'all-or-none' | 'valid-only';
      actorUserId: string | null;
      actorPersonId: string | null;
      orgUnitId: string | null;
      fileName: string;
    },
    opts: { rowLimit?: number; onRows?: (n: number) => Promise<void> | void },
  ): Promise<{ invalid: number | null }> {
    const staged = await stage(em, task, {
      todayVn: this.clock.todayVn(),
      batchSize: this.config.batchSize,
      rowLimit: opts.rowLimit,
      onRows: opts.onRows,
    });
    await validate(em, task, staged);
    const totals = await countOutcomes(em, task.id);
    const blocked =
      meta.mode === 'commit' && meta.onError === 'all-or-none' && totals.all.error > 0;
    if (meta.mode === 'commit' && !blocked) {
      await apply(em, task, staged.kinds);
      await this.audit.record(
        em,
        meta.actorUserId ? { userId: meta.actorUserId, personId: meta.actorPersonId ?? '' } : null,
        {
          action: 'import.commit',
          entityType: 'import',
          entityId: task.id,
          orgUnitId: meta.orgUnitId,
          before: null,
          after: {
            fileName: meta.fileName,
            kinds: staged.kinds,
            onError: meta.onError,
            totals: totals.all,
            byKind: totals.byKind,
          },
        },
      );
    }
    await em.query(
      `UPDATE imports SET state = $2, kinds = $3, headers = $4, totals = $5, rows_total = $6,
              rows_done = $6, error_code = $7, finished_at = now(), heartbeat_at = now()
        WHERE id = $1`,
      [
        task.id,
        blocked ? 'failed' : 'done',
        staged.kinds,
        JSON.stringify(staged.headers),
        JSON.stringify(totals),
        staged.rows,
        blocked ? 'IMPORT_ROWS_INVALID' : null,
      ],
    );
    return { invalid: blocked ? totals.all.error : null };
  }

  private async insertRecord(
    em: EntityManager,
    r: {
      id: string;
      requestedKind: ImportKind | null;
      mode: string;
      onError: string;
      state: ImportState;
      fileName: string;
      filePath: string;
      format: FileFormat;
      fileBytes: number;
      actorUserId: string;
      actorPersonId: string;
      scopePaths: string[];
      accountScopePaths: string[];
      orgUnitId: string | null;
    },
  ): Promise<void> {
    await em.query(
      `INSERT INTO imports (id, requested_kind, mode, on_error, state, file_name, file_path,
                            file_format, file_bytes, actor_user_id, actor_person_id, scope_paths,
                            org_unit_id, account_scope_paths, started_at, heartbeat_at)
       VALUES ($1, $2, $3, $4, $5::varchar, $6, $7, $8, $9, $10, $11, $12, $13, $14,
               CASE WHEN $5::varchar = 'queued' THEN NULL ELSE now() END, now())`,
      [
        r.id,
        r.requestedKind,
        r.mode,
        r.onError,
        r.state,
        r.fileName,
        r.filePath,
        r.format,
        r.fileBytes,
        r.actorUserId,
        r.actorPersonId,
        r.scopePaths,
        r.orgUnitId,
        r.accountScopePaths,
      ],
    );
  }

  /**
   * Runs a claimed job (the worker's call), in one transaction: a crash or a kill leaves no
   * row of it written, and the job is claimed again and run from the file (the run is
   * idempotent). A bad file fails the job with its error code.
   */
  async runJob(id: string, shouldStop: () => boolean): Promise<ImportState> {
    const [rec] = await this.dataSource.query<(ImportRow & { org_path: string | null })[]>(
      `SELECT i.*, o.path AS org_path FROM imports i LEFT JOIN org_units o ON o.id = i.org_unit_id
        WHERE i.id = $1`,
      [id],
    );
    if (!rec) return 'failed';
    const rowsTotal = await this.estimateRows(rec).catch(() => null);
    if (rowsTotal !== null) {
      await this.dataSource.query(`UPDATE imports SET rows_total = $2 WHERE id = $1`, [
        id,
        rowsTotal,
      ]);
    }
    const live: InFlight = {
      id,
      rec,
      ownerUserId: rec.actor_user_id,
      orgPath: rec.org_path,
      rowsDone: 0,
      rowsTotal,
    };
    this.inFlight = live;
    const task: ImportTask = {
      id,
      filePath: rec.file_path,
      format: rec.file_format,
      requestedKind: rec.requested_kind,
      scopePaths: rec.scope_paths,
      accountScopePaths: rec.account_scope_paths,
    };
    // PostgreSQL: progress and heartbeat through another pooled connection while the run's
    // transaction holds its own; PGlite has one connection, and progress stays in memory.
    const beat =
      this.dataSource.options.type === 'postgres' && this.hasPool()
        ? setInterval(
            () => {
              this.dataSource
                .query(`UPDATE imports SET heartbeat_at = now(), rows_done = $2 WHERE id = $1`, [
                  id,
                  live.rowsDone,
                ])
                .catch(() => undefined);
            },
            Math.max(200, (this.config.jobStaleSeconds * 1000) / 3),
          )
        : null;
    try {
      await this.dataSource.transaction(async (em) => {
        await this.runTask(
          em,
          task,
          {
            mode: rec.mode,
            onError: rec.on_error,
            actorUserId: rec.actor_user_id,
            actorPersonId: rec.actor_person_id,
            orgUnitId: rec.org_unit_id,
            fileName: rec.file_name,
          },
          {
            onRows: async (n) => {
              live.rowsDone = n;
              if (shouldStop()) throw new JobStopped();
              if (this.config.jobTestDelayMs > 0) {
                await new Promise((r) => setTimeout(r, this.config.jobTestDelayMs));
              }
            },
          },
        );
      });
    } catch (error) {
      if (error instanceof JobStopped) {
        await this.dataSource.query(
          `UPDATE imports SET state = 'queued', attempts = attempts - 1 WHERE id = $1`,
          [id],
        );
        return 'queued';
      }
      const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      if (!(error instanceof DomainError)) {
        this.logger.error(`import ${id} failed: ${(error as Error).message}`);
      }
      await this.finish(id, 'failed', code);
      await this.removeFile(rec.file_path);
      return 'failed';
    } finally {
      if (beat) clearInterval(beat);
      this.inFlight = null;
    }
    await this.removeFile(rec.file_path);
    const [after] = await this.dataSource.query<{ state: ImportState }[]>(
      `SELECT state FROM imports WHERE id = $1`,
      [id],
    );
    return after.state;
  }

  private hasPool(): boolean {
    return !!(this.dataSource.options as { url?: string }).url;
  }

  async finish(id: string, state: 'failed' | 'rolled_back', code: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE imports SET state = $2, error_code = $3, finished_at = now() WHERE id = $1`,
      [id, state, code],
    );
  }

  private async estimateRows(rec: ImportRow): Promise<number | null> {
    if (rec.file_format === 'csv') return Math.max(0, (await countLines(rec.file_path)) - 1);
    // The sizes only: each sheet is read up to its rows, not inflated whole for its merges.
    const sheets = await workbookSheets(rec.file_path, { merges: false });
    const rows = sheets.map((s) => s.rows).filter((n): n is number => n !== null);
    return rows.length ? rows.reduce((a, b) => a + b - 1, 0) : null;
  }

  private async removeFile(path: string): Promise<void> {
    await rm(path, { force: true }).catch(() => undefined);
  }

  /** An import the actor may read: their own, or one of a unit in their scope; else 404. */
  private async findInScope(actor: Actor, id: string): Promise<ImportRow> {
    const [row] = await this.dataSource.query<ImportRow[]>(
      `SELECT i.* FROM imports i LEFT JOIN org_units o ON o.id = i.org_unit_id
        WHERE i.id = $1 AND (i.actor_user_id = $2 OR o.path LIKE ANY($3::text[]))`,
      [id, actor.userId, actor.scopePaths(WRITE).map((p) => `${p}%`)],
    );
    if (!row) throw new DomainError('IMPORT_NOT_FOUND');
    return row;
  }

  async get(actor: Actor, id: string): Promise<ImportDto> {
    const live = this.inFlight;
    if (live && live.id === id) {
      const mine = live.ownerUserId === actor.userId;
      if (!mine && !(live.orgPath && actor.covers(WRITE, live.orgPath))) {
        throw new DomainError('IMPORT_NOT_FOUND');
      }
      if (!this.hasPool()) {
        // PGlite: the run holds the one connection: the record as claimed, the live progress.
        return {
          ...toDto(live.rec),
          state: 'staging',
          rowsDone: live.rowsDone,
          rowsTotal: live.rowsTotal,
        };
      }
      const dto = toDto(await this.findInScope(actor, id));
      return { ...dto, rowsDone: live.rowsDone, rowsTotal: live.rowsTotal ?? dto.rowsTotal };
    }
    return toDto(await this.findInScope(actor, id));
  }

  /** The import with its error rows and its first rows (the answer to an upload). */
  async report(actor: Actor, id: string, lang: Language): Promise<ImportReportDto> {
    const dto = await this.get(actor, id);
    const errors = await this.rows(actor, id, { outcome: 'error', limit: REPORT_ROWS }, lang);
    const first = await this.rows(actor, id, { limit: REPORT_ROWS }, lang);
    return { ...dto, errorRows: errors.items, rows: first.items };
  }

  /** The per-row report, keyset paged on (kind, row). */
  async rows(
    actor: Actor,
    id: string,
    query: ImportRowsQueryDto,
    lang: Language,
  ): Promise<Page<ImportRowDto>> {
    await this.findInScope(actor, id);
    return importRowsPage(this.dataSource, id, query, lang);
  }

  /**
   * The rejected rows of one kind as CSV for Excel (BOM), in the file's own columns plus the
   * row number and the errors: fix them and upload the file again. Streamed in pages.
   */
  async rejectedCsv(
    actor: Actor,
    id: string,
    kind: ImportKind | undefined,
  ): Promise<{ fileName: string; stream: Readable }> {
    const rec = await this.findInScope(actor, id);
    return rejectedRowsCsv(this.dataSource, id, rec.kinds, rec.headers, kind);
  }

  /** Imports a restart found running: a queued state again, to be claimed (see the worker). */
  async claimNext(): Promise<string | null> {
    const rows = await this.dataSource.query<{ id: string; attempts: number }[]>(
      // In a CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count].
      `WITH c AS (
       UPDATE imports SET state = 'staging', attempts = attempts + 1, started_at = now(),
              heartbeat_at = now(), rows_done = 0
        WHERE id = (SELECT id FROM imports
                     WHERE state = 'queued'
                        OR (state IN ('staging', 'validating', 'applying')
                            AND heartbeat_at < now() - make_interval(secs => $1))
                     ORDER BY created_at
                     LIMIT 1
                     FOR UPDATE SKIP LOCKED)
        RETURNING id, attempts)
       SELECT * FROM c`,
      [this.config.jobStaleSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.attempts > MAX_ATTEMPTS) {
      await this.finish(row.id, 'rolled_back', 'IMPORT_TOO_MANY_ATTEMPTS');
      return null;
    }
    return row.id;
  }
}

/** A job orphaned this many times is given up (rolled_back) rather than retried forever. */
const MAX_ATTEMPTS = 3;

class JobStopped extends Error {}

function toDto(r: ImportRow): ImportDto {
  return {
    id: r.id,
    state: r.state,
    mode: r.mode,
    onError: r.on_error,
    kinds: r.kinds,
    fileName: r.file_name,
    totals: r.totals.all ?? emptyTotals(),
    byKind: r.totals.byKind ?? {},
    rowsDone: r.rows_done,
    rowsTotal: r.rows_total,
    errorCode: r.error_code,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}
