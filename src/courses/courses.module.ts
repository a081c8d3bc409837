import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TrainingRecordsModule } from '../training-records/training-records.module';
import { CourseHooks } from './course-hooks';
import { CourseCompetenciesService } from './course-competencies.service';
import { CourseLessonsService } from './course-lessons.service';
import { CourseVersionsService } from './course-versions.service';
import { CoursesController, EnrolmentsController } from './courses.controller';
import { CoursesService } from './courses.service';
import { EnrolmentsService } from './enrolments.service';
import { SessionAttendanceController } from './session-attendance.controller';
import { SessionAttendanceService } from './session-attendance.service';
import { SessionBookingsService } from './session-bookings.service';
import { CalendarFeedController, SessionIcalController } from './session-ical.controller';
import { SessionCalendarService } from './session-calendar.service';
import { SessionNotices } from './session-notices';
import { SessionReminderScheduler } from './session-reminder.scheduler';
import { SessionReportsController } from './session-reports.controller';
import { SessionReportsService } from './session-reports.service';
import { SessionSeats } from './session-seats';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { SessionIcalService } from './session-ical.service';

@Module({
  imports: [
    OrgUnitsModule,
    AuditModule,
    CertificatesModule,
    TrainingRecordsModule,
    NotificationsModule,
  ],
  controllers: [
    CoursesController,
    EnrolmentsController,
    SessionsController,
    SessionAttendanceController,
    SessionIcalController,
    CalendarFeedController,
    SessionReportsController,
  ],
  providers: [
    CoursesService,
    CourseLessonsService,
    CourseVersionsService,
    EnrolmentsService,
    CourseCompetenciesService,
    CourseHooks,
    SessionsService,
    SessionBookingsService,
    SessionSeats,
    SessionAttendanceService,
    SessionCalendarService,
    SessionIcalService,
    SessionNotices,
    SessionReminderScheduler,
    SessionReportsService,
  ],
  exports: [
    CoursesService,
    CourseLessonsService,
    CourseVersionsService,
    EnrolmentsService,
    CourseCompetenciesService,
    CourseHooks,
    SessionsService,
    SessionBookingsService,
    SessionAttendanceService,
    SessionCalendarService,
    SessionIcalService,
    SessionReportsService,
  ],
})
export class CoursesModule {}
