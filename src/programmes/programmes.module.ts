import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CoursesModule } from '../courses/courses.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { AssignmentJobsWorker } from './assignment-jobs.worker';
import { AssignmentsService } from './assignments.service';
import { ProgrammeCompletionsService } from './completions.service';
import { AssignmentsController, ProgrammesController } from './programmes.controller';
import { CourseParticipation } from './course-participation';
import { ProgrammesService } from './programmes.service';
import { ProgressService } from './progress.service';

/**
 * Programmes, assignments to audiences, the background jobs worker and progress.
 * Exports ProgrammesService (programme rules), AssignmentsService (executeRun for other
 * callers), ProgrammeCompletionsService (stamp completed_at / expires_on) and ProgressService.
 */
@Module({
  imports: [OrgUnitsModule, NotificationsModule, CoursesModule, AuditModule],
  controllers: [ProgrammesController, AssignmentsController],
  providers: [
    ProgrammesService,
    AssignmentsService,
    ProgrammeCompletionsService,
    ProgressService,
    AssignmentJobsWorker,
    CourseParticipation,
  ],
  exports: [ProgrammesService, AssignmentsService, ProgrammeCompletionsService, ProgressService],
})
export class ProgrammesModule {}
