import * as fontkit from 'fontkit';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { projectRoot } from '../common/project-root';
import { decimalText } from '../common/text/bilingual';
import { oneLine } from '../common/text/vietnamese';
import { CertificateSnapshot } from './certificate.types';

/**
 * The certificate page: A4 landscape, drawn with pdfkit from the texts of
 * templates/certificates/certificate.vi.hbs, in Be Vietnam Pro (shipped by an npm package and
 * embedded as a subset), with a vector QR code of the verification URL.
 *
 * Pure: the same snapshot (and issue time) gives the same bytes — no clock, no random ids.
 */

export const CERTIFICATE_TEMPLATE = 'templates/certificates/certificate.vi.hbs';
const FONT_DIR = 'node_modules/@expo-google-fonts/be-vietnam-pro';
export const CERTIFICATE_FONTS = {
  regular: `${FONT_DIR}/400Regular/BeVietnamPro_400Regular.ttf`,
  bold: `${FONT_DIR}/700Bold/BeVietnamPro_700Bold.ttf`,
} as const;

/** The fields the template must give, in the order the page reads. */
export const CERTIFICATE_FIELDS = [
  'nation',
  'motto',
  'title',
  'certifies',
  'holder',
  'completed',
  'course',
  'details',
  'grade',
  'validity',
  'serial',
  'issued',
  'reissue',
  'issuerLabel',
  'issuer',
  'verifyHint',
  'verifyUrl',
] as const;
export type CertificateTexts = Record<(typeof CERTIFICATE_FIELDS)[number], string>;

interface Resources {
  template: Handlebars.TemplateDelegate<Record<string, string>>;
  regular: fontkit.Font;
  bold: fontkit.Font;
}

let resources: Resources | undefined;

/** Template compiled once and fonts parsed once per process; every render reuses them. */
export function certificateResources(): Resources {
  if (resources) return resources;
  const root = projectRoot();
  const handlebars = Handlebars.create();
  const template = handlebars.compile<Record<string, string>>(
    readFileSync(join(root, CERTIFICATE_TEMPLATE), 'utf8'),
    { noEscape: true, strict: true },
  );
  resources = {
    template,
    regular: loadFont(join(root, CERTIFICATE_FONTS.regular)),
    bold: loadFont(join(root, CERTIFICATE_FONTS.bold)),
  };
  return resources;
}

export function loadFont(path: string): fontkit.Font {
  return fontkit.create(readFileSync(path));
}

/** Fills the template and reads back its "key: value" lines. */
export function certificateTexts(snapshot: CertificateSnapshot): CertificateTexts {
  const view: Record<string, string> = {
    holderName: oneLine(snapshot.holderName),
    courseCode: oneLine(snapshot.courseCode),
    courseTitle: oneLine(snapshot.courseTitle),
    hours: decimalText(snapshot.hours).vi,
    attendedHours:
      snapshot.attendedHours === undefined ? '' : decimalText(snapshot.attendedHours).vi,
    score: snapshot.score === null ? '' : decimalText(snapshot.score).vi,
    grade: snapshot.grade === null ? '' : oneLine(snapshot.grade),
    issuedOn: oneLine(snapshot.issuedOn),
    issuerName: oneLine(snapshot.issuerName),
    serial: oneLine(snapshot.serial),
    verifyUrl: oneLine(snapshot.verifyUrl),
    replacesSerial: oneLine(snapshot.replacesSerial ?? ''),
    validUntil: oneLine(snapshot.validUntil ?? ''),
  };
  const out: Partial<CertificateTexts> = {};
  for (const line of certificateResources().template(view).split('\n')) {
    const at = line.indexOf(': ');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    if ((CERTIFICATE_FIELDS as readonly string[]).includes(key)) {
      out[key as keyof CertificateTexts] = line
        .slice(at + 2)
        .normalize('NFC')
        .trim();
    }
  }
  const missing = CERTIFICATE_FIELDS.filter((f) => out[f] === undefined);
  if (missing.length) throw new Error(`${CERTIFICATE_TEMPLATE} lacks: ${missing.join(', ')}`);
  return out as CertificateTexts;
}

/** Midnight of dd/MM/yyyy in Vietnam time: the PDF's creation date when no instant is given. */
function dateOfIssue(issuedOn: string): Date {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(issuedOn);
  if (!m) throw new Error(`issuedOn is not dd/MM/yyyy: ${issuedOn}`);
  return new Date(`${m[3]}-${m[2]}-${m[1]}T00:00:00+07:00`);
}

export async function renderCertificatePdf(
  snapshot: CertificateSnapshot,
  issuedAt: Date = dateOfIssue(snapshot.issuedOn),
): Promise<Buffer> {
  const { regular, bold } = certificateResources();
  const texts = certificateTexts(snapshot);
  const qr = QRCode.create(texts.verifyUrl, { errorCorrectionLevel: 'M' });
  return drawCertificate({
    texts,
    qr: qr.modules,
    fonts: { regular, bold },
    info: {
      Title: `${texts.title} ${snapshot.serial}`,
      Subject: texts.course,
      Author: texts.issuer,
      CreationDate: issuedAt,
    },
  });
}

export interface QrModules {
  size: number;
  get(row: number, col: number): number | boolean;
}

export interface DrawInput {
  texts: CertificateTexts;
  qr: QrModules;
  fonts: { regular: fontkit.Font; bold: fontkit.Font };
  info: { Title: string; Subject: string; Author: string; CreationDate: Date };
}

const PAGE = { width: 841.89, height: 595.28 };
const RED = '#9b1c1c';
const GOLD = '#c9a227';
const INK = '#1f2933';
const BLUE = '#0d3b66';

/**
 * Lays out the page. Kept apart from the template plumbing so the benchmark can time the
 * drawing alone (bare pdfkit) beside the whole renderer.
 */
export function drawCertificate(input: DrawInput): Promise<Buffer> {
  const { texts, qr, fonts } = input;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    lang: 'vi-VN',
    info: { ...input.info, Creator: 'Cadre LMS', Producer: 'Cadre LMS (pdfkit)' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as it takes a path or a buffer (its types do not say so).
  doc.registerFont('Regular', fonts.regular as unknown as Buffer);
  doc.registerFont('Bold', fonts.bold as unknown as Buffer);

  const { width: W, height: H } = PAGE;
  doc.rect(0, 0, W, H).fill('#fffdf6');
  doc
    .lineWidth(4)
    .rect(18, 18, W - 36, H - 36)
    .stroke(RED);
  doc
    .lineWidth(1.2)
    .rect(28, 28, W - 56, H - 56)
    .stroke(GOLD);

  const centred = (
    text: string,
    font: 'Regular' | 'Bold',
    size: number,
    y: number,
    color = INK,
    width = W - 200,
  ): number => {
    doc.font(font).fontSize(size);
    // A long name or title shrinks to the line rather than wrapping past the layout.
    while (size > 9 && doc.widthOfString(text) > width * 2) doc.fontSize((size -= 1));
    const options = { width, align: 'center' as const, lineGap: 2 };
    const height = doc.heightOfString(text, options);
    doc.fillColor(color).text(text, (W - width) / 2, y, options);
    return y + height;
  };
  const single = (text: string, font: 'Regular' | 'Bold', size: number, width: number) => {
    doc.font(font).fontSize(size);
    while (size > 8 && doc.widthOfString(text) > width) doc.fontSize((size -= 0.5));
  };

  centred(texts.nation, 'Bold', 13, 50);
  centred(texts.motto, 'Regular', 12, 68);
  doc
    .lineWidth(0.8)
    .moveTo(W / 2 - 80, 91)
    .lineTo(W / 2 + 80, 91)
    .stroke(INK);
  centred(texts.title, 'Bold', 40, 110, RED);
  centred(texts.certifies, 'Regular', 16, 172);
  single(texts.holder, 'Bold', 30, W - 200);
  doc
    .fillColor(BLUE)
    .text(texts.holder, 100, 198, { width: W - 200, align: 'center', lineBreak: false });
  centred(texts.completed, 'Regular', 16, 248);
  let y = centred(texts.course, 'Bold', 21, 274, BLUE, W - 220);
  y = centred(texts.details, 'Regular', 13, y + 10);
  y = centred(texts.grade, 'Bold', 16, y + 8, RED);
  // Only a certificate with an end of validity has this line; the others keep their bytes.
  if (texts.validity) centred(texts.validity, 'Regular', 13, y + 6);

  // Bottom left: serial and date. Bottom centre: issuer. Bottom right: QR.
  doc.fillColor(INK).font('Regular').fontSize(12);
  doc.text(texts.serial, 70, 462, { width: 230, lineBreak: false });
  doc.text(texts.issued, 70, 482, { width: 230, lineBreak: false });
  // Only a reissued certificate has this line; the others keep their page (and bytes) as before.
  if (texts.reissue) {
    doc.fontSize(10).text(texts.reissue, 70, 502, { width: 230, lineBreak: false });
  }
  doc.font('Regular').fontSize(12);
  doc.text(texts.issuerLabel, 250, 445, { width: 340, align: 'center' });
  doc.font('Bold').fontSize(14);
  doc.text(texts.issuer, 250, 463, { width: 340, align: 'center', lineGap: 1 });

  const qrSize = 100;
  const qrX = W - 70 - qrSize;
  const qrY = 405;
  drawQr(doc, qr, qrX, qrY, qrSize);
  single(texts.verifyHint, 'Regular', 8, W - 160);
  doc.fillColor('#52606d').text(texts.verifyHint, 80, 528, {
    width: W - 160,
    align: 'center',
    lineBreak: false,
  });
  single(texts.verifyUrl, 'Regular', 8, W - 160);
  doc.fillColor(BLUE).text(texts.verifyUrl, 80, 541, {
    width: W - 160,
    align: 'center',
    lineBreak: false,
  });

  doc.end();
  return done;
}

/** The QR as vector rectangles, one per run of dark modules in a row, filled in one go. */
export function drawQr(
  doc: PDFKit.PDFDocument,
  qr: QrModules,
  x: number,
  y: number,
  size: number,
): void {
  const quiet = 2;
  const cell = size / (qr.size + quiet * 2);
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < qr.size; row += 1) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.get(row, col)) col += 1;
      doc.rect(
        x + (quiet + start) * cell,
        y + (quiet + row) * cell,
        (col - start) * cell,
        cell + 0.01,
      );
    }
  }
  doc.fill('#000000');
}
