import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { requestIdOf } from './common/http/request-id';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditModule } from './audit/audit.module';
import { AssessmentsModule } from './assessments/assessments.module';
import { AuthModule } from './auth/auth.module';
import { ClockModule } from './common/clock/clock.module';
import { CertificatesModule } from './certificates/certificates.module';
import { CompetenciesModule } from './competencies/competencies.module';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { CoursesModule } from './courses/courses.module';
import { DatabaseModule } from './database/database.module';
import { GapsModule } from './gaps/gaps.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { ExportsModule } from './imports/exports.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { OrgUnitsModule } from './org-units/org-units.module';
import { PeopleModule } from './people/people.module';
import { PlanningModule } from './planning/planning.module';
import { PortalModule } from './portal/portal.module';
import { PostsModule } from './posts/posts.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { redactUrl } from './common/http/redact-url';
import { RecertificationModule } from './programmes/recertification.module';
import { RotationsModule } from './rotations/rotations.module';
import { ReportsModule } from './reports/reports.module';
import { SeedModule } from './seed/seed.module';
import { TrainingRecordsModule } from './training-records/training-records.module';

@Module({
  imports: [
    ConfigModule,
    ClockModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          // A caller's X-Request-Id is kept so one id follows a request across services.
          genReqId: (req: IncomingMessage, res: ServerResponse) => {
            const id = requestIdOf(req);
            res.setHeader('X-Request-Id', id);
            return id;
          },
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          // Secrets in addresses (a calendar feed's token, a QR check-in code) stay out of logs.
          serializers: {
            req: (req: { url?: string; query?: unknown }) => ({
              ...req,
              url: redactUrl(req.url),
              query: undefined,
            }),
          },
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
        },
      }),
    }),
    DatabaseModule,
    // The registry of the periodic scans' timers (common/periodic.ts).
    ScheduleModule.forRoot(),
    AuthModule,
    OrgUnitsModule,
    PeopleModule,
    CertificatesModule,
    TrainingRecordsModule,
    CoursesModule,
    AssessmentsModule,
    CompetenciesModule,
    PostsModule,
    EvaluationsModule,
    GapsModule,
    // Before ProgrammesModule: /programmes/recertification/* must route before /programmes/:id/*.
    RecertificationModule,
    ProgrammesModule,
    NotificationsModule,
    AuditModule,
    PlanningModule,
    RotationsModule,
    ReportsModule,
    ExportsModule,
    ImportsModule,
    HealthModule,
    SeedModule,
    // Last: the portal's pages use the services of every module above.
    PortalModule,
  ],
})
export class AppModule {}
