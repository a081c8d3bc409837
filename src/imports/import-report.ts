import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { tableCsv } from '../common/csv/table';
import type { Language } from '../common/http/language';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { ImportRowDto, ImportRowsQueryDto } from './dto/import.dto';
import { IMPORT_KIND_SPECS, ImportKind } from './import-kinds.types';
import type { RowError } from './import-rows';

/**
 * Reading an import's per-row report back (the caller has checked the import is in scope):
 * the rows page by page, and the rejected rows as a file to fix and upload again.
 */

/** The per-row report, keyset paged on (kind, row). */
export async function importRowsPage(
  ds: DataSource,
  id: string,
  query: ImportRowsQueryDto,
  lang: Language,
): Promise<Page<ImportRowDto>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const cursor = decodeCursor(query.cursor, ['text', 'int']);
  const rows = await ds.query<
    { kind: ImportKind; row_no: number; outcome: ImportRowDto['outcome']; errors: RowError[] }[]
  >(
    `SELECT kind, row_no, outcome, errors FROM import_rows
        WHERE import_id = $1
          AND ($2::text IS NULL OR outcome = $2)
          AND ($3::text IS NULL OR kind = $3)
          AND ($4::text IS NULL OR (kind, row_no) > ($4::text, $5::int))
        ORDER BY kind, row_no
        LIMIT $6`,
    [
      id,
      query.outcome ?? null,
      query.kind ?? null,
      cursor?.[0] ?? null,
      cursor?.[1] ?? null,
      limit + 1,
    ],
  );
  return toPage(
    rows,
    limit,
    (r) => [r.kind, r.row_no],
    (r) => ({
      kind: r.kind,
      row: r.row_no,
      outcome: r.outcome,
      errors: r.errors.map((e) => ({
        column: e.column,
        message: lang === 'en' ? e.messageEn : e.message,
      })),
    }),
  );
}

/**
 * The rejected rows of one kind as CSV for Excel (BOM), in the file's own columns plus the
 * row number and the errors: fix them and upload the file again. Streamed in pages.
 */
export async function rejectedRowsCsv(
  ds: DataSource,
  id: string,
  kinds: ImportKind[],
  fileHeaders: Partial<Record<ImportKind, string[]>>,
  kind: ImportKind | undefined,
): Promise<{ fileName: string; stream: Readable }> {
  const [first] = await ds.query<{ kind: ImportKind }[]>(
    `SELECT kind FROM import_rows WHERE import_id = $1 AND outcome = 'error'
        ORDER BY kind LIMIT 1`,
    [id],
  );
  const chosen = kind ?? first?.kind ?? kinds[0] ?? 'people';
  const headers = fileHeaders[chosen] ?? IMPORT_KIND_SPECS[chosen].columns.map((c) => c.header);
  async function* rows() {
    let after = 0;
    for (;;) {
      const page = await ds.query<{ row_no: number; raw: string[]; errors: RowError[] }[]>(
        `SELECT row_no, raw, errors FROM import_rows
            WHERE import_id = $1 AND kind = $2 AND outcome = 'error' AND row_no > $3
            ORDER BY row_no LIMIT 1000`,
        [id, chosen, after],
      );
      for (const r of page) {
        yield [
          r.row_no,
          ...headers.map((_, i) => r.raw[i] ?? ''),
          r.errors.map((e) => `${e.column}: ${e.message}`).join('; '),
        ];
      }
      if (page.length < 1000) return;
      after = page[page.length - 1].row_no;
    }
  }
  const stream = tableCsv(
    {
      sheetName: IMPORT_KIND_SPECS[chosen].sheet,
      columns: [
        { header: 'Dòng', width: 8 },
        ...headers.map((h) => ({ header: h, width: 20 })),
        { header: 'Lỗi', width: 60 },
      ],
    },
    rows(),
  );
  return {
    fileName: `dong-loi-${IMPORT_KIND_SPECS[chosen].sheet.replace(/\s+/g, '-')}.csv`,
    stream,
  };
}
