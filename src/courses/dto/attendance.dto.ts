import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { IsNestedObject } from '../../common/http/validators';
import { ATTENDANCE_STATUSES, AttendanceStatus } from '../session.types';

export class AttendanceMarkInputDto {
  @ApiProperty({ format: 'uuid', example: '3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41' })
  @IsUUID()
  personId: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status: AttendanceStatus;
}

export class MarkAttendanceDto {
  @ApiProperty({
    type: [AttendanceMarkInputDto],
    minItems: 1,
    maxItems: 1000,
    description: 'People booked on the session, each once; a later mark replaces an earlier one',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsNestedObject(() => AttendanceMarkInputDto, { each: true })
  marks: AttendanceMarkInputDto[];
}

export class AttendanceMarkDto {
  @ApiProperty() personId: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status: AttendanceStatus;
  @ApiProperty({ nullable: true, enum: ATTENDANCE_STATUSES, type: String })
  previousStatus: AttendanceStatus | null;
  @ApiProperty({ description: 'The person’s enrolment was completed by this mark' })
  completed: boolean;
}

export class AttendanceMarkListDto {
  @ApiProperty() sessionId: string;
  @ApiProperty() dayNo: number;
  @ApiProperty({ type: [AttendanceMarkDto] }) items: AttendanceMarkDto[];
}

export class CheckInCodeDto {
  @ApiProperty({ description: 'Shown as a QR code; valid this minute and the next' })
  code: string;
  @ApiProperty({ description: 'When the next code replaces it' }) rotatesAt: string;
}

export class CheckInDto {
  @ApiProperty({ description: 'The code read from the classroom’s QR code' })
  @IsString()
  @MaxLength(200)
  code: string;
}

export class CheckInResultDto {
  @ApiProperty() sessionId: string;
  @ApiProperty() dayNo: number;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status: AttendanceStatus;
  @ApiProperty({ description: 'The enrolment was completed by this check-in' })
  completed: boolean;
}

export class AttendanceSheetEntryDto {
  @ApiProperty() personId: string;
  @ApiProperty({ example: 'Nguyễn Thị Lan' }) fullName: string;
  @ApiProperty({ nullable: true, enum: ATTENDANCE_STATUSES, type: String })
  status: AttendanceStatus | null;
  @ApiProperty({ nullable: true, enum: ['officer', 'check_in'], type: String })
  source: 'officer' | 'check_in' | null;
}

export class AttendanceSheetDto {
  @ApiProperty() sessionId: string;
  @ApiProperty() dayNo: number;
  @ApiProperty({ example: '2027-03-10T08:00:00+07:00' }) startsAt: string;
  @ApiProperty({ example: '2027-03-10T16:30:00+07:00' }) endsAt: string;
  @ApiProperty({ type: [AttendanceSheetEntryDto], description: 'Everyone booked, by name' })
  items: AttendanceSheetEntryDto[];
}
