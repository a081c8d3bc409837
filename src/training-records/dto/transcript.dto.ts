import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class TranscriptQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class TranscriptItemDto {
  @ApiProperty({ example: 'K01' }) courseCode: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ example: '2026-12-01', description: 'Completion date (Vietnam time)' })
  completedOn: string;
  @ApiProperty({ example: 24 }) hours: number;
  @ApiProperty({
    example: 'Giỏi',
    type: String,
    nullable: true,
    description: 'null when the course had no final assessment',
  })
  grade: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'GCN-2026-000001' })
  certificateSerial: string | null;
}

export class TranscriptDto {
  @ApiProperty({ type: [TranscriptItemDto] }) items: TranscriptItemDto[];
}
