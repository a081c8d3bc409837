import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CALENDAR_RANGE } from '../../common/dates/date-range';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { Trim } from '../../common/http/validators';
import { POST_TYPES, PostType } from '../post-types';
import {
  APPOINTMENT_METHODS,
  APPOINTMENT_STATUSES,
  AppointmentMethod,
  AppointmentStatus,
} from '../post.types';
import { IsNotBefore } from './date-range';

// Dates: any real day here; appointment-dates.ts bounds them (422 APPOINTMENT_DATE_OUT_OF_RANGE).
export class CreateAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  postId: string;

  @ApiPropertyOptional({ format: 'uuid', description: "A term of the post's unit" })
  @IsOptional()
  @IsUUID()
  termId?: string;

  @ApiProperty({ enum: APPOINTMENT_METHODS })
  @IsIn(APPOINTMENT_METHODS)
  method: AppointmentMethod;

  @ApiProperty({ example: '2023-07-01' })
  @IsIsoDateIn(CALENDAR_RANGE)
  startDate: string;

  @ApiPropertyOptional({
    example: '2028-06-30',
    description: 'Last day in the post (inclusive); omit while the appointment is open',
  })
  @IsOptional()
  @IsIsoDateIn(CALENDAR_RANGE)
  @IsNotBefore('startDate')
  endDate?: string;

  @ApiPropertyOptional({ description: 'Why it ended, when endDate is given' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  endReason?: string;
}

export class EndAppointmentDto {
  @ApiProperty({ example: '2026-03-31', description: 'Last day in the post (inclusive)' })
  @IsIsoDateIn(CALENDAR_RANGE)
  endDate: string;

  @ApiProperty({ example: 'Chuyển công tác' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class CancelAppointmentDto {
  @ApiProperty({ example: 'Nhập nhầm cán bộ' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class AppointmentDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() postId: string;
  @ApiProperty({ nullable: true, type: String }) termId: string | null;
  @ApiProperty({ enum: APPOINTMENT_METHODS }) method: AppointmentMethod;
  @ApiProperty() startDate: string;
  @ApiProperty({ nullable: true, type: String }) endDate: string | null;
  @ApiProperty({ enum: APPOINTMENT_STATUSES }) status: AppointmentStatus;
  @ApiProperty({ nullable: true, type: String }) endReason: string | null;
}

export class OrgUnitRefDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class TermRefDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() startDate: string;
  @ApiProperty() endDate: string;
}

export class PostRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: POST_TYPES }) postType: PostType;
  @ApiProperty() title: string;
  @ApiProperty() keyPost: boolean;
  @ApiProperty() singleHolder: boolean;
}

/** One post a person holds today. */
export class CurrentPostDto {
  @ApiProperty() appointmentId: string;
  @ApiProperty({ enum: APPOINTMENT_METHODS }) method: AppointmentMethod;
  @ApiProperty() startDate: string;
  @ApiProperty({ nullable: true, type: String }) endDate: string | null;
  @ApiProperty({ type: PostRefDto }) post: PostRefDto;
  @ApiProperty({ type: OrgUnitRefDto }) orgUnit: OrgUnitRefDto;
  @ApiProperty({ type: TermRefDto, nullable: true }) term: TermRefDto | null;
}

export class CurrentPostListDto {
  @ApiProperty({ type: [CurrentPostDto] }) items: CurrentPostDto[];
}

/** One holder of a post, in the post's history. */
export class HolderDto extends AppointmentDto {
  @ApiProperty() fullName: string;
  @ApiProperty({ nullable: true, type: TermRefDto }) term: TermRefDto | null;
}
