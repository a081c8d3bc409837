import { Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { TABLE_CONTENT_TYPES, TableFormat } from '../common/csv/table';
import { detail, DomainError, type LocalizedDetail } from '../common/errors/domain-error';
import { attachment } from '../common/http/attachment';
import { foldHeader } from '../common/spreadsheet/cells';
import {
  FileFormat,
  readSheets,
  sniffFormat,
  workbookSheets,
} from '../common/spreadsheet/sheet-file';
import { ImportQuestionSheetDto, QuestionSheetReportDto } from './dto/question-bank.dto';
import { insertFirstVersions } from './question-bank.rows';
import { QuestionBanksService } from './question-banks.service';
import { questionTemplateCsv, questionTemplateXlsx } from './question-sheet-template';
import type { BankQuestionKind } from './questions/question-model';
import {
  isEmptyRow,
  mapQuestionHeaders,
  QUESTION_SHEET,
  QuestionSheetHeaders,
  readQuestionRow,
  SheetQuestion,
} from './questions/question-sheet';

/** An uploaded file as multer's memory storage hands it over. */
export interface UploadedSheetFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** The largest spreadsheet taken: 2,000 questions of long texts fit in far less. */
export const QUESTION_SHEET_MAX_BYTES = 10 * 1024 * 1024;

/** The row failures reported at most; the count of the others follows them. */
const MAX_DETAILS = 500;

interface ReadFile {
  format: FileFormat;
  sheet: string | null;
  questions: SheetQuestion[];
}

/**
 * Questions of a bank from a spreadsheet (issue 16, item 5), like the people import: a template
 * to download, and a file in — checked whole (every row, each failure named "Dòng 5: Đáp án"),
 * then written all or nothing; a dry run (the default) writes nothing and answers what would be.
 * The columns and the row → question mapping are questions/question-sheet.ts.
 */
@Injectable()
export class QuestionSheetService {
  /** The XLSX template, built on first request: it changes only with the code. */
  private workbook: Promise<Buffer> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly banks: QuestionBanksService,
    private readonly audit: AuditService,
  ) {}

  async template(format: TableFormat): Promise<StreamableFile> {
    const name = 'Mẫu nhập câu hỏi';
    if (format === 'csv') {
      return new StreamableFile(questionTemplateCsv(), {
        type: TABLE_CONTENT_TYPES.csv,
        disposition: attachment(`${name}.csv`),
      });
    }
    if (!this.workbook) {
      const made = questionTemplateXlsx();
      this.workbook = made;
      // A failure is not kept: the next request tries again.
      made.catch(() => (this.workbook = null));
    }
    return new StreamableFile(await this.workbook, {
      type: TABLE_CONTENT_TYPES.xlsx,
      disposition: attachment(`${name}.xlsx`),
    });
  }

  async importSheet(
    actor: Actor,
    bankId: string,
    file: UploadedSheetFile | undefined,
    dto: ImportQuestionSheetDto,
  ): Promise<QuestionSheetReportDto> {
    const dryRun = dto.mode !== 'commit';
    return this.dataSource.transaction(async (em) => {
      // The bank first: another subtree's id answers 404 whatever the file.
      const bank = await this.banks.findBank(actor, bankId, 'write', em);
      if (bank.status === 'archived') throw new DomainError('QUESTION_BANK_ARCHIVED');
      if (!file) throw new DomainError('IMPORT_FILE_REQUIRED');
      const read = await readQuestionFile(file);
      const categories = await placeCategories(em, bankId, read.questions);
      const kinds: Partial<Record<BankQuestionKind, number>> = {};
      for (const q of read.questions) {
        kinds[q.question.body.kind] = (kinds[q.question.body.kind] ?? 0) + 1;
      }
      const report: QuestionSheetReportDto = {
        dryRun,
        format: read.format,
        sheet: read.sheet,
        imported: dryRun ? 0 : read.questions.length,
        kinds,
        newCategories: categories.created,
        rows: read.questions.map((q, i) => ({
          row: q.rowNo,
          kind: q.question.body.kind,
          prompt: q.question.prompt,
          points: q.question.points,
          category: categories.names[i],
          tags: q.tags,
          difficulty: q.difficulty,
        })),
      };
      if (dryRun) return report;
      await this.write(em, actor, bankId, bank.owner_org_unit_id, read.questions, categories);
      return report;
    });
  }

  /**
   * Set-based: the new categories in one statement, the questions in one (placed in their
   * categories by name), their first versions in one, then an audit entry per category created
   * and per question.
   */
  private async write(
    em: EntityManager,
    actor: Actor,
    bankId: string,
    orgUnitId: string,
    questions: SheetQuestion[],
    categories: Categories,
  ): Promise<void> {
    if (categories.created.length) {
      await this.audit.recordSet(em, actor, {
        action: 'question_category.created',
        entityType: 'question_bank',
        // The change is the entries' source: one statement creates the categories.
        rows: `INSERT INTO question_categories (bank_id, name)
               SELECT $1::uuid, n FROM unnest($2::text[]) AS n
               RETURNING bank_id AS entity_id, $3::uuid AS org_unit_id, NULL::jsonb AS before,
                         jsonb_build_object('category', name, 'source', 'sheet') AS after`,
        params: [bankId, categories.created, orgUnitId],
      });
    }
    const rows = questions.map((q, i) => ({
      id: randomUUID(),
      ord: i,
      line: q.rowNo,
      kind: q.question.body.kind,
      difficulty: q.difficulty,
      tags: q.tags,
      category: categories.names[i],
      prompt: q.question.prompt,
      points: q.question.points,
      body: q.question.body,
    }));
    const json = JSON.stringify(rows);
    // created_at a microsecond apart in the file's order: the bank's list (newest first, by
    // created_at) shows the rows in the order of the file, the last on top.
    await em.query(
      `INSERT INTO bank_questions (id, bank_id, category_id, kind, difficulty, tags, created_at,
                                   updated_at)
       SELECT s.id, $1, c.id, s.kind::bank_question_kind, s.difficulty, s.tags,
              now() + s.ord * interval '1 microsecond', now() + s.ord * interval '1 microsecond'
         FROM json_to_recordset($2::json)
              AS s(id uuid, ord int, kind text, difficulty smallint, tags text[], category text)
         LEFT JOIN question_categories c ON c.bank_id = $1 AND c.name = s.category`,
      [bankId, json],
    );
    await insertFirstVersions(em, json, actor.userId);
    await this.audit.recordSet(em, actor, {
      action: 'bank_question.imported',
      entityType: 'bank_question',
      rows: `SELECT s.id AS entity_id, $2::uuid AS org_unit_id, NULL::jsonb AS before,
                    jsonb_build_object('version', 1, 'kind', s.kind, 'source', 'sheet',
                                       'row', s.line, 'category', s.category) AS after
               FROM json_to_recordset($1::json) AS s(id uuid, kind text, line int, category text)`,
      params: [json, orgUnitId],
    });
  }
}

interface Categories {
  /** Each question's category as the bank names it (or will), in the questions' order. */
  names: (string | null)[];
  /** The names the bank does not have yet, in the order the file first names them. */
  created: string[];
}

/**
 * A row's category is the bank's category of that name — the same letters whatever their case
 * ("luật công đoàn" is "Luật Công đoàn"), diacritics exact — or a new one, spelled as the file
 * first spells it.
 */
async function placeCategories(
  em: EntityManager,
  bankId: string,
  questions: SheetQuestion[],
): Promise<Categories> {
  const existing = await em.query<{ name: string }[]>(
    `SELECT name FROM question_categories WHERE bank_id = $1 ORDER BY created_at, id`,
    [bankId],
  );
  const known = new Map<string, string>();
  for (const { name } of existing) known.set(name, name);
  for (const { name } of existing) {
    if (!known.has(name.toLowerCase())) known.set(name.toLowerCase(), name);
  }
  const created: string[] = [];
  const names = questions.map((q) => {
    if (q.category === null) return null;
    const found = known.get(q.category) ?? known.get(q.category.toLowerCase());
    if (found !== undefined) return found;
    created.push(q.category);
    known.set(q.category, q.category);
    known.set(q.category.toLowerCase(), q.category);
    return q.category;
  });
  return { names, created };
}

/**
 * The questions of the uploaded file, read from a temporary copy (the readers of the people
 * import take a path), removed whatever happens. The sheet "Câu hỏi" of a workbook, else its
 * first sheet; the first non-empty row is the header. Any row that fails refuses the file: 400
 * QUESTION_SHEET_INVALID with every failure (at most MAX_DETAILS of them) in details.
 */
async function readQuestionFile(file: UploadedSheetFile): Promise<ReadFile> {
  const dir = await mkdtemp(join(tmpdir(), 'lms-question-sheet-'));
  try {
    const path = join(dir, 'upload');
    await writeFile(path, file.buffer);
    const format = await sniffFormat(path);
    const sheet = format === 'xlsx' ? await chooseSheet(path) : null;
    let headers: QuestionSheetHeaders | null = null;
    const questions: SheetQuestion[] = [];
    const details: LocalizedDetail[] = [];
    let rows = 0;
    let badRows = 0;
    let failures = 0;
    const label = sheet ?? QUESTION_SHEET.sheet;
    for await (const source of readSheets(path, format)) {
      if (format === 'xlsx' && source.name !== sheet) {
        for await (const _ of source.rows) void _; // another sheet (the guide …): read past it
        continue;
      }
      for await (const row of source.rows) {
        if (isEmptyRow(row.cells)) continue;
        if (!headers) {
          headers = headersOf(row.cells, label);
          continue;
        }
        rows++;
        if (rows > QUESTION_SHEET.maxRows) {
          throw new DomainError('QUESTION_SHEET_TOO_MANY_ROWS', { max: QUESTION_SHEET.maxRows });
        }
        const read = readQuestionRow(headers, row.cells, row.rowNo);
        if ('question' in read) {
          questions.push(read.question);
          continue;
        }
        badRows++;
        failures += read.details.length;
        details.push(...read.details.slice(0, Math.max(0, MAX_DETAILS - details.length)));
      }
      break; // the questions' sheet is read: the ones after it are not needed
    }
    if (!headers) headersOf([], label);
    if (rows === 0) throw new DomainError('IMPORT_NO_ROWS');
    if (badRows) {
      if (failures > details.length) {
        const more = failures - details.length;
        details.push(
          detail(
            'file',
            `Còn ${more} lỗi khác ở các dòng sau không được liệt kê.`,
            `${more} more errors in later rows are not listed.`,
          ),
        );
      }
      throw new DomainError('QUESTION_SHEET_INVALID', { rows: badRows }, details);
    }
    return { format, sheet, questions };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The sheet named "Câu hỏi" (case and diacritics aside), else the first; merged cells refused. */
async function chooseSheet(path: string): Promise<string> {
  let sheets: Awaited<ReturnType<typeof workbookSheets>>;
  try {
    sheets = await workbookSheets(path);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('IMPORT_NOT_SPREADSHEET');
  }
  const wanted = foldHeader(QUESTION_SHEET.sheet);
  const chosen = sheets.find((s) => foldHeader(s.name) === wanted) ?? sheets[0];
  if (!chosen) throw new DomainError('IMPORT_NOT_SPREADSHEET');
  if (chosen.merged.length) {
    throw new DomainError('IMPORT_MERGED_CELLS', {
      sheet: chosen.name,
      ranges: chosen.merged.slice(0, 5).join(', '),
    });
  }
  return chosen.name;
}

function headersOf(cells: readonly unknown[], sheet: string): QuestionSheetHeaders {
  const mapped = mapQuestionHeaders(cells);
  if ('headers' in mapped) return mapped.headers;
  throw new DomainError(
    'IMPORT_MISSING_HEADERS',
    { sheet, headers: mapped.missing.map((h) => `"${h}"`).join(', ') },
    mapped.missing.map((h) => detail(h, `Thiếu cột "${h}".`, `Column "${h}" is missing.`)),
  );
}
