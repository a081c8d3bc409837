import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { ActorChangeListener } from './actor-changes';
import { AccessGuard } from './access.guard';
import { AccountCredentialsService } from './account-credentials.service';
import { AccountsService } from './accounts.service';
import { InvitationsService } from './invitations.service';
import { AccountsController, AuthController, MeController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordService } from './password.service';
import { RateLimitModule } from './rate-limiter';
import { SessionCookieService } from './session-cookie.service';

@Module({
  imports: [
    OrgUnitsModule,
    PeopleModule,
    AuditModule,
    NotificationsModule,
    RateLimitModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // A KeyObject, made once: given a string, jsonwebtoken first tries it as a PEM public
        // key on every verify, fails, and only then makes a secret key of it — measured, that
        // exception was 30 % of the CPU of an authenticated GET under load.
        const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256', issuer: 'cadre-lms' },
          verifyOptions: { algorithms: ['HS256'], issuer: 'cadre-lms' },
        };
      },
    }),
  ],
  controllers: [AuthController, MeController, AccountsController],
  providers: [
    AuthService,
    AccountsService,
    AccountCredentialsService,
    InvitationsService,
    PasswordService,
    SessionCookieService,
    ActorChangeListener,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [
    AuthService,
    AccountsService,
    AccountCredentialsService,
    InvitationsService,
    PasswordService,
    SessionCookieService,
  ],
})
export class AuthModule {}
