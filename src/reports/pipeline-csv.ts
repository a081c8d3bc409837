import { day, TableCell, TableSpec } from '../common/csv/table';
import { PipelinePostDto } from './dto/pipeline.dto';
import { dateVi } from './report-format';
import { oneLine } from '../common/text/vietnamese';

/** The key posts of the pipeline as a table (CSV and XLSX), Vietnamese header. */
export const PIPELINE_TABLE: TableSpec = {
  sheetName: 'Nguồn cán bộ',
  columns: [
    { header: 'Mã đơn vị', width: 12 },
    { header: 'Đơn vị', width: 40 },
    { header: 'Chức danh', width: 20 },
    { header: 'Người đảm nhiệm', width: 28 },
    { header: 'Ngày sinh', width: 12 },
    { header: 'Ngày nghỉ hưu', width: 14 },
    { header: 'Hết nhiệm kỳ', width: 13 },
    { header: 'Sẵn sàng ngay', width: 28 },
    { header: 'Sẵn sàng 1–2 năm', width: 28 },
    { header: 'Sẵn sàng sau 3 năm', width: 28 },
    { header: 'Số người sẵn sàng ngay', width: 12 },
    { header: 'Có nguy cơ', width: 11 },
    { header: 'Lý do', width: 30 },
  ],
};

export const PIPELINE_CSV_HEADER = PIPELINE_TABLE.columns.map((c) => c.header);

const REASONS_VI = { term_end: 'hết nhiệm kỳ', retirement: 'nghỉ hưu', vacant: 'khuyết người' };

const names = (list: { fullName: string }[]) => list.map((n) => oneLine(n.fullName)).join('; ');

/** One holder's date is a date cell; several share one text cell, split by "; ". */
function holderDates(dates: (string | null)[]): TableCell {
  return dates.length === 1 ? day(dates[0]) : dates.map(dateVi).join('; ');
}

/**
 * One row per key post: dates dd/MM/yyyy in CSV and dates in Excel, the bench strength a
 * number; several holders or nominees in one cell split by "; ".
 */
export function pipelineRow(p: PipelinePostDto): TableCell[] {
  return [
    p.orgUnit.code,
    oneLine(p.orgUnit.name),
    oneLine(p.title),
    names(p.holders),
    holderDates(p.holders.map((h) => h.birthDate)),
    holderDates(p.holders.map((h) => h.retirementDate)),
    day(p.termEnd),
    names(p.nominees.readyNow),
    names(p.nominees.ready1To2Years),
    names(p.nominees.ready3PlusYears),
    p.benchStrength,
    p.atRisk ? 'Có' : 'Không',
    p.riskReasons.map((r) => REASONS_VI[r]).join(', '),
  ];
}
