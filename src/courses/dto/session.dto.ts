import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsNestedObject, Trim } from '../../common/http/validators';
import { describedFormat } from '../../common/http/validation';
import { PageQueryDto } from '../../common/pagination/page';
import { BOOKING_STATUSES, BookingStatus, SESSION_STATUSES, SessionStatus } from '../session.types';

/** Vietnam wall-clock time, without an offset (see session-time.ts). */
const VN_LOCAL = describedFormat(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, {
  vi: 'giờ Việt Nam dạng yyyy-MM-ddTHH:mm, ví dụ 2027-03-10T08:00',
  en: 'Vietnam time as yyyy-MM-ddTHH:mm, e.g. 2027-03-10T08:00',
});

export class SessionDayInputDto {
  @ApiProperty({ example: '2027-03-10T08:00', description: 'Start, Vietnam time (UTC+07:00)' })
  @IsString()
  @Matches(VN_LOCAL)
  startsAt: string;

  @ApiProperty({ example: '2027-03-10T16:30', description: 'End, Vietnam time; after the start' })
  @IsString()
  @Matches(VN_LOCAL)
  endsAt: string;
}

export class VenueDto {
  @ApiProperty({ example: 'Trường Cán bộ Công đoàn Hà Nội' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: '65 Quán Sứ, Hoàn Kiếm, Hà Nội' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: 'P.301', description: 'Clash checks are per venue name + room' })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  room?: string;

  @ApiProperty({ example: 40, minimum: 1, maximum: 5000 })
  @IsInt()
  @Min(1)
  @Max(5000)
  capacity: number;
}

export class CreateSessionDto {
  @ApiProperty({ example: 'Lớp K01 — đợt 1 năm 2027' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [SessionDayInputDto], description: 'One to 30 days, none overlapping' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(30)
  @IsNestedObject(() => SessionDayInputDto, { each: true })
  days: SessionDayInputDto[];

  @ApiPropertyOptional({ type: VenueDto, description: 'A venue, or onlineUrl, or both' })
  @IsOptional()
  @IsNestedObject(() => VenueDto)
  venue?: VenueDto;

  @ApiPropertyOptional({ example: 'https://meet.congdoan.vn/k01-dot1' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true })
  onlineUrl?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Instructors who are people in the system',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  instructorPersonIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['TS. Nguyễn Văn An (Trường ĐH Công đoàn)'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  externalTrainers?: string[];

  @ApiProperty({ example: '2027-02-01T08:00', description: 'Sign-up opens, Vietnam time' })
  @IsString()
  @Matches(VN_LOCAL)
  signupOpensAt: string;

  @ApiProperty({ example: '2027-03-08T17:00', description: 'Sign-up closes; before the first day' })
  @IsString()
  @Matches(VN_LOCAL)
  signupClosesAt: string;

  @ApiPropertyOptional({ example: 10, minimum: 0, maximum: 5000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5000)
  minSeats?: number;

  @ApiProperty({ example: 40, minimum: 1, maximum: 5000 })
  @IsInt()
  @Min(1)
  @Max(5000)
  maxSeats: number;

  @ApiPropertyOptional({ example: 24, minimum: 0, maximum: 720, default: 24 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  cancelCutoffHours?: number;
}

/**
 * A correction of a session: any field of its creation. Null is refused, except for the three
 * that may be emptied — venue, onlineUrl and externalTrainers, where null clears it (the
 * session must keep a venue or a link). The rules across fields and the clash check run on the
 * result.
 */
export class UpdateSessionDto extends PartialType(
  OmitType(CreateSessionDto, ['venue', 'onlineUrl', 'externalTrainers'] as const),
  { skipNullProperties: false },
) {
  @ApiPropertyOptional({
    type: VenueDto,
    nullable: true,
    description: 'A new venue, or null to remove it (then the session keeps its onlineUrl)',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsNestedObject(() => VenueDto)
  venue?: VenueDto | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://meet.congdoan.vn/k01-dot1',
    description: 'A new link, or null to remove it (then the session keeps its venue)',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true })
  onlineUrl?: string | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['TS. Nguyễn Văn An (Trường ĐH Công đoàn)'],
    description: 'The outside trainers, or null (or []) for none',
  })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  externalTrainers?: string[] | null;
}

export class SessionDayDto {
  @ApiProperty({ example: '2027-03-10T08:00:00+07:00' })
  startsAt: string;
  @ApiProperty({ example: '2027-03-10T16:30:00+07:00' })
  endsAt: string;
}

export class SessionVenueDto {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) room: string | null;
  @ApiProperty() capacity: number;
}

export class SessionDto {
  @ApiProperty() id: string;
  @ApiProperty() courseId: string;
  @ApiProperty({ example: 'K01' }) courseCode: string;
  @ApiProperty({ example: 'Nghiệp vụ chủ tịch công đoàn cơ sở' }) courseTitle: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: SESSION_STATUSES }) status: SessionStatus;
  @ApiProperty({ type: [SessionDayDto] }) days: SessionDayDto[];
  @ApiProperty({ type: SessionVenueDto, nullable: true }) venue: SessionVenueDto | null;
  @ApiProperty({ nullable: true, type: String }) onlineUrl: string | null;
  @ApiProperty({ type: [String] }) instructorPersonIds: string[];
  @ApiProperty({ type: [String] }) externalTrainers: string[];
  @ApiProperty({ example: '2027-02-01T08:00:00+07:00' }) signupOpensAt: string;
  @ApiProperty({ example: '2027-03-08T17:00:00+07:00' }) signupClosesAt: string;
  @ApiProperty() minSeats: number;
  @ApiProperty() maxSeats: number;
  @ApiProperty() cancelCutoffHours: number;
  @ApiProperty() bookedSeats: number;
  @ApiProperty() waitlisted: number;
}

export class SessionListDto {
  @ApiProperty({ type: [SessionDto] }) items: SessionDto[];
}

export class BulkBookingDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 1000,
    example: ['3f6c1a52-8e0b-4c8e-9a57-2d1f0b6e7c41'],
    description: 'People in the officer’s subtree, enrolled; booked in this order',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  personIds: string[];
}

export class MoveBookingDto {
  @ApiProperty({ format: 'uuid', description: 'Another open session of the same course' })
  @IsUUID('all')
  toSessionId: string;
}

export class BookingDto {
  @ApiProperty() id: string;
  @ApiProperty() sessionId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() personId: string;
  @ApiProperty({ example: 'Nguyễn Thị Lan' }) personName: string;
  @ApiProperty({ example: 'Lớp K01 — đợt 1 năm 2027' }) sessionTitle: string;
  @ApiProperty({ enum: BOOKING_STATUSES }) status: BookingStatus;
  @ApiProperty({ nullable: true, type: Number, description: '1-based; waitlisted only' })
  waitlistPosition: number | null;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ nullable: true, type: String }) movedToBookingId: string | null;
}

export class BookingListDto {
  @ApiProperty({ type: [BookingDto] }) items: BookingDto[];
}

export class ListBookingsQueryDto extends PageQueryDto {}

/** The calendar's month, Vietnam time, and its page. */
export class SessionCalendarQueryDto extends PageQueryDto {
  @ApiProperty({
    example: '2027-03',
    description: 'A month, yyyy-MM: the sessions with a day in it (Vietnam time)',
  })
  @IsString()
  @Matches(
    describedFormat(/^20\d{2}-(0[1-9]|1[0-2])$/, {
      vi: 'tháng dạng yyyy-MM, ví dụ 2027-03',
      en: 'a month as yyyy-MM, e.g. 2027-03',
    }),
  )
  month: string;
}
