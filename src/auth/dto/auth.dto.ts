import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

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
}
