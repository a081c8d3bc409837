import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

/** What a completion hook learns: the enrolment that just completed, in its transaction. */
export interface CourseCompletedEvent {
  enrolmentId: string;
  personId: string;
  courseId: string;
  completedAt: Date;
  certificateId: string | null;
}

export type CompletionHook = (em: EntityManager, event: CourseCompletedEvent) => Promise<void>;

/** A course's content copied into a new draft (a new version, or a copy under a new code). */
export interface CourseCopiedEvent {
  fromCourseId: string;
  toCourseId: string;
  /**
   * Whether the copier may read the source's final assessment whole (its right answers): they
   * may change the source course. A copy by anyone else leaves the assessment out.
   */
  withAssessment: boolean;
}

export type CopyHook = (em: EntityManager, event: CourseCopiedEvent) => Promise<void>;

/**
 * A gate says why a person may not work on a course yet (a course later in an "in order" set
 * of a programme, say), or null. It runs in the caller's transaction.
 */
export type CourseGate = (
  em: EntityManager,
  subject: { personId: string; courseId: string },
) => Promise<DomainError | null>;

/**
 * The seam through which modules that build on courses (programmes, assessments, later
 * classroom sessions) take part in a learner's work and in a course's copies without the
 * courses module depending on them: they register
 * here when they start, and the courses module calls them inside its own transactions — so a
 * completion and everything it implies (programme progress, recertification expiry) commit
 * together or not at all.
 */
@Injectable()
export class CourseHooks {
  private readonly completionHooks: CompletionHook[] = [];
  private readonly gates: CourseGate[] = [];
  private readonly copyHooks: CopyHook[] = [];

  onCompleted(hook: CompletionHook): void {
    this.completionHooks.push(hook);
  }

  addGate(gate: CourseGate): void {
    this.gates.push(gate);
  }

  /** Content that other modules own (the final assessment) follows a course into its copy. */
  onCopied(hook: CopyHook): void {
    this.copyHooks.push(hook);
  }

  async copied(em: EntityManager, event: CourseCopiedEvent): Promise<void> {
    for (const hook of this.copyHooks) await hook(em, event);
  }

  async completed(em: EntityManager, event: CourseCompletedEvent): Promise<void> {
    for (const hook of this.completionHooks) await hook(em, event);
  }

  /** Throws the first gate's refusal, if any. */
  async assertOpen(em: EntityManager, personId: string, courseId: string): Promise<void> {
    for (const gate of this.gates) {
      const refusal = await gate(em, { personId, courseId });
      if (refusal) throw refusal;
    }
  }
}
