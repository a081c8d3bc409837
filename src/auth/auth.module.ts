import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { AccessGuard } from './access.guard';
import { AccountsService } from './accounts.service';
import { AccountsController, AuthController, MeController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordService } from './password.service';
import { RateLimiter } from './rate-limiter';

@Module({
  imports: [
    OrgUnitsModule,
    PeopleModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'cadre-lms' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'cadre-lms' },
      }),
    }),
  ],
  controllers: [AuthController, MeController, AccountsController],
  providers: [
    AuthService,
    AccountsService,
    PasswordService,
    RateLimiter,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, PasswordService, RateLimiter],
})
export class AuthModule {}
