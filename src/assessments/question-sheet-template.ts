import type { Worksheet } from 'exceljs';
import { writeCsv } from '../common/csv/csv';
import { columnLetter } from '../common/spreadsheet/cells';
import { BANK_QUESTION_KINDS } from './questions/question-model';
import {
  exampleRows,
  KIND_GUIDE,
  KIND_WORDS,
  optionHeader,
  POLICY_WORDS,
  QUESTION_SHEET,
  QUESTION_SHEET_COLUMNS,
  SHEET_NOTES,
  SheetColumnKey,
  templateHeaders,
} from './questions/question-sheet';

/**
 * The template of the questions' spreadsheet (issue 16, item 5): the sheet "Câu hỏi" with the
 * headers (each with its hint as a comment), drop-down lists where a column takes a word, the
 * answer column kept as text (so that "1;3" stays as typed) and one example row per kind; and
 * the sheet "Hướng dẫn" with each column, each kind and the general rules. The CSV holds the
 * headers and the examples (UTF-8 with BOM, as the exports). Both are a few kilobytes.
 */

/** The rows that carry a drop-down list (far more than a file may hold). */
const LIST_ROWS = QUESTION_SHEET.maxRows + 1;
const OPTIONS_HINT =
  'Nội dung theo loại câu hỏi: phương án (một/nhiều đáp án), đáp án chấp nhận (trả lời ngắn), mục theo đúng thứ tự (sắp xếp), "vế trái => vế phải" (ghép đôi), "Tên tiêu chí: điểm" (tự luận). Điền liên tiếp từ Phương án 1.';

const LISTS: Partial<Record<SheetColumnKey, string[]>> = {
  kind: BANK_QUESTION_KINDS.map((k) => KIND_WORDS[k][0]),
  difficulty: ['1', '2', '3'],
  scoring: [...Object.values(POLICY_WORDS).map((w) => w[0]), 'Từng phần'],
  ignoreDiacritics: ['Có', 'Không'],
  caseSensitive: ['Có', 'Không'],
};

const WIDTHS: Partial<Record<SheetColumnKey, number>> = {
  kind: 14,
  prompt: 50,
  category: 24,
  tags: 24,
  answer: 12,
  patterns: 24,
};

export async function questionTemplateXlsx(): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'LMS Công đoàn';
  const sheet = book.addWorksheet(QUESTION_SHEET.sheet, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
  });
  const headers = templateHeaders();
  const columnOf = (header: string) => QUESTION_SHEET_COLUMNS.find((c) => c.header === header);
  sheet.columns = headers.map((h) => {
    const c = columnOf(h);
    return {
      width: c ? (WIDTHS[c.key] ?? Math.max(12, h.length + 4)) : 28,
      // Text cells: an answer "1;3" or "2" stays as typed, a tolerance keeps its comma.
      style: c && ['answer', 'tolerance'].includes(c.key) ? { numFmt: '@' } : {},
    };
  });
  const header = sheet.getRow(1);
  headers.forEach((h, i) => {
    const c = columnOf(h);
    const cell = header.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.numFmt = 'General';
    cell.note = c ? (c.required ? `(Bắt buộc) ${c.hint}` : c.hint) : OPTIONS_HINT;
  });
  exampleRows().forEach((row, r) => {
    const line = sheet.getRow(r + 2);
    row.forEach((v, i) => (line.getCell(i + 1).value = v));
    line.alignment = { vertical: 'top', wrapText: true };
  });
  // exceljs keeps validations per address; a range key is written as one sqref.
  const validations = (
    sheet as unknown as { dataValidations: { add(address: string, v: unknown): void } }
  ).dataValidations;
  headers.forEach((h, i) => {
    const c = columnOf(h);
    const words = c && LISTS[c.key];
    if (!c || !words) return;
    const letter = columnLetter(i + 1);
    validations.add(`${letter}2:${letter}${LIST_ROWS}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${words.join(',')}"`],
      showErrorMessage: true,
      // A warning only: the import reads other spellings too (without diacritics, codes).
      errorStyle: 'warning',
      errorTitle: h,
      error: `Chọn một giá trị trong danh sách: ${words.join('; ')}`,
    });
  });
  addGuide(book.addWorksheet(QUESTION_SHEET.guideSheet));
  return Buffer.from(await book.xlsx.writeBuffer());
}

function addGuide(sheet: Worksheet): void {
  sheet.columns = [26, 12, 34, 90].map((width) => ({ width }));
  const title = (text: string) => {
    sheet.addRow([]);
    sheet.addRow([text]).font = { bold: true, size: 12 };
  };
  const row = (cells: string[], bold = false) => {
    const r = sheet.addRow(cells);
    r.alignment = { wrapText: true, vertical: 'top' };
    if (bold) r.font = { bold: true };
  };
  sheet.addRow(['Hướng dẫn nhập câu hỏi vào ngân hàng từ bảng tính']).font = {
    bold: true,
    size: 14,
  };
  title('Cách dùng');
  for (const note of SHEET_NOTES) row(['', '', '', note]);
  title('Các cột');
  row(['Cột', 'Bắt buộc', 'Dùng cho loại', 'Cách ghi'], true);
  const kindsOf = (kinds: readonly string[]) =>
    kinds.length === BANK_QUESTION_KINDS.length
      ? 'Mọi loại'
      : kinds.map((k) => KIND_WORDS[k as keyof typeof KIND_WORDS][0]).join(', ');
  for (const c of QUESTION_SHEET_COLUMNS) {
    row([c.header, c.required ? 'Có' : 'Không', kindsOf(c.kinds), c.hint]);
    if (c.key === 'difficulty') {
      row([
        `${optionHeader(1)} … ${optionHeader(QUESTION_SHEET.templateOptions)}`,
        'Không',
        'Mọi loại trừ Đúng/Sai và Số',
        `${OPTIONS_HINT} Có thể thêm cột đến ${optionHeader(QUESTION_SHEET.maxOptions)}.`,
      ]);
    }
  }
  title('Các loại câu hỏi');
  row(['Loại', 'Mã', 'Cũng ghi được', 'Cách điền'], true);
  for (const k of BANK_QUESTION_KINDS) {
    row([KIND_WORDS[k][0], k, KIND_WORDS[k].slice(1).join(', '), KIND_GUIDE[k]]);
  }
}

/** The CSV template: the headers and the examples, UTF-8 with BOM, CRLF, for Excel. */
export function questionTemplateCsv(): Buffer {
  return Buffer.from(writeCsv([templateHeaders(), ...exampleRows()]), 'utf8');
}
