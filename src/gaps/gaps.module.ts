import { Module } from '@nestjs/common';
import { CompetenciesModule } from '../competencies/competencies.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { PostsModule } from '../posts/posts.module';
import { GapsController } from './gaps.controller';
import { GapsService } from './gaps.service';

/**
 * Competency gaps of a person and heatmaps of a subtree: read-only reports over the
 * competencies (versions, profiles, current levels), posts (current holders) and course links.
 */
@Module({
  imports: [CompetenciesModule, OrgUnitsModule, PeopleModule, PostsModule],
  controllers: [GapsController],
  providers: [GapsService],
  exports: [GapsService],
})
export class GapsModule {}
