import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';
import { neutraliseCell } from '#intake/neutralise';

/** One invitation as handed out: shown once, at issue time (only its hash is stored). */
export interface IssuedInvitation {
  name: string;
  position: string;
  category: string;
  contact?: string;
  code: string;
  link: string;
}

const csvCell = (value: string): string => {
  const safe = neutraliseCell(value);
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Mail-merge CSV (semicolon, UTF-8 with BOM so Excel reads the accents). */
export function invitationsCsv(invitations: readonly IssuedInvitation[]): string {
  const header = ['nama', 'jabatan', 'kategori', 'kontak', 'kode', 'tautan'];
  const lines = invitations.map((i) =>
    [i.name, i.position, i.category, i.contact ?? '', i.code, i.link].map(csvCell).join(';'),
  );
  return `\uFEFF${[header.join(';'), ...lines].join('\r\n')}\r\n`;
}

const A4 = { width: 595.28, height: 841.89 };
const SLIPS_PER_PAGE = 4;

/**
 * A printable A4 sheet of invitation slips (four per page, cut along the lines): who it is for, the
 * code, the link and its QR code, in Bahasa Indonesia and English. Standard PDF fonts and QR drawn
 * as rectangles: nothing is fetched or embedded from outside.
 */
export async function invitationSlipsPdf(
  invitations: readonly IssuedInvitation[],
  title: { region: string; cycle: string; closesAt: string },
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Undangan survei kepemimpinan ${title.region}`);
  pdf.setCreator('Indeks');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.CourierBold);
  const slipHeight = A4.height / SLIPS_PER_PAGE;
  let page = pdf.addPage([A4.width, A4.height]);
  invitations.forEach((inv, i) => {
    if (i > 0 && i % SLIPS_PER_PAGE === 0) page = pdf.addPage([A4.width, A4.height]);
    const top = A4.height - (i % SLIPS_PER_PAGE) * slipHeight;
    const x = 36;
    const line = (text: string, y: number, size: number, f = font) =>
      page.drawText(ascii(text), { x, y: top - y, size, font: f, color: rgb(0, 0, 0) });
    line('Survei Kepemimpinan Kepala Daerah (IKKD) / Regional Head Leadership Survey', 30, 11, bold);
    line(`${title.region} - ${title.cycle}`, 46, 9);
    line(`Untuk / For: ${inv.name} (${inv.position})`, 66, 10);
    line('Kode sekali pakai / one-time code:', 88, 9);
    line(inv.code, 110, 18, mono);
    line(`Buka / open: ${inv.link}`, 130, 8);
    line(`Berlaku sampai / valid until: ${title.closesAt}`, 146, 8);
    line('Jawaban Anda anonim: tidak tersimpan bersama nama Anda. / Your answers are anonymous.', 162, 8);
    drawQr(page, inv.link, A4.width - 36 - 120, top - 24 - 120, 120);
    page.drawLine({
      start: { x: 18, y: top - slipHeight },
      end: { x: A4.width - 18, y: top - slipHeight },
      thickness: 0.5,
      dashArray: [4, 4],
      color: rgb(0.5, 0.5, 0.5),
    });
  });
  return pdf.save();
}

type Page = ReturnType<PDFDocument['addPage']>;

function drawQr(page: Page, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++)
      if (qr.modules.get(row, col))
        page.drawRectangle({
          x: x + col * cell,
          y: y + size - (row + 1) * cell,
          width: cell,
          height: cell,
          color: rgb(0, 0, 0),
        });
}

/** The standard PDF fonts speak WinAnsi only: anything else is transliterated, never an exception. */
const ascii = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
