import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { PostsModule } from '../posts/posts.module';
import { DEFAULT_ROTATION_POLICY, ROTATION_POLICY } from './rotation.types';
import { RotationsController } from './rotations.controller';
import { RotationsService } from './rotations.service';

/** Rotations (luân chuyển): plans, start/complete/cancel with their appointment changes. */
@Module({
  imports: [PeopleModule, PostsModule, AuditModule],
  controllers: [RotationsController],
  providers: [
    RotationsService,
    // A copy, so that a deployment (or a test) may change its own without touching the defaults.
    { provide: ROTATION_POLICY, useFactory: () => ({ ...DEFAULT_ROTATION_POLICY }) },
  ],
  exports: [RotationsService, ROTATION_POLICY],
})
export class RotationsModule {}
