import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try {
    const result = await parser.getText();
    process.stdout.write(result.text);
  } finally {
    await parser.destroy();
  }
});
`;

/**
 * The text of a PDF as a reader's copy-paste would give it, extracted by pdf.js (the pdf-parse
 * package, pure JavaScript). It runs in a child node process: pdf.js loads its worker through a
 * dynamic import, which jest's CommonJS runtime refuses on Node 20.
 */
export function extractPdfText(pdf: Buffer): string {
  const out = execFileSync(process.execPath, ['-e', SCRIPT], {
    input: pdf,
    cwd: join(__dirname, '..', '..'),
    maxBuffer: 16 * 1024 * 1024,
  });
  return out.toString('utf8').normalize('NFC');
}
