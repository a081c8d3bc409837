import * as fontkit from 'fontkit';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { CERTIFICATE_FONTS, loadFont } from '../certificates/certificate-pdf';
import { projectRoot } from '../common/project-root';
import { NineBoxCellDto, PipelinePostDto, PipelineSummaryDto } from './dto/pipeline.dto';
import { Band } from './nine-box';
import { dateVi } from './report-format';
import { percentText } from '../common/text/bilingual';
import { oneLine } from '../common/text/vietnamese';

/**
 * The printable pipeline report: A4 landscape, pdfkit, Be Vietnam Pro (the certificate's font
 * files, parsed once), every label from templates/reports/pipeline.vi.hbs. The page carries the
 * subtree's summary, the nine-box counts and a table of the key posts (header repeated on
 * each page, "Trang x/y" at the foot). Pure: the same report gives the same bytes.
 */

export const PIPELINE_TEMPLATE = 'templates/reports/pipeline.vi.hbs';

/** At most this many posts are printed; the CSV export carries them all. */
export const PDF_MAX_POSTS = 500;

export const PIPELINE_PDF_FIELDS = [
  'organisation',
  'title',
  'unit',
  'meta',
  'summaryTitle',
  'keyPosts',
  'coverage',
  'atRisk',
  'nominees',
  'women',
  'under40',
  'nineBoxTitle',
  'performanceAxis',
  'potentialAxis',
  'bandHigh',
  'bandMedium',
  'bandLow',
  'tableTitle',
  'colUnit',
  'colPost',
  'colHolders',
  'colTermEnd',
  'colReadyNow',
  'colReady12',
  'colReady3',
  'colRisk',
  'vacant',
  'none',
  'riskYes',
  'riskNo',
  'reasonTermEnd',
  'reasonRetirement',
  'reasonVacant',
  'noPosts',
  'truncated',
  'footer',
  'page',
] as const;
export type PipelinePdfTexts = Record<(typeof PIPELINE_PDF_FIELDS)[number], string>;

/** What the page shows: the report of one subtree, its posts (the first PDF_MAX_POSTS). */
export interface PipelinePdfInput {
  unitName: string;
  asOf: string;
  monthsAhead: number;
  summary: PipelineSummaryDto;
  nineBox: NineBoxCellDto[];
  posts: PipelinePostDto[];
  /** Key posts in the subtree; more than posts.length prints the "… and N more" line. */
  totalPosts: number;
}

interface Resources {
  template: Handlebars.TemplateDelegate<Record<string, unknown>>;
  regular: fontkit.Font;
  bold: fontkit.Font;
}

let resources: Resources | undefined;

function pipelineResources(): Resources {
  if (resources) return resources;
  const root = projectRoot();
  const template = Handlebars.create().compile<Record<string, unknown>>(
    readFileSync(join(root, PIPELINE_TEMPLATE), 'utf8'),
    { noEscape: true, strict: true },
  );
  resources = {
    template,
    regular: loadFont(join(root, CERTIFICATE_FONTS.regular)),
    bold: loadFont(join(root, CERTIFICATE_FONTS.bold)),
  };
  return resources;
}

/** Fills the template and reads back its "key: value" lines. */
export function pipelineTexts(input: PipelinePdfInput): PipelinePdfTexts {
  const s = input.summary;
  const view: Record<string, unknown> = {
    unitName: oneLine(input.unitName),
    asOf: dateVi(input.asOf),
    monthsAhead: String(input.monthsAhead),
    keyPosts: String(s.keyPosts),
    coveredPosts: String(s.coveredPosts),
    coverage: percentText(s.coverage).vi,
    atRiskPosts: String(s.atRiskPosts),
    nominees: String(s.nominees),
    womenRatio: percentText(s.women.ratio).vi,
    womenCount: String(s.women.count),
    womenTarget: percentText(s.women.target).vi,
    womenMet: s.women.met,
    under40Ratio: percentText(s.under40.ratio).vi,
    under40Count: String(s.under40.count),
    under40Target: percentText(s.under40.target).vi,
    under40Met: s.under40.met,
    more: String(Math.max(0, input.totalPosts - input.posts.length)),
  };
  const out: Partial<PipelinePdfTexts> = {};
  for (const line of pipelineResources().template(view).split('\n')) {
    const at = line.indexOf(': ');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    if ((PIPELINE_PDF_FIELDS as readonly string[]).includes(key)) {
      out[key as keyof PipelinePdfTexts] = line
        .slice(at + 2)
        .normalize('NFC')
        .trim();
    }
  }
  const missing = PIPELINE_PDF_FIELDS.filter((f) => out[f] === undefined);
  if (missing.length) throw new Error(`${PIPELINE_TEMPLATE} lacks: ${missing.join(', ')}`);
  return out as PipelinePdfTexts;
}

const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 36;
const INK = '#1f2933';
const MUTED = '#52606d';
const BLUE = '#0d3b66';
const RED = '#9b1c1c';
const RULE = '#cbd2d9';
const HEAD_FILL = '#e4ecf5';
const RISK_FILL = '#fdecec';

/** Table columns: their label key and width (the widths add up to the printable width). */
const COLUMNS: { key: keyof PipelinePdfTexts; width: number }[] = [
  { key: 'colUnit', width: 140 },
  { key: 'colPost', width: 62 },
  { key: 'colHolders', width: 170 },
  { key: 'colTermEnd', width: 56 },
  { key: 'colReadyNow', width: 100 },
  { key: 'colReady12', width: 96 },
  { key: 'colReady3', width: 86 },
  { key: 'colRisk', width: 59.89 },
];

function nomineeNames(list: { fullName: string }[], none: string): string {
  return list.length ? list.map((n) => oneLine(n.fullName)).join('\n') : none;
}

/** The cells of one post's row, in COLUMNS order. */
function rowCells(post: PipelinePostDto, t: PipelinePdfTexts): string[] {
  const holders = post.holders.length
    ? post.holders
        .map((h) => {
          const dates = [dateVi(h.birthDate), dateVi(h.retirementDate)].filter(Boolean).join(' · ');
          return dates ? `${oneLine(h.fullName)} (${dates})` : oneLine(h.fullName);
        })
        .join('\n')
    : t.vacant;
  const reasons = post.riskReasons.map((r) =>
    r === 'term_end' ? t.reasonTermEnd : r === 'retirement' ? t.reasonRetirement : t.reasonVacant,
  );
  return [
    oneLine(post.orgUnit.name),
    oneLine(post.title),
    holders,
    post.termEnd ? dateVi(post.termEnd) : t.none,
    nomineeNames(post.nominees.readyNow, t.none),
    nomineeNames(post.nominees.ready1To2Years, t.none),
    nomineeNames(post.nominees.ready3PlusYears, t.none),
    post.atRisk ? `${t.riskYes}: ${reasons.join(', ')}` : t.riskNo,
  ];
}

export async function renderPipelinePdf(input: PipelinePdfInput): Promise<Buffer> {
  const { regular, bold } = pipelineResources();
  const texts = pipelineTexts(input);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    bufferPages: true,
    lang: 'vi-VN',
    info: {
      Title: `${texts.title} — ${oneLine(input.unitName)}`,
      Author: texts.organisation,
      Creator: 'Cadre LMS',
      Producer: 'Cadre LMS (pdfkit)',
      CreationDate: new Date(`${input.asOf}T00:00:00+07:00`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as it takes a path or a buffer (its types do not say so).
  doc.registerFont('Regular', regular as unknown as Buffer);
  doc.registerFont('Bold', bold as unknown as Buffer);

  const W = PAGE.width;
  const H = PAGE.height;
  const inner = W - 2 * MARGIN;
  const bottom = H - MARGIN - 18;

  // ── heading ──────────────────────────────────────────────────────────────────────────────
  doc.fillColor(MUTED).font('Regular').fontSize(9);
  doc.text(texts.organisation, MARGIN, MARGIN, { width: inner, align: 'center' });
  doc.fillColor(RED).font('Bold').fontSize(15);
  doc.text(texts.title, MARGIN, MARGIN + 14, { width: inner, align: 'center' });
  doc.fillColor(BLUE).font('Bold').fontSize(12);
  doc.text(texts.unit, MARGIN, MARGIN + 36, { width: inner, align: 'center' });
  doc.fillColor(MUTED).font('Regular').fontSize(9);
  doc.text(texts.meta, MARGIN, MARGIN + 54, { width: inner, align: 'center' });

  // ── summary (left) ───────────────────────────────────────────────────────────────────────
  let y = MARGIN + 78;
  const summaryWidth = 440;
  doc.fillColor(INK).font('Bold').fontSize(11).text(texts.summaryTitle, MARGIN, y);
  y += 18;
  doc.font('Regular').fontSize(9.5);
  for (const key of ['keyPosts', 'coverage', 'atRisk', 'nominees', 'women', 'under40'] as const) {
    const colour =
      (key === 'atRisk' && input.summary.atRiskPosts > 0) ||
      (key === 'women' && !input.summary.women.met) ||
      (key === 'under40' && !input.summary.under40.met)
        ? RED
        : INK;
    doc.fillColor(colour).text(`• ${texts[key]}`, MARGIN, y, { width: summaryWidth });
    y += doc.heightOfString(`• ${texts[key]}`, { width: summaryWidth }) + 3;
  }

  // ── nine-box (right): potential rows high → low, performance columns low → high ─────────
  const cellW = 62;
  const cellH = 26;
  const gridX = W - MARGIN - 3 * cellW;
  const gridY = MARGIN + 100;
  doc.fillColor(INK).font('Bold').fontSize(9.5);
  doc.text(texts.nineBoxTitle, gridX - 150, MARGIN + 78, {
    width: 3 * cellW + 150,
    align: 'right',
  });
  const bandLabel: Record<Band, string> = {
    high: texts.bandHigh,
    medium: texts.bandMedium,
    low: texts.bandLow,
  };
  const rows: Band[] = ['high', 'medium', 'low'];
  const cols: Band[] = ['low', 'medium', 'high'];
  const count = (performance: Band, potential: Band) =>
    input.nineBox.find((c) => c.performance === performance && c.potential === potential)?.count ??
    0;
  rows.forEach((potential, r) => {
    doc.fillColor(MUTED).font('Regular').fontSize(8);
    doc.text(bandLabel[potential], gridX - 64, gridY + r * cellH + 8, {
      width: 58,
      align: 'right',
    });
    cols.forEach((performance, c) => {
      const x = gridX + c * cellW;
      const top = gridY + r * cellH;
      const shade = r + (2 - c); // 0 = top right (high, high)
      doc
        .rect(x, top, cellW, cellH)
        .fillAndStroke(shade === 0 ? '#d3f0dc' : shade >= 3 ? '#fbe3e3' : '#f5f7fa', RULE);
      doc.fillColor(INK).font('Bold').fontSize(11);
      doc.text(String(count(performance, potential)), x, top + 7, {
        width: cellW,
        align: 'center',
      });
    });
  });
  cols.forEach((performance, c) => {
    doc.fillColor(MUTED).font('Regular').fontSize(8);
    doc.text(bandLabel[performance], gridX + c * cellW, gridY + 3 * cellH + 3, {
      width: cellW,
      align: 'center',
    });
  });
  doc.fillColor(MUTED).font('Regular').fontSize(7.5);
  doc.text(texts.performanceAxis, gridX, gridY + 3 * cellH + 15, {
    width: 3 * cellW,
    align: 'center',
  });
  doc.text(texts.potentialAxis, gridX - 150, gridY - 12, {
    width: 3 * cellW + 150,
    align: 'right',
  });

  // ── table of key posts ───────────────────────────────────────────────────────────────────
  y = Math.max(y, gridY + 3 * cellH + 30) + 6;
  doc.fillColor(INK).font('Bold').fontSize(11).text(texts.tableTitle, MARGIN, y);
  y += 18;
  const pad = 3;
  const header = (): void => {
    doc.font('Bold').fontSize(8);
    const h =
      Math.max(
        ...COLUMNS.map((c) => doc.heightOfString(texts[c.key], { width: c.width - 2 * pad })),
      ) +
      2 * pad;
    let x = MARGIN;
    for (const c of COLUMNS) {
      doc.rect(x, y, c.width, h).fillAndStroke(HEAD_FILL, RULE);
      doc.fillColor(BLUE).text(texts[c.key], x + pad, y + pad, { width: c.width - 2 * pad });
      x += c.width;
    }
    y += h;
  };
  header();
  if (input.posts.length === 0) {
    doc
      .fillColor(MUTED)
      .font('Regular')
      .fontSize(9)
      .text(texts.noPosts, MARGIN, y + 6);
  }
  for (const post of input.posts) {
    const cells = rowCells(post, texts);
    doc.font('Regular').fontSize(8);
    const h =
      Math.max(
        ...cells.map((text, i) => doc.heightOfString(text, { width: COLUMNS[i].width - 2 * pad })),
      ) +
      2 * pad;
    if (y + h > bottom) {
      doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
      y = MARGIN;
      header();
      doc.font('Regular').fontSize(8);
    }
    let x = MARGIN;
    cells.forEach((text, i) => {
      const width = COLUMNS[i].width;
      doc.rect(x, y, width, h).fillAndStroke(post.atRisk ? RISK_FILL : '#ffffff', RULE);
      doc
        .fillColor(i === COLUMNS.length - 1 && post.atRisk ? RED : INK)
        .text(text, x + pad, y + pad, { width: width - 2 * pad });
      x += width;
    });
    y += h;
  }
  if (input.totalPosts > input.posts.length) {
    if (y + 16 > bottom) {
      doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
      y = MARGIN;
    }
    doc
      .fillColor(MUTED)
      .font('Regular')
      .fontSize(9)
      .text(texts.truncated, MARGIN, y + 6);
  }

  // ── foot of every page ───────────────────────────────────────────────────────────────────
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const pageText = texts.page
      .replace('{page}', String(i - range.start + 1))
      .replace('{pages}', String(range.count));
    doc.fillColor(MUTED).font('Regular').fontSize(8);
    doc.text(texts.footer, MARGIN, H - MARGIN - 6, {
      width: inner - 100,
      lineBreak: false,
    });
    doc.text(pageText, W - MARGIN - 100, H - MARGIN - 6, {
      width: 100,
      align: 'right',
      lineBreak: false,
    });
  }
  doc.end();
  return done;
}
