import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { AnyDetail, detail, DomainError } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import { ExportQtiQueryDto, ImportQtiDto, QtiImportReportDto } from './dto/question-bank.dto';
import { insertFirstVersions } from './question-bank.rows';
import { QuestionBanksService } from './question-banks.service';
import { validateQuestion } from './questions/question-grading';
import { QuestionVersion } from './questions/question-model';
import {
  fromQtiItem,
  fromQtiPackage,
  QTI_PACKAGE_LIMITS,
  QtiItem,
  QtiItemInput,
  toQtiPackage,
} from './questions/qti';

/** An uploaded file as multer's memory storage hands it over. */
export interface UploadedQtiFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

interface ExportRow {
  id: string;
  prompt: string;
  points: number;
  body: QuestionVersion['body'];
  tags: string[];
  category: string | null;
}

/** What an upload of a QTI file may be: one file, up to the largest package read. */
export const QTI_UPLOAD_LIMITS = {
  fileSize: QTI_PACKAGE_LIMITS.maxPackageBytes,
  files: 1,
  fields: 5,
} as const;

/** The most questions one import takes (a package holds at most this many items anyway). */
const MAX_IMPORTED = QTI_PACKAGE_LIMITS.maxEntries;

/**
 * QTI 3.0 exchange of a bank (issue 16, item 5): the bank's active questions (their current
 * versions) out as a content package; a package — or one item's XML — in, checked whole by the
 * bank's own rules, then written all or nothing (a dry run writes nothing).
 */
@Injectable()
export class QuestionExchangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly banks: QuestionBanksService,
    private readonly audit: AuditService,
  ) {}

  async exportQti(
    actor: Actor,
    bankId: string,
    query: ExportQtiQueryDto,
  ): Promise<{ name: string; content: Buffer }> {
    const bank = await this.banks.findBank(actor, bankId, 'use');
    const rows = await this.dataSource.query<ExportRow[]>(
      `SELECT q.id, v.prompt, v.points, v.body, q.tags, c.name AS category
         FROM bank_questions q
         JOIN bank_question_versions v ON v.question_id = q.id AND v.version = q.current_version
         LEFT JOIN question_categories c ON c.id = q.category_id
        WHERE q.bank_id = $1 AND q.status = 'active'
          AND ($2::uuid IS NULL OR q.category_id = $2::uuid)
        ORDER BY q.created_at, q.id`,
      [bankId, query.categoryId ?? null],
    );
    const items: QtiItemInput[] = rows.map((r) => ({
      identifier: `Q-${r.id}`,
      prompt: r.prompt,
      points: r.points,
      body: r.body,
      // The category travels as a tag: the package has no other place for it.
      tags: r.category ? [...r.tags, r.category] : r.tags,
    }));
    return { name: `${bank.name} (QTI).zip`, content: toQtiPackage(items) };
  }

  async importQti(
    actor: Actor,
    bankId: string,
    file: UploadedQtiFile | undefined,
    dto: ImportQtiDto,
  ): Promise<QtiImportReportDto> {
    const dryRun = dto.mode !== 'commit';
    return this.dataSource.transaction(async (em) => {
      // The bank first: another subtree's id answers 404 whatever the file.
      const bank = await this.banks.findBank(actor, bankId, 'write', em);
      if (bank.status === 'archived') throw new DomainError('QUESTION_BANK_ARCHIVED');
      if (!file || file.size === 0) throw new DomainError('QTI_FILE_REQUIRED');
      const items = readItems(file);
      if (dto.categoryId) {
        const found = await em.query<unknown[]>(
          `SELECT 1 FROM question_categories WHERE id = $1 AND bank_id = $2`,
          [dto.categoryId, bankId],
        );
        if (!found.length) {
          throw new DomainError('QUESTION_CATEGORY_UNKNOWN', {}, [
            { field: 'categoryId', message: dto.categoryId },
          ]);
        }
      }
      const report: QtiImportReportDto = {
        dryRun,
        imported: dryRun ? 0 : items.length,
        items: items.map((i) => ({
          identifier: i.identifier,
          title: i.title ?? null,
          kind: i.question.body.kind,
          prompt: i.question.prompt,
          points: i.question.points,
        })),
      };
      if (dryRun) return report;
      const rows = items.map((i) => ({
        id: randomUUID(),
        kind: i.question.body.kind,
        tags: i.tags,
        prompt: i.question.prompt,
        points: i.question.points,
        body: i.question.body,
      }));
      const json = JSON.stringify(rows);
      // Set-based: the questions, then their first versions, from the one JSON parameter.
      await em.query(
        `INSERT INTO bank_questions (id, bank_id, category_id, kind, tags)
         SELECT s.id, $1, $2::uuid, s.kind::bank_question_kind, s.tags
           FROM json_to_recordset($3::json) AS s(id uuid, kind text, tags text[])`,
        [bankId, dto.categoryId ?? null, json],
      );
      await insertFirstVersions(em, json, actor.userId);
      await this.audit.recordSet(em, actor, {
        action: 'bank_question.imported',
        entityType: 'bank_question',
        rows: `SELECT s.id AS entity_id, $2::uuid AS org_unit_id, NULL::jsonb AS before,
                      jsonb_build_object('version', 1, 'kind', s.kind, 'source', 'qti') AS after
                 FROM json_to_recordset($1::json) AS s(id uuid, kind text)`,
        params: [json, bank.owner_org_unit_id],
      });
      return report;
    });
  }
}

interface ReadItem {
  identifier: string;
  title?: string;
  tags: string[];
  question: QuestionVersion;
}

/**
 * The items of the file — a ZIP content package, or one item's XML — each checked by the bank's
 * rules; any failure refuses the whole file (400 QTI_FILE_INVALID, every failure in details).
 */
function readItems(file: UploadedQtiFile): ReadItem[] {
  const zip = file.buffer.subarray(0, 2).toString('latin1') === 'PK';
  let read: (QtiItem & { tags: string[] })[];
  if (zip) {
    const result = fromQtiPackage(file.buffer);
    if ('details' in result) throw new DomainError('QTI_FILE_INVALID', {}, result.details);
    read = result.items;
  } else {
    const result = fromQtiItem(file.buffer.toString('utf8'));
    if ('details' in result) throw new DomainError('QTI_FILE_INVALID', {}, result.details);
    read = [{ ...result.question, tags: [] }];
  }
  if (read.length === 0) {
    throw new DomainError('QTI_FILE_INVALID', {}, [
      detail('file', 'Gói QTI không có câu hỏi nào.', 'The QTI package holds no item.'),
    ]);
  }
  if (read.length > MAX_IMPORTED) {
    throw new DomainError('QTI_FILE_INVALID', {}, [
      detail(
        'file',
        `Gói QTI có quá ${MAX_IMPORTED} câu hỏi.`,
        `The QTI package holds more than ${MAX_IMPORTED} items.`,
      ),
    ]);
  }
  const details: AnyDetail[] = [];
  const items: ReadItem[] = [];
  read.forEach((item, i) => {
    const checked = validateQuestion(
      { prompt: item.prompt, points: item.points, body: item.body },
      `items[${i}].body`,
    );
    if ('details' in checked) {
      details.push(
        ...checked.details.map((d) => ({ ...d, field: `${item.identifier}: ${d.field}` })),
      );
      return;
    }
    const tags = [...new Set(item.tags.map((t) => nfc(t).slice(0, 50)).filter(Boolean))];
    items.push({
      identifier: item.identifier,
      title: item.title,
      tags: tags.slice(0, 20),
      question: checked.question,
    });
  });
  if (details.length) throw new DomainError('QTI_FILE_INVALID', {}, details);
  return items;
}
