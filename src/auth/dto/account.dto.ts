import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { describedFormat } from '../../common/http/validation';
import { Role, ROLES } from '../roles';

export class CreateAccountDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  personId: string;

  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: 'At least 10 characters with a letter and a digit' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  @Matches(
    describedFormat(/(?=.*[A-Za-z])(?=.*[0-9])/, {
      vi: 'mật khẩu phải có ít nhất một chữ cái và một chữ số',
      en: 'the password needs at least one letter and one digit',
    }),
  )
  password: string;
}

export class GrantRoleDto {
  @ApiProperty({ enum: ROLES.filter((r) => r !== 'learner') })
  @IsIn(ROLES.filter((r) => r !== 'learner'))
  role: Exclude<Role, 'learner'>;

  @ApiProperty({ format: 'uuid', description: 'The grant covers this unit’s whole subtree' })
  @IsUUID()
  orgUnitId: string;
}

export class RoleGrantDto {
  @ApiProperty() id?: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() orgUnitId: string;
}

export class AccountDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() personId: string;
  @ApiProperty() active: boolean;
  @ApiProperty({
    enum: ['active', 'inactive', 'locked', 'invited'],
    description:
      'inactive: deactivated; invited: waiting for its password; locked: signing in held',
  })
  status: 'active' | 'inactive' | 'locked' | 'invited';
  @ApiProperty({ nullable: true, type: String, description: 'The last sign-in, or null' })
  lastSignInAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Signing in from unknown devices is held until then (wrong passwords), or null',
  })
  signInHeldUntil: string | null;
  @ApiProperty({ description: 'Wrong passwords in a row since the last sign-in' })
  failedLogins: number;
  @ApiProperty({ type: [RoleGrantDto] }) grants: RoleGrantDto[];
}

export class MeDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() person: {
    id: string;
    fullName: string;
    familyName: string;
    middleName: string | null;
    givenName: string;
    homeOrgUnitId: string;
  };
  @ApiProperty({ type: [RoleGrantDto] }) roles: RoleGrantDto[];
}
