import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsOmittable, Trim } from '../../common/http/validators';
import { IsVietnamesePhone } from '../../common/text/phone';
import { NOTIFICATION_LOCALES, NotificationLocale } from '../../notifications/notification.types';
import { Gender, GENDERS } from '../person.types';
import {
  PROFILE_CHANGE_REQUEST_STATES,
  ProfileChangeRequestState,
} from '../profile-change-request.entity';
import { PersonDto, UpdatePersonDto } from './person.dto';

/**
 * What a person corrects on their own: contact details and message preferences. Name, birth
 * date, gender and CCCD are not here (an unknown field is refused): they go to HR as a change
 * request.
 */
export class UpdateMyProfileDto {
  @ApiPropertyOptional({
    type: String,
    example: '0912 345 678',
    nullable: true,
    description:
      'A Vietnamese mobile or landline number, stored normalised (0912345678); null clears it',
  })
  @IsOptional()
  @IsVietnamesePhone()
  phone?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'email',
    example: 'hoa.nguyen@example.vn',
    nullable: true,
    description:
      'The contact e-mail of the person record (where messages go). The sign-in e-mail of the ' +
      'account is not changed by this; null clears it',
  })
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({ enum: NOTIFICATION_LOCALES, description: 'Language of messages' })
  @IsOmittable()
  @IsIn(NOTIFICATION_LOCALES)
  locale?: NotificationLocale;

  @ApiPropertyOptional({
    description:
      'Reminder e-mails (assigned, due in 7 days, overdue, recertification open); true by default',
  })
  @IsOmittable()
  @IsBoolean()
  emailNotifications?: boolean;
}

/**
 * A change of the fields HR keeps, with the same rules as the people DTOs (null clears the
 * middle name, birth date, gender or CCCD); at least one field.
 */
export class CreateProfileChangeRequestDto extends PickType(UpdatePersonDto, [
  'familyName',
  'middleName',
  'givenName',
  'birthDate',
  'gender',
  'nationalId',
] as const) {
  @ApiPropertyOptional({ example: 'Sai dấu trong tên', maxLength: 1000 })
  @IsOmittable()
  @Trim()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class ApproveProfileChangeRequestDto {
  @ApiPropertyOptional({ example: 'Đã đối chiếu với CCCD', maxLength: 1000 })
  @IsOmittable()
  @Trim()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class RejectProfileChangeRequestDto {
  @ApiProperty({ example: 'Chưa có giấy tờ chứng minh', minLength: 1, maxLength: 1000 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class ListProfileChangeRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROFILE_CHANGE_REQUEST_STATES, default: 'pending' })
  @IsOptional()
  @IsIn(PROFILE_CHANGE_REQUEST_STATES)
  state?: ProfileChangeRequestState;
}

export class ProfileValuesDto {
  @ApiPropertyOptional() familyName?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) middleName?: string | null;
  @ApiPropertyOptional() givenName?: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date' })
  birthDate?: string | null;
  @ApiPropertyOptional({ enum: GENDERS, nullable: true }) gender?: Gender | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'CCCD, 12 digits' })
  nationalId?: string | null;
}

export class ProfileChangeRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ description: 'The person’s full name now' }) personName: string;
  @ApiProperty({ format: 'uuid' }) homeOrgUnitId: string;
  @ApiProperty() homeOrgUnitName: string;
  @ApiProperty({ enum: PROFILE_CHANGE_REQUEST_STATES }) state: ProfileChangeRequestState;
  @ApiProperty({ type: ProfileValuesDto, description: 'Only the fields the request changes' })
  requested: ProfileValuesDto;
  @ApiProperty({
    type: ProfileValuesDto,
    description: 'The same fields as they are on the record now',
  })
  current: ProfileValuesDto;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'HR’s note on an approval, or the reason of a rejection',
  })
  decisionNote: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) supersededById: string | null;
}

export class NotificationSettingsDto {
  @ApiProperty({ enum: NOTIFICATION_LOCALES }) locale: NotificationLocale;
  @ApiProperty() emailNotifications: boolean;
}

export class MyProfileDto {
  @ApiProperty({ type: PersonDto, description: 'My record; my own CCCD is shown whole' })
  person: PersonDto;
  @ApiProperty({ description: 'The sign-in e-mail of my account (not changed here)' })
  signInEmail: string;
  @ApiProperty({ type: NotificationSettingsDto })
  notificationPreferences: NotificationSettingsDto;
  @ApiProperty({ type: ProfileChangeRequestDto, nullable: true })
  pendingChangeRequest: ProfileChangeRequestDto | null;
}
