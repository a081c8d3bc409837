// Rewritten by `npm run migration:generate -- Name`: every migration class, oldest first.
import type { MigrationInterface } from 'typeorm';
import { Foundation1796046075179 } from './1796046075179-Foundation';
import { CoursesAssessments1796046448070 } from './1796046448070-CoursesAssessments';

export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Foundation1796046075179,
  CoursesAssessments1796046448070,
];
