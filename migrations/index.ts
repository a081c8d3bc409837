// Rewritten by `npm run migration:generate -- Name`: every migration class, oldest first.
import type { MigrationInterface } from 'typeorm';
import { Foundation1796046075179 } from './1796046075179-Foundation';
import { CoursesAssessments1796046448070 } from './1796046448070-CoursesAssessments';
import { CertificatesRecords1796046543201 } from './1796046543201-CertificatesRecords';
import { Competencies1796047343073 } from './1796047343073-Competencies';
import { PostsEvaluations1796047532583 } from './1796047532583-PostsEvaluations';
import { CourseCompetencies1796048249737 } from './1796048249737-CourseCompetencies';
import { PlanningAudit1796048299713 } from './1796048299713-PlanningAudit';
import { Rotations1796048392124 } from './1796048392124-Rotations';
import { LearningEvidence1796048491229 } from './1796048491229-LearningEvidence';
import { Programmes1796049404401 } from './1796049404401-Programmes';
import { Notifications1796049534884 } from './1796049534884-Notifications';
import { DevelopmentPlans1796051299410 } from './1796051299410-DevelopmentPlans';
import { OutboxRenderedWhenSent1796057031769 } from './1796057031769-OutboxRenderedWhenSent';
import { PipelineFacts1796057059740 } from './1796057059740-PipelineFacts';
import { CertificateLifecycle1796057814232 } from './1796057814232-CertificateLifecycle';
import { CertificateCurrentPerEnrolment1796057822958 } from './1796057822958-CertificateCurrentPerEnrolment';
import { CompletionWithoutAssessment1796480000000 } from './1796480000000-CompletionWithoutAssessment';
import { RecognisedLearning1796480000100 } from './1796480000100-RecognisedLearning';
import { RetirementRoadmap1796482000100 } from './1796482000100-RetirementRoadmap';
import { PlanningCycleOnePerTerm1796482000200 } from './1796482000200-PlanningCycleOnePerTerm';
import { RotationEarlyEndReason1796482000300 } from './1796482000300-RotationEarlyEndReason';
import { PlanningRulesWithoutFlatRetirementAge1796482000400 } from './1796482000400-PlanningRulesWithoutFlatRetirementAge';
import { NominationsByPost1796482000500 } from './1796482000500-NominationsByPost';
import { CertificateExpiry1796483000000 } from './1796483000000-CertificateExpiry';
import { AssignmentsOneLiveMembership1796484000100 } from './1796484000100-AssignmentsOneLiveMembership';
import { AssignmentsOneLiveMembershipBackfill1796484000200 } from './1796484000200-AssignmentsOneLiveMembershipBackfill';
import { AssignmentsOneLiveMembershipEnforced1796484000300 } from './1796484000300-AssignmentsOneLiveMembershipEnforced';
import { OutboxOnePendingPerDay1796484000400 } from './1796484000400-OutboxOnePendingPerDay';
import { CourseVersions1796485000000 } from './1796485000000-CourseVersions';
import { PipelineFactsRepair1796490000100 } from './1796490000100-PipelineFactsRepair';
import { RateLimitHits1796491000000 } from './1796491000000-RateLimitHits';
import { LoginThrottle1796492000000 } from './1796492000000-LoginThrottle';
import { AccountAdministration1796500000000 } from './1796500000000-AccountAdministration';
import { ProfileChangeRequests1796500100000 } from './1796500100000-ProfileChangeRequests';
import { Imports1796500200000 } from './1796500200000-Imports';
import { ImportAppointmentsAccounts1796500300000 } from './1796500300000-ImportAppointmentsAccounts';
import { QuestionBanks1796500400000 } from './1796500400000-QuestionBanks';
import { AssessmentBlueprints1796500500000 } from './1796500500000-AssessmentBlueprints';
import { ClassroomSessions1796500600000 } from './1796500600000-ClassroomSessions';
import { SessionAttendance1796500700000 } from './1796500700000-SessionAttendance';
import { SessionCalendar1796500800000 } from './1796500800000-SessionCalendar';
import { SessionNoShowIndex1796500810000 } from './1796500810000-SessionNoShowIndex';
import { SessionDaysByTime1796500850000 } from './1796500850000-SessionDaysByTime';
import { ActorChangeNotices1796500900000 } from './1796500900000-ActorChangeNotices';

export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Foundation1796046075179,
  CoursesAssessments1796046448070,
  CertificatesRecords1796046543201,
  Competencies1796047343073,
  PostsEvaluations1796047532583,
  CourseCompetencies1796048249737,
  PlanningAudit1796048299713,
  Rotations1796048392124,
  LearningEvidence1796048491229,
  Programmes1796049404401,
  Notifications1796049534884,
  DevelopmentPlans1796051299410,
  OutboxRenderedWhenSent1796057031769,
  PipelineFacts1796057059740,
  CertificateLifecycle1796057814232,
  CertificateCurrentPerEnrolment1796057822958,
  CompletionWithoutAssessment1796480000000,
  RecognisedLearning1796480000100,
  RetirementRoadmap1796482000100,
  PlanningCycleOnePerTerm1796482000200,
  RotationEarlyEndReason1796482000300,
  PlanningRulesWithoutFlatRetirementAge1796482000400,
  NominationsByPost1796482000500,
  CertificateExpiry1796483000000,
  AssignmentsOneLiveMembership1796484000100,
  AssignmentsOneLiveMembershipBackfill1796484000200,
  AssignmentsOneLiveMembershipEnforced1796484000300,
  OutboxOnePendingPerDay1796484000400,
  CourseVersions1796485000000,
  PipelineFactsRepair1796490000100,
  RateLimitHits1796491000000,
  LoginThrottle1796492000000,
  AccountAdministration1796500000000,
  ProfileChangeRequests1796500100000,
  Imports1796500200000,
  ImportAppointmentsAccounts1796500300000,
  QuestionBanks1796500400000,
  AssessmentBlueprints1796500500000,
  ClassroomSessions1796500600000,
  SessionAttendance1796500700000,
  SessionCalendar1796500800000,
  SessionNoShowIndex1796500810000,
  SessionDaysByTime1796500850000,
  ActorChangeNotices1796500900000,
];
