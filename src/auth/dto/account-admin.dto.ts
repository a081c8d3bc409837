import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { PageQueryDto } from '../../common/pagination/page';
import { POST_TYPES, PostType } from '../../posts/post-types';
import { ROLES } from '../roles';
import { GrantRoleDto, RoleGrantDto } from './account.dto';

/** What an account's state reads as: deactivated first, then waiting for a password, held. */
export const ACCOUNT_STATUSES = ['active', 'inactive', 'locked', 'invited'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export class ListAccountsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Name or e-mail; diacritics optional ("nguyen thi" finds "Nguyễn Thị")',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'Holds a live grant of this role' })
  @IsOptional()
  @IsIn(ROLES)
  role?: (typeof ROLES)[number];

  @ApiPropertyOptional({
    enum: ACCOUNT_STATUSES,
    description:
      'inactive: deactivated; invited: waiting for its password; locked: signing in held ' +
      'after wrong passwords; active: none of these',
  })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES)
  status?: AccountStatus;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Last signed in before this day (Vietnam time); never signed in is left out',
  })
  @IsOptional()
  @IsIsoDateIn()
  lastSignInBefore?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last signed in on or after this day' })
  @IsOptional()
  @IsIsoDateIn()
  lastSignInAfter?: string;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiPropertyOptional({ description: "The account's e-mail; the person's own by default" })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ type: [GrantRoleDto], description: 'Roles granted with the account' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => GrantRoleDto)
  roles?: GrantRoleDto[];
}

export class InvitationResultDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() personId: string;
  @ApiProperty({ description: 'When the link sent by e-mail stops working' }) expiresAt: string;
  @ApiProperty({ type: [RoleGrantDto] }) grants: RoleGrantDto[];
}

export class BulkInvitationDto {
  @ApiProperty({ format: 'uuid', description: 'Holders of posts in this unit’s subtree' })
  @IsUUID()
  orgUnitId: string;

  @ApiPropertyOptional({ enum: POST_TYPES, default: 'chair' })
  @IsOptional()
  @IsIn(POST_TYPES)
  postType?: PostType;

  @ApiPropertyOptional({ default: false, description: 'Only count, write nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class BulkInvitationResultDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Accounts opened and links sent (or that would be)' })
  invited: number;
  @ApiProperty({ description: 'Holders without an e-mail' }) skippedNoEmail: number;
  @ApiProperty({ description: 'Holders whose e-mail another account or holder already uses' })
  skippedEmailTaken: number;
  @ApiProperty() alreadyHaveAccount: number;
}

export class DeactivateAccountDto {
  @ApiProperty({ description: 'Why (kept in the audit log)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'The token of the invitation or reset link' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;

  @ApiProperty({ description: '10 to 128 characters, not a common password, not the e-mail' })
  @IsString()
  @MaxLength(200)
  password: string;
}

export class ForgotPasswordDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;
}

/** The one answer to a forgotten password, whether or not the e-mail has an account. */
export const FORGOT_PASSWORD_ANSWER =
  'Nếu email này có tài khoản đang hoạt động, hệ thống đã gửi đường dẫn đặt lại mật khẩu (hiệu lực 1 giờ).';

export class ForgotPasswordResultDto {
  @ApiProperty({
    description: 'The same words whether or not the e-mail has an account',
  })
  message: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ description: '10 to 128 characters, not a common password, not the e-mail' })
  @IsString()
  @MaxLength(200)
  newPassword: string;
}
