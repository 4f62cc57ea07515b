/**
 * Reads a PDF the way a viewer does, outside jest: pdf.js loads its worker with a dynamic
 * import, which jest's module sandbox refuses. Run as `tsx src/test/pdf-probe.ts <file>`; it
 * prints JSON with the number of pages, the text, and page 1 rendered as a PNG (base64).
 */
import { readFileSync } from 'node:fs';
import { PDFParse } from 'pdf-parse';

export interface PdfProbe {
  pages: number;
  text: string;
  pageTexts: string[];
  /** Page 1 at `PROBE_SCALE` pixels per point. */
  firstPagePng: string;
}

export const PROBE_SCALE = 1;

async function probe(file: string): Promise<PdfProbe> {
  const parser = new PDFParse({ data: readFileSync(file) });
  try {
    const text = await parser.getText();
    const shot = await parser.getScreenshot({ first: 1, scale: PROBE_SCALE, imageBuffer: true, imageDataUrl: false });
    const page = shot.pages[0];
    if (!page) throw new Error(`${file} has no first page to render`);
    return { pages: text.total, text: text.text, pageTexts: text.pages.map((entry) => entry.text), firstPagePng: Buffer.from(page.data).toString('base64') };
  } finally {
    await parser.destroy();
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: pdf-probe <file.pdf>');
  probe(file).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
