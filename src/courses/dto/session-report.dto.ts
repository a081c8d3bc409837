import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { IsOmittable } from '../../common/http/validators';
import { SESSION_STATUSES, SessionStatus } from '../session.types';

export const SHEET_FORMATS = ['pdf', 'csv', 'xlsx'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

export class AttendanceSheetQueryDto {
  @ApiPropertyOptional({
    enum: SHEET_FORMATS,
    default: 'pdf',
    description:
      'pdf: printable for signatures (A4, landscape beyond four days); csv: UTF-8 with BOM for ' +
      'Excel; xlsx: an Excel workbook with typed cells',
  })
  @IsOptional()
  @IsIn(SHEET_FORMATS)
  format?: SheetFormat;
}

export const TABLE_EXPORT_FORMATS = ['csv', 'xlsx'] as const;

export class BookingsExportQueryDto {
  @ApiPropertyOptional({ enum: TABLE_EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(TABLE_EXPORT_FORMATS)
  format?: 'csv' | 'xlsx';
}

export class SessionDayReportDto {
  @ApiProperty() dayNo: number;
  @ApiProperty({ example: '2027-03-10T08:00:00+07:00' }) startsAt: string;
  @ApiProperty({ example: '2027-03-10T16:30:00+07:00' }) endsAt: string;
  @ApiProperty() present: number;
  @ApiProperty() late: number;
  @ApiProperty() absent: number;
  @ApiProperty() excused: number;
  @ApiProperty({ description: 'Booked people with no mark for the day' }) unmarked: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '(present + late) / booked, 0 to 1; null when nobody is booked',
  })
  attendanceRate: number | null;
}

export class SessionReportDto {
  @ApiProperty() sessionId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
  @ApiProperty({ description: 'Seats (maxSeats)' }) capacity: number;
  @ApiProperty({ description: 'Bookings holding a seat now' }) booked: number;
  @ApiProperty() waitlisted: number;
  @ApiProperty({ description: 'Bookings cancelled (kept as history)' }) cancelled: number;
  @ApiProperty({ description: 'Bookings moved to another session of the course' }) moved: number;
  @ApiProperty({ type: [SessionDayReportDto] }) days: SessionDayReportDto[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Attended person-days (present or late) over booked people × days, 0 to 1; null when nobody is booked',
  })
  attendanceRate: number | null;
  @ApiProperty({
    description:
      'Booked people not marked present or late on any day and not excused on every day (see README)',
  })
  noShows: number;
}

export class NoShowQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The unit whose child units are rows; by default the caller's own unit",
  })
  @IsOmittable()
  @IsUUID('all')
  orgUnitId?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-01-01',
    description:
      'First day (yyyy-MM-dd, Vietnam) a counted session may end on; default a year before `to`',
  })
  @IsOmittable()
  @IsIsoDateIn()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    example: '2026-12-31',
    description: 'Last day (yyyy-MM-dd, Vietnam) a counted session may end on; default today',
  })
  @IsOmittable()
  @IsIsoDateIn()
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class NoShowUnitRefDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class NoShowRowDto {
  @ApiProperty({ type: NoShowUnitRefDto }) unit: NoShowUnitRefDto;
  @ApiProperty({ description: 'Bookings (person × session) of people of the unit’s subtree' })
  booked: number;
  @ApiProperty() noShows: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'noShows / booked; null when 0 booked',
  })
  rate: number | null;
}

export class NoShowReportDto {
  @ApiProperty({ type: NoShowUnitRefDto }) unit: NoShowUnitRefDto;
  @ApiProperty({ example: '2026-01-01' }) from: string;
  @ApiProperty({ example: '2026-12-31' }) to: string;
  @ApiProperty({
    type: [NoShowRowDto],
    description: 'One row per child unit, its subtree rolled up',
  })
  units: NoShowRowDto[];
  @ApiProperty({
    type: NoShowRowDto,
    description: 'The whole subtree, the chosen unit’s own people included',
  })
  total: NoShowRowDto;
}
