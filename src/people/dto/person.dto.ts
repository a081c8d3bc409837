import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { describedFormat } from '../../common/http/validation';
import { PageQueryDto } from '../../common/pagination/page';
import { IsNationalId, IsOmittable, Trim } from '../../common/http/validators';
import { IsVietnamesePhone } from '../../common/text/phone';
import { CALENDAR_RANGE } from '../../common/dates/date-range';
import { IsIsoDateIn } from '../../common/http/date-validators';
import { Gender, GENDERS, PERSON_STATUSES, PersonStatus } from '../person.types';

// birthDate: any real day here; the service bounds it by age (422 PERSON_BIRTH_DATE_OUT_OF_RANGE).
export class CreatePersonDto {
  @ApiProperty({ example: 'Nguyễn', description: 'Họ' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  familyName: string;

  @ApiPropertyOptional({ example: 'Thị', description: 'Tên đệm', nullable: true })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(80)
  middleName?: string;

  @ApiProperty({ example: 'Hoa', description: 'Tên' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  givenName: string;

  @ApiPropertyOptional({ example: '1985-04-30' })
  @IsOptional()
  @IsIsoDateIn(CALENDAR_RANGE)
  birthDate?: string;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;

  @ApiPropertyOptional({ example: '01', description: 'Statistics-office ethnic group code 01–54' })
  @IsOptional()
  @Matches(
    describedFormat(/^(0[1-9]|[1-4][0-9]|5[0-4])$/, {
      vi: 'mã dân tộc hai chữ số từ 01 đến 54 (ví dụ 01 là dân tộc Kinh)',
      en: 'an ethnic group code of two digits from 01 to 54 (e.g. 01 for Kinh)',
    }),
  )
  ethnicityCode?: string;

  @ApiPropertyOptional({ example: '001085012345', description: 'CCCD: exactly 12 digits' })
  @IsOptional()
  @IsNationalId()
  nationalId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    example: '0912 345 678',
    nullable: true,
    description:
      'A Vietnamese mobile (0 + 9 digits, e.g. 0912 345 678 or +84 912 345 678) or landline ' +
      '(02… 11 digits, e.g. 024 3826 1234) number; spaces, dots and hyphens allowed. Stored ' +
      'normalised as dialled in Vietnam (0912345678).',
  })
  @IsOptional()
  @IsVietnamesePhone()
  phone?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  homeOrgUnitId: string;

  @ApiPropertyOptional({ enum: PERSON_STATUSES, default: 'active' })
  @IsOmittable()
  @IsIn(PERSON_STATUSES)
  status?: PersonStatus;
}

/**
 * Every field optional. null is refused for the required ones (names, home unit, status) and
 * clears the optional ones (middle name, birth date, national ID, contact details).
 */
export class UpdatePersonDto extends PartialType(CreatePersonDto, { skipNullProperties: false }) {}

export class ListPeopleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'People of this unit and its sub-units' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({
    description: 'Name; diacritics optional ("nguyen thi" finds "Nguyễn Thị")',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: PERSON_STATUSES })
  @IsOptional()
  @IsIn(PERSON_STATUSES)
  status?: PersonStatus;
}

export class PersonDto {
  @ApiProperty() id: string;
  @ApiProperty() familyName: string;
  @ApiProperty({ nullable: true }) middleName: string | null;
  @ApiProperty() givenName: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ nullable: true }) birthDate: string | null;
  @ApiProperty({ enum: GENDERS, nullable: true }) gender: Gender | null;
  @ApiProperty({ nullable: true }) ethnicityCode: string | null;
  @ApiProperty({ nullable: true, description: 'Masked (********1234) except for hr and admin' })
  nationalId: string | null;
  @ApiProperty({ nullable: true }) email: string | null;
  @ApiProperty({ nullable: true }) phone: string | null;
  @ApiProperty() homeOrgUnitId: string;
  @ApiProperty({ enum: PERSON_STATUSES }) status: PersonStatus;
}
