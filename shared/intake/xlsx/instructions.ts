import type { LoadedMethodology } from '#domain/methodology/load';
import { groupSheetName, SHEET } from '../layout';
import { placeIndicators, profileFields } from '../placement';

export interface TemplateRegion {
  kode: string;
  nama: string;
}

/** The instructions sheet's lines, in Bahasa Indonesia (operators' language). */
export function dataInstructions(m: LoadedMethodology, region: TemplateRegion): string[] {
  const placement = placeIndicators(m);
  const lines = [
    `Templat isian ${m.name.id} — periode ${m.period}`,
    `Wilayah: ${region.nama} (kode ${region.kode})`,
    `Metodologi: ${m.id}, versi ${m.version}`,
    `Sidik metodologi: ${m.hash}`,
    '',
    'Cara mengisi',
  ];
  let step = 1;
  if (profileFields(m).length > 0)
    lines.push(
      `${step++}. Lembar "${SHEET.profile}": pilih isian setiap data profil dari daftar. Data ini menentukan kelayakan dan klaster daerah.`,
    );
  if (placement.region.length > 0)
    lines.push(
      `${step++}. Lembar "${SHEET.indicators}": satu baris per indikator. Di kolom "Isian", pilih level dari daftar sesuai keterangan level di kolom sebelah kiri; untuk indikator angka, ketik angkanya (desimal memakai koma, mis. 5,23; tanpa tanda %).`,
    );
  for (const group of m.groups)
    lines.push(
      `${step++}. Lembar "${groupSheetName(group)}": satu baris per ${group.itemLabel.id} (paling banyak ${group.maxItems}). ID harus unik (mis. INV-1). Kolom bertanda * wajib diisi. Arahkan kursor ke judul kolom indikator untuk melihat keterangan setiap level.`,
    );
  lines.push(
    `${step++}. Kolom "bukti": tulis nama berkas bukti dukung persis seperti berkas yang diunggah (mis. perda-inovasi-2023.pdf). Berkas bukti diunggah terpisah sebagai jenis "bukti".`,
    `${step++}. Indikator wajib harus diisi; indikator yang mewajibkan bukti harus mencantumkan nama berkas bukti.`,
    `${step++}. Jangan memakai rumus: rumus tidak pernah dihitung oleh sistem. Ketik nilainya langsung.`,
    `${step++}. Jangan mengganti nama lembar, judul kolom, atau baris judul. Lembar dilindungi tanpa kata sandi hanya untuk mencegah salah ketik.`,
    `${step++}. Simpan sebagai "Buku Kerja Excel (*.xlsx)", bukan .xls, .xlsm, atau .csv, lalu unggah.`,
    `${step++}. Kolom "Status verifikasi" diisi oleh tim verifikasi; biarkan kosong.`,
  );
  if (placement.survey.length > 0)
    lines.push(
      `${step++}. Survei responden diunggah terpisah memakai templat survei (lembar "${SHEET.respondents}").`,
    );
  lines.push(
    '',
    'Setiap kesalahan dilaporkan lengkap dengan lembar, baris, dan kolomnya, beserta cara memperbaikinya.',
  );
  if (m.disclaimer) lines.push('', `Catatan metodologi: ${m.disclaimer}`);
  lines.push(
    '',
    'English: fill in the yellow cells only; pick levels from the dropdowns; write evidence file names exactly as uploaded; do not use formulas or rename sheets; save as .xlsx.',
  );
  return lines;
}

export function surveyInstructions(m: LoadedMethodology, region: TemplateRegion): string[] {
  const survey = m.survey;
  const lines = [
    `Templat survei responden ${m.name.id} — periode ${m.period}`,
    `Wilayah: ${region.nama} (kode ${region.kode})`,
    `Metodologi: ${m.id}, versi ${m.version}`,
    `Sidik metodologi: ${m.hash}`,
    '',
    'Cara mengisi',
    `1. Lembar "${SHEET.respondents}": satu baris per responden. ID responden harus unik.`,
  ];
  if (survey) {
    lines.push(
      `2. Setiap butir dijawab dengan bilangan bulat ${survey.scale.min} sampai ${survey.scale.max}; kosongkan bila tidak dijawab.`,
      `3. Paling sedikit ${survey.minRespondents} responden dengan jawaban sah diperlukan agar survei dapat dinilai.`,
    );
    if (survey.roles?.length)
      lines.push(`4. Kolom "Peran": pilih salah satu dari ${survey.roles.join(', ')}.`);
  }
  lines.push(
    '',
    'Jangan memakai rumus dan jangan mengganti nama lembar atau judul kolom. Simpan sebagai .xlsx, atau ekspor sebagai CSV.',
    '',
    'English: one row per respondent, unique IDs, whole-number answers within the scale, empty when unanswered.',
  );
  return lines;
}
