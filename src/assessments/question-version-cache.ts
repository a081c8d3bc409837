import { EntityManager } from 'typeorm';
import { prepared } from '../common/sql/prepared';
import { QuestionBody } from './questions/question-model';

/** A question version as a start shows it. */
export interface VersionRow {
  question_id: string;
  version: number;
  points: number;
  prompt: string;
  body: QuestionBody;
}

/**
 * Question versions (prompt, points, body) read by this process, by question and version, at
 * most `limit` of them. A version never changes once written — an edit makes a new version —
 * so a kept one is never stale: once an exam's bank has been read, its starts read no version
 * again, and the layouts an autosave checks against share one body per version.
 */
export class QuestionVersionCache {
  private readonly kept = new Map<string, VersionRow>();

  constructor(private readonly limit = 20_000) {}

  bodyOf(questionId: string, version: number): QuestionBody | undefined {
    return this.kept.get(`${questionId}:${version}`)?.body;
  }

  /**
   * The versions a draw shows, by question id: the kept ones, the rest read in one statement
   * (in the caller's transaction) and kept.
   */
  async of(
    em: EntityManager,
    layout: readonly { questionId: string; version: number }[],
  ): Promise<Map<string, VersionRow>> {
    const key = (i: { questionId: string; version: number }) => `${i.questionId}:${i.version}`;
    const missing = layout.filter((i) => !this.kept.has(key(i)));
    if (missing.length) {
      const read = await prepared<VersionRow[]>(
        em,
        `SELECT v.question_id, v.version, v.points, v.prompt, v.body
           FROM bank_question_versions v
           JOIN unnest($1::uuid[], $2::int[]) AS x(id, version)
             ON v.question_id = x.id AND v.version = x.version`,
        [missing.map((i) => i.questionId), missing.map((i) => i.version)],
      );
      if (this.kept.size + read.length > this.limit) this.kept.clear();
      for (const v of read) this.kept.set(`${v.question_id}:${v.version}`, v);
    }
    const found = new Map<string, VersionRow>();
    for (const i of layout) {
      const v = this.kept.get(key(i));
      if (v) found.set(i.questionId, v);
    }
    return found;
  }
}
