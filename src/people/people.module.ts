import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';
import { MyProfileController, ProfileChangeRequestsController } from './profile.controller';
import { ProfileChangeRequestsService } from './profile-change-requests.service';
import { ProfileService } from './profile.service';

@Module({
  imports: [OrgUnitsModule, AuditModule, NotificationsModule],
  controllers: [PeopleController, MyProfileController, ProfileChangeRequestsController],
  providers: [PeopleService, ProfileService, ProfileChangeRequestsService],
  exports: [PeopleService, ProfileService, ProfileChangeRequestsService],
})
export class PeopleModule {}
