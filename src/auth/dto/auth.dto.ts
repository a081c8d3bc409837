import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'chutich.mayhadong@lms.congdoan.test' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Demo@2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;

  @ApiPropertyOptional({
    description:
      'The deviceToken a previous sign-in on this device answered: with it, the right password ' +
      'passes a hold set by wrong passwords from elsewhere',
    example: 'Zx8Kq1pVbN4mT7rY2wE5uI9oA3sD6fG0hJ-kLcXvBn',
  })
  @IsOptional()
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  deviceToken?: string;
}

export class RefreshDto {
  @ApiProperty({ example: 'q3J9xK2mV7pL0sT4wY8zA1bC5dE6fG-hIjKlMnOpQr' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken: string;
}

export class TokensDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI…In0.9x…' })
  accessToken: string;
  @ApiProperty({ example: 'q3J9xK2mV7pL0sT4wY8zA1bC5dE6fG-hIjKlMnOpQr' }) refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiPropertyOptional({
    description:
      "Sign-in only: this device's token, to send as deviceToken at the next sign-in (keep it " +
      'like a password)',
    example: 'Zx8Kq1pVbN4mT7rY2wE5uI9oA3sD6fG0hJ-kLcXvBn',
  })
  deviceToken?: string;
}
