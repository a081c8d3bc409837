import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { Gender, GENDERS } from '../../people/person.types';
import { POST_TYPES, PostType } from '../../posts/post-types';
import { NominationStatus, READINESS_LEVELS, Readiness } from '../../planning/planning.types';
import { BANDS, Band } from '../nine-box';

export const PIPELINE_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type PipelineFormat = (typeof PIPELINE_FORMATS)[number];

export const DEFAULT_MONTHS_AHEAD = 24;
export const MAX_MONTHS_AHEAD = 120;

export class PipelineQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    default: DEFAULT_MONTHS_AHEAD,
    minimum: 1,
    maximum: MAX_MONTHS_AHEAD,
    description: 'A post is at risk when its term ends or a holder retires within this horizon',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_MONTHS_AHEAD)
  monthsAhead?: number;

  @ApiPropertyOptional({ enum: PIPELINE_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(PIPELINE_FORMATS)
  format?: PipelineFormat;
}

export const RISK_REASONS = ['term_end', 'retirement', 'vacant'] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

export const RISK_REASON_LABELS: Record<RiskReason, { vi: string; en: string }> = {
  term_end: { vi: 'Hết nhiệm kỳ trong thời hạn xem xét', en: 'Term ends within the horizon' },
  retirement: {
    vi: 'Người đảm nhiệm nghỉ hưu trong thời hạn xem xét',
    en: 'A holder retires within the horizon',
  },
  vacant: { vi: 'Chức danh đang khuyết người', en: 'Nobody holds the post' },
};

export class PipelineHolderDto {
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: GENDERS, nullable: true }) gender: Gender | null;
  @ApiProperty({ nullable: true, type: String }) birthDate: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Statutory retirement date: the last day of the month the holder reaches the retirement ' +
      'age of their birth month (Labour Code 2019 roadmap, Decree 135/2020)',
  })
  retirementDate: string | null;
  @ApiProperty() appointmentStartDate: string;
}

export class PipelineNomineeDto {
  @ApiProperty() nominationId: string;
  @ApiProperty() cycleId: string;
  @ApiProperty() personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: READINESS_LEVELS }) readiness: Readiness;
  @ApiProperty({ example: 'Sẵn sàng ngay' }) readinessLabel: string;
  @ApiProperty({ enum: ['proposed', 'approved'] }) status: NominationStatus;
  @ApiProperty({ example: 'Đã phê duyệt' }) statusLabel: string;
}

export class NomineesByReadinessDto {
  @ApiProperty({ type: [PipelineNomineeDto] }) readyNow: PipelineNomineeDto[];
  @ApiProperty({ type: [PipelineNomineeDto] }) ready1To2Years: PipelineNomineeDto[];
  @ApiProperty({ type: [PipelineNomineeDto] }) ready3PlusYears: PipelineNomineeDto[];
}

export class PipelineUnitRefDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class PipelinePostDto {
  @ApiProperty() postId: string;
  @ApiProperty({ enum: POST_TYPES }) postType: PostType;
  @ApiProperty() title: string;
  @ApiProperty({ type: PipelineUnitRefDto }) orgUnit: PipelineUnitRefDto;
  @ApiProperty({ type: [PipelineHolderDto] }) holders: PipelineHolderDto[];
  @ApiProperty({ nullable: true, type: String, description: "End of the unit's current term" })
  termEnd: string | null;
  @ApiProperty({ type: NomineesByReadinessDto }) nominees: NomineesByReadinessDto;
  @ApiProperty({ description: 'Ready-now nominees' }) benchStrength: number;
  @ApiProperty() atRisk: boolean;
  @ApiProperty({ enum: RISK_REASONS, isArray: true }) riskReasons: RiskReason[];
  @ApiProperty({ type: [String], description: 'The risk reasons in words, in the same order' })
  riskReasonLabels: string[];
}

export class RatioDto {
  @ApiProperty() count: number;
  @ApiProperty({ description: 'count / nominees, 0 when there are none' }) ratio: number;
  @ApiProperty() target: number;
  @ApiProperty() met: boolean;
}

export class PipelineSummaryDto {
  @ApiProperty() keyPosts: number;
  @ApiProperty({ description: 'Key posts with at least one ready-now nominee' })
  coveredPosts: number;
  @ApiProperty({ description: 'coveredPosts / keyPosts (0 without key posts)' }) coverage: number;
  @ApiProperty() atRiskPosts: number;
  @ApiProperty({ description: 'Distinct people nominated for the key posts' }) nominees: number;
  @ApiProperty({ type: RatioDto }) women: RatioDto;
  @ApiProperty({ type: RatioDto, description: 'Under 40 on the report date' }) under40: RatioDto;
}

export class NineBoxCellDto {
  @ApiProperty({ enum: BANDS }) performance: Band;
  @ApiProperty({ example: 'Cao' }) performanceLabel: string;
  @ApiProperty({ enum: BANDS }) potential: Band;
  @ApiProperty({ example: 'Trung bình' }) potentialLabel: string;
  @ApiProperty() count: number;
  @ApiProperty({
    type: [String],
    description: 'Names in Vietnamese list order, the first 20 of the box',
  })
  names: string[];
}

export class PipelineReportDto {
  @ApiProperty({ type: PipelineUnitRefDto }) orgUnit: PipelineUnitRefDto;
  @ApiProperty({ description: 'Report date (Vietnam), yyyy-MM-dd' }) asOf: string;
  @ApiProperty() monthsAhead: number;
  @ApiProperty({ type: PipelineSummaryDto }) summary: PipelineSummaryDto;
  @ApiProperty({ type: [NineBoxCellDto], description: 'Nine cells, potential high → low' })
  nineBox: NineBoxCellDto[];
  @ApiProperty({ type: [PipelinePostDto] }) items: PipelinePostDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
