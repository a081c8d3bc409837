import {
  AnswerEntity,
  AssessmentEntity,
  AttemptEntity,
  QuestionEntity,
} from '../assessments/assessment.entities';
import { AuthSessionEntity } from '../auth/auth-session.entity';
import { RefreshTokenEntity } from '../auth/refresh-token.entity';
import { RoleGrantEntity } from '../auth/role-grant.entity';
import { UserAccountEntity } from '../auth/user-account.entity';
import {
  CertificateEntity,
  CertificatePdfEntity,
  CertificateSerialCounterEntity,
} from '../certificates/certificate.entity';
import {
  CompetencyDomainEntity,
  CompetencyEntity,
  CompetencyIndicatorEntity,
  CompetencyRatingEntity,
  FrameworkEntity,
  FrameworkLevelEntity,
  FrameworkVersionEntity,
  RoleProfileEntity,
  RoleProfileRequirementEntity,
} from '../competencies/competency.entities';
import { CourseCompetencyEntity } from '../courses/course-competencies.entity';
import {
  CourseEntity,
  EnrolmentEntity,
  LessonCompletionEntity,
  LessonEntity,
} from '../courses/course.entities';
import {
  NotificationOutboxEntity,
  NotificationPreferenceEntity,
} from '../notifications/notification.entities';
import { OrgUnitEntity } from '../org-units/org-unit.entity';
import { RecertificationTargetEntity } from '../programmes/recertification.entity';
import { PersonEntity } from '../people/person.entity';
import { ProfileChangeRequestEntity } from '../people/profile-change-request.entity';
import { AppointmentEntity, PostEntity, TermEntity } from '../posts/post.entities';
import { EvaluationEntity } from '../evaluations/evaluation.entity';
import {
  AssignmentAlsoTargetEntity,
  AssignmentJobEntity,
  AssignmentMemberEntity,
  ProgrammeAssignmentEntity,
  ProgrammeCourseSetEntity,
  ProgrammeEntity,
  ProgrammeSetCourseEntity,
} from '../programmes/programme.entities';
import {
  ExternalTrainingEntity,
  TrainingRecordEntity,
} from '../training-records/training-record.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import {
  NominationEntity,
  NominationReviewEntity,
  PlanningCycleEntity,
  PlanningCyclePostEntity,
} from '../planning/planning.entities';
import { RetirementAgeStepEntity } from '../planning/retirement.entity';
import {
  PipelineDirtyPostEntity,
  PipelineFactsStateEntity,
  PipelineNomineeFactEntity,
  PipelinePostFactEntity,
} from '../reports/pipeline-facts.entities';
import { RotationEntity } from '../rotations/rotation.entity';

/** Every entity, listed as classes (TypeORM 1 loads no globs in our setup). */
export const ENTITIES = [
  OrgUnitEntity,
  PersonEntity,
  UserAccountEntity,
  RoleGrantEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  CourseEntity,
  LessonEntity,
  EnrolmentEntity,
  LessonCompletionEntity,
  CourseCompetencyEntity,
  AssessmentEntity,
  QuestionEntity,
  AttemptEntity,
  AnswerEntity,
  CertificateEntity,
  CertificatePdfEntity,
  CertificateSerialCounterEntity,
  TrainingRecordEntity,
  ExternalTrainingEntity,
  FrameworkEntity,
  FrameworkVersionEntity,
  FrameworkLevelEntity,
  CompetencyDomainEntity,
  CompetencyEntity,
  CompetencyIndicatorEntity,
  RoleProfileEntity,
  RoleProfileRequirementEntity,
  CompetencyRatingEntity,
  PostEntity,
  TermEntity,
  AppointmentEntity,
  EvaluationEntity,
  ProgrammeEntity,
  ProgrammeCourseSetEntity,
  ProgrammeSetCourseEntity,
  ProgrammeAssignmentEntity,
  AssignmentMemberEntity,
  AssignmentAlsoTargetEntity,
  AssignmentJobEntity,
  RecertificationTargetEntity,
  NotificationOutboxEntity,
  NotificationPreferenceEntity,
  AuditEntryEntity,
  PlanningCycleEntity,
  PlanningCyclePostEntity,
  NominationEntity,
  NominationReviewEntity,
  RetirementAgeStepEntity,
  RotationEntity,
  PipelinePostFactEntity,
  PipelineNomineeFactEntity,
  PipelineDirtyPostEntity,
  PipelineFactsStateEntity,
  ProfileChangeRequestEntity,
];
