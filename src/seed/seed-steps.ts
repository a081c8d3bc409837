import { seedQuestionBanks } from '../assessments/question-banks.seed';
import { seedCompetencies } from '../competencies/competencies.seed';
import { seedCourseCompetencies } from '../courses/course-competencies.seed';
import { seedCourses } from '../courses/courses.seed';
import { seedEvaluations } from '../evaluations/evaluations.seed';
import { seedPlanning } from '../planning/planning.seed';
import { seedPosts } from '../posts/posts.seed';
import { seedProgrammes } from '../programmes/programmes.seed';
import { seedRotations } from '../rotations/rotations.seed';
import type { SeedStep } from './demo-seed';

/** Demo data of the feature modules, run after the union tree, people and accounts. */
export const DEMO_SEED_STEPS: SeedStep[] = [
  seedCourses,
  seedPosts,
  seedEvaluations,
  seedCompetencies,
  seedCourseCompetencies,
  seedProgrammes,
  seedPlanning,
  // After the planning seed: the rotating cadre is an approved nominee of its union's cycle.
  seedRotations,
  seedQuestionBanks,
];
