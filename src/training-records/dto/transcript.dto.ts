import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  TRANSCRIPT_KINDS,
  TRANSCRIPT_RECOGNITIONS,
  TranscriptKind,
  TranscriptRecognition,
} from '../transcript-csv';

export class TranscriptQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'csv', 'xlsx'],
    default: 'json',
    description: 'csv: UTF-8 with BOM for Excel; xlsx: an Excel workbook with typed cells',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class TranscriptItemDto {
  @ApiProperty({ enum: TRANSCRIPT_KINDS }) kind: TranscriptKind;
  @ApiProperty({ example: 'K01', type: String, nullable: true, description: 'null: external' })
  courseCode: string | null;
  @ApiProperty({ description: 'The course title, or the external training title' })
  courseTitle: string;
  @ApiProperty({ type: String, nullable: true, description: 'Provider of external training' })
  provider: string | null;
  @ApiProperty({ example: '2026-12-01', description: 'Completion date (Vietnam time)' })
  completedOn: string;
  @ApiProperty({ example: 24 }) hours: number;
  @ApiProperty({ type: Number, nullable: true, example: 8.5 }) score: number | null;
  @ApiProperty({
    example: 'Giỏi',
    type: String,
    nullable: true,
    description: 'null without a final assessment, and for external training',
  })
  grade: string | null;
  @ApiProperty({
    enum: TRANSCRIPT_RECOGNITIONS,
    description:
      'rules: completed in the system; manual: prior learning recognised by an officer; ' +
      'external: verified training elsewhere',
  })
  recognition: TranscriptRecognition;
  @ApiProperty({ type: String, nullable: true, description: 'Reason or evidence note' })
  note: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'GCN-2026-000001' })
  certificateSerial: string | null;
}

export class TranscriptDto {
  @ApiProperty({ type: [TranscriptItemDto] }) items: TranscriptItemDto[];
  @ApiProperty({ example: 48, description: 'Hours of every line' }) totalHours: number;
}
