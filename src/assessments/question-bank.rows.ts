import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { catalogueScopeRaw } from '../auth/catalogue-scope';
import { DomainError } from '../common/errors/domain-error';
import { nfc } from '../common/text/vietnamese';
import {
  BankQuestionDto,
  BankQuestionStatus,
  QuestionBankDto,
  QuestionBankStatus,
} from './dto/question-bank.dto';
import { validateQuestion } from './questions/question-grading';
import { BankQuestionKind, QuestionVersion } from './questions/question-model';

/**
 * The rows of question banks as SQL reads them and as the API answers them, the scope rule of a
 * bank, and what every writer of questions shares (the service, the QTI and spreadsheet
 * imports): content checked and put in NFC, tags cleaned, first versions written set-based.
 */

export interface BankRow {
  id: string;
  owner_org_unit_id: string;
  owner_name: string;
  name: string;
  description: string | null;
  status: QuestionBankStatus;
  question_count: number;
  writable: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface QuestionRow {
  id: string;
  bank_id: string;
  category_id: string | null;
  category_name: string | null;
  kind: BankQuestionKind;
  difficulty: number;
  tags: string[];
  competency_lineage_id: string | null;
  status: BankQuestionStatus;
  version: number;
  version_id: string;
  prompt: string;
  points: number;
  body: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  /** The keyset position: created_at in UTC with microseconds. */
  at_key: string;
}

export const QUESTION_COLUMNS = `q.id, q.bank_id, q.category_id, c.name AS category_name, q.kind,
  q.difficulty, q.tags, q.competency_lineage_id, q.status, v.version, v.id AS version_id,
  v.prompt, v.points, v.body, q.created_at, q.updated_at,
  to_char(q.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key`;
export const QUESTION_FROM = `bank_questions q
  JOIN bank_question_versions v ON v.question_id = q.id AND v.version = q.current_version
  LEFT JOIN question_categories c ON c.id = q.category_id`;

/** Every string of a JSON value in NFC, so that a decomposed "ộ" is stored as the one letter. */
export function nfcDeep(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(nfcDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcDeep(v)]));
  }
  return value;
}

export const cleanTags = (tags: string[]) => [...new Set(tags.map((t) => nfc(t)).filter(Boolean))];

/**
 * Which banks an officer may see, over the owner unit's path `o.path` and `b.status`: 'write'
 * inside the training:manage subtree; 'use' inside the training:read one, or an active bank of
 * a unit above (a national bank is drawn from by every federation).
 */
export function bankScope(
  actor: Actor,
  mode: 'write' | 'use',
  start: number,
): { sql: string; params: string[] } {
  return catalogueScopeRaw(
    actor,
    mode === 'write' ? 'training:manage' : 'training:read',
    start,
    mode === 'write' ? null : `b.status = 'active'`,
  );
}

/** A version's content checked by the grading engine's rules, its texts in NFC first. */
export function checkContent(content: { prompt: string; points: unknown; body: object }) {
  return validateQuestion(
    nfcDeep({ prompt: content.prompt.trim(), points: content.points, body: content.body }),
  );
}

/** The content of a create or a revision, checked whole (400 with every failure) and in NFC. */
export function checkedContent(dto: {
  prompt: string;
  points: number;
  body: object;
}): QuestionVersion {
  const checked = checkContent(dto);
  if ('details' in checked) throw new DomainError('VALIDATION_FAILED', {}, checked.details);
  return checked.question;
}

export function placing(q: QuestionRow) {
  return {
    categoryId: q.category_id,
    tags: q.tags,
    difficulty: q.difficulty,
    competencyLineageId: q.competency_lineage_id,
    status: q.status,
  };
}

export function toBankDto(b: BankRow, categories: QuestionBankDto['categories']): QuestionBankDto {
  return {
    id: b.id,
    ownerOrgUnitId: b.owner_org_unit_id,
    ownerName: b.owner_name,
    name: b.name,
    description: b.description,
    status: b.status,
    questionCount: b.question_count,
    writable: b.writable,
    categories,
    createdAt: new Date(b.created_at).toISOString(),
    updatedAt: new Date(b.updated_at).toISOString(),
  };
}

export function toQuestionDto(r: QuestionRow): BankQuestionDto {
  return {
    id: r.id,
    bankId: r.bank_id,
    categoryId: r.category_id,
    categoryName: r.category_name,
    kind: r.kind,
    difficulty: r.difficulty,
    tags: r.tags,
    competencyLineageId: r.competency_lineage_id,
    status: r.status,
    version: r.version,
    versionId: r.version_id,
    prompt: r.prompt,
    points: r.points,
    body: r.body,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/**
 * Version 1 of new questions, from the JSON array of an import (objects with id, prompt, points,
 * body), in one INSERT … SELECT.
 */
export async function insertFirstVersions(
  em: EntityManager,
  json: string,
  userId: string | null,
): Promise<void> {
  await em.query(
    `INSERT INTO bank_question_versions (question_id, version, prompt, points, body,
                                         created_by_user_id)
     SELECT s.id, 1, s.prompt, s.points, s.body, $2
       FROM json_to_recordset($1::json) AS s(id uuid, prompt text, points int, body jsonb)`,
    [json, userId],
  );
}
