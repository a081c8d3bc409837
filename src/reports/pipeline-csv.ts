import { csvField } from '../training-records/transcript-csv';
import { PipelinePostDto } from './dto/pipeline.dto';
import { dateVi } from './report-format';
import { oneLine } from '../common/text/vietnamese';

export const PIPELINE_CSV_HEADER = [
  'Mã đơn vị',
  'Đơn vị',
  'Chức danh',
  'Người đảm nhiệm',
  'Ngày sinh',
  'Ngày nghỉ hưu',
  'Hết nhiệm kỳ',
  'Sẵn sàng ngay',
  'Sẵn sàng 1–2 năm',
  'Sẵn sàng sau 3 năm',
  'Số người sẵn sàng ngay',
  'Có nguy cơ',
  'Lý do',
];

const REASONS_VI = { term_end: 'hết nhiệm kỳ', retirement: 'nghỉ hưu', vacant: 'khuyết người' };

const names = (list: { fullName: string }[]) => list.map((n) => oneLine(n.fullName)).join('; ');

/** One CSV line (no line end) per key post. */
export function pipelineCsvRow(p: PipelinePostDto): string {
  return [
    p.orgUnit.code,
    oneLine(p.orgUnit.name),
    oneLine(p.title),
    names(p.holders),
    p.holders.map((h) => dateVi(h.birthDate)).join('; '),
    p.holders.map((h) => dateVi(h.retirementDate)).join('; '),
    dateVi(p.termEnd),
    names(p.nominees.readyNow),
    names(p.nominees.ready1To2Years),
    names(p.nominees.ready3PlusYears),
    String(p.benchStrength),
    p.atRisk ? 'Có' : 'Không',
    p.riskReasons.map((r) => REASONS_VI[r]).join(', '),
  ]
    .map(csvField)
    .join(',');
}

/**
 * The key posts of the pipeline as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends,
 * dates dd/MM/yyyy, Vietnamese header; several holders or nominees in one cell split by "; ".
 */
export function pipelineCsv(posts: readonly PipelinePostDto[]): string {
  const lines = [PIPELINE_CSV_HEADER.map(csvField).join(','), ...posts.map(pipelineCsvRow)];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
