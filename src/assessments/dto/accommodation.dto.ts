import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Trim } from '../../common/http/validators';

/** Extra time and attempts for one person on one assessment, with the officer's reason. */
export class GrantAccommodationDto {
  @ApiProperty({ minimum: 0, maximum: 600, example: 15 })
  @IsInt()
  @Min(0)
  @Max(600)
  extraMinutes: number;

  @ApiProperty({ minimum: 0, maximum: 10, example: 1 })
  @IsInt()
  @Min(0)
  @Max(10)
  extraAttempts: number;

  @ApiProperty({ example: 'Thị lực kém, cần thêm thời gian đọc đề' })
  @IsString()
  @Trim()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class AccommodationDto {
  @ApiProperty() id: string;
  @ApiProperty() assessmentId: string;
  @ApiProperty() personId: string;
  @ApiProperty() personName: string;
  @ApiProperty() extraMinutes: number;
  @ApiProperty() extraAttempts: number;
  @ApiProperty() reason: string;
  @ApiProperty() grantedAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

/** A person an officer may grant an accommodation to (enrolled, in their subtree). */
export class AccommodationCandidateDto {
  @ApiProperty() personId: string;
  @ApiProperty() personName: string;
  @ApiProperty({ description: 'Their home unit' }) unitName: string;
}
