import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_LOCALES,
  NOTIFICATION_STATUSES,
  NotificationCertificate,
  NotificationCourse,
  NotificationLocale,
  NotificationProgramme,
  NotificationSession,
  NotificationSessionDay,
  NotificationStatus,
} from '../notification.types';

export class OutboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  personId?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
}

export class NotificationProgrammeDto implements NotificationProgramme {
  @ApiProperty() assignmentId: string;
  @ApiProperty() programmeId: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() cycle: number;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dueOn: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) expiresOn: string | null;
}

export class NotificationCertificateDto implements NotificationCertificate {
  @ApiProperty({ format: 'uuid' }) certificateId: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
  @ApiProperty() courseCode: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty() issuerName: string;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'Last valid day' })
  validUntil: string | null;
  @ApiProperty({
    description:
      'Public verification link (the page /verify/:code; its API twin is GET /api/v1/verify/:code)',
  })
  verifyUrl: string;
  @ApiProperty({ type: String, nullable: true }) replacesSerial: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Suspension, revocation: why' })
  reason: string | null;
}

export class NotificationCourseDto implements NotificationCourse {
  @ApiProperty() enrolmentId: string;
  @ApiProperty() courseId: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) dueOn: string | null;
}

export class NotificationSessionDayDto implements NotificationSessionDay {
  @ApiProperty({ example: 1 }) dayNo: number;
  @ApiProperty({ example: '2027-03-10T01:00:00Z', description: 'UTC instant' }) startsAt: string;
  @ApiProperty({ example: '2027-03-10T04:30:00Z', description: 'UTC instant' }) endsAt: string;
}

export class NotificationSessionDto implements NotificationSession {
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty() courseCode: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty() sessionTitle: string;
  @ApiProperty({
    type: [NotificationSessionDayDto],
    description: 'Every day of the session; a reminder: the day it reminds of',
  })
  days: NotificationSessionDay[];
  @ApiProperty({ type: String, nullable: true, description: 'Venue name, room and address' })
  venue: string | null;
  @ApiProperty({ type: String, nullable: true }) onlineUrl: string | null;
  @ApiProperty({
    type: [String],
    enum: ['days', 'venue', 'onlineUrl'],
    description: 'session_changed: what changed',
  })
  changed: ('days' | 'venue' | 'onlineUrl')[];
}

export class OutboxEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) event: string;
  @ApiProperty({ format: 'date' }) eventDay: string;
  @ApiProperty({ enum: NOTIFICATION_LOCALES }) locale: string;
  @ApiProperty({ enum: ['email', 'log'] }) channel: string;
  @ApiProperty({ type: String, nullable: true }) toAddress: string | null;
  @ApiProperty() subject: string;
  @ApiProperty() bodyText: string;
  @ApiProperty({ type: [NotificationProgrammeDto] }) programmes: NotificationProgramme[];
  @ApiProperty({ type: [NotificationCertificateDto], description: 'Certificate events' })
  certificates: NotificationCertificate[];
  @ApiProperty({ type: [NotificationCourseDto], description: 'Course events (plan_enrolled)' })
  courses: NotificationCourse[];
  @ApiProperty({
    type: [NotificationSessionDto],
    description: 'Classroom session events (reminder, change, cancellation)',
  })
  sessions: NotificationSession[];
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty() nextAttemptAt: string;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true }) sentAt: string | null;
  @ApiProperty() createdAt: string;
}

export class MyNotificationDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS }) event: string;
  @ApiProperty({ format: 'date' }) eventDay: string;
  @ApiProperty({ enum: NOTIFICATION_LOCALES }) locale: string;
  @ApiProperty() subject: string;
  @ApiProperty() bodyText: string;
  @ApiProperty({ type: [NotificationProgrammeDto] }) programmes: NotificationProgramme[];
  @ApiProperty({ type: [NotificationCertificateDto], description: 'Certificate events' })
  certificates: NotificationCertificate[];
  @ApiProperty({ type: [NotificationCourseDto], description: 'Course events (plan_enrolled)' })
  courses: NotificationCourse[];
  @ApiProperty({
    type: [NotificationSessionDto],
    description: 'Classroom session events (reminder, change, cancellation)',
  })
  sessions: NotificationSession[];
  @ApiProperty({ description: 'Sent by e-mail (or to the log when no SMTP server is set)' })
  delivered: boolean;
  @ApiProperty() createdAt: string;
}

export class NotificationPreferenceDto {
  @ApiProperty({ enum: NOTIFICATION_LOCALES, description: 'Language of messages; vi by default' })
  @IsIn(NOTIFICATION_LOCALES)
  locale: NotificationLocale;
}
