import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { AppointmentsService } from './appointments.service';
import { AppointmentsController, PostsController, TermsController } from './posts.controller';
import { PostsService } from './posts.service';
import { TermsService } from './terms.service';

/**
 * Posts, terms and appointments. AppointmentsService is the way other modules read and change
 * who holds which post: currentPostsOf, currentHoldersInSubtree, startAppointment, endAppointment.
 */
@Module({
  imports: [OrgUnitsModule, PeopleModule, AuditModule],
  controllers: [PostsController, TermsController, AppointmentsController],
  providers: [PostsService, TermsService, AppointmentsService],
  exports: [PostsService, AppointmentsService],
})
export class PostsModule {}
