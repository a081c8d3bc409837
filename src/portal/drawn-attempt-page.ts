import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AttemptsService } from '../assessments/attempts.service';
import { DrawnAttemptsService } from '../assessments/drawn-attempts.service';
import { AttemptDto } from '../assessments/dto/assessment.dto';
import { AuthenticatedRequest } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { Draft, drawnSections, needsSave, readResponse } from './drawn-attempt-form';
import { FormProblem, formFields, formProblem } from './forms';
import { PageRenderer } from './page-renderer';

function me(req: AuthenticatedRequest): Actor {
  if (!req.actor) throw new DomainError('UNAUTHENTICATED');
  return req.actor;
}

/** What a posted form did: how many answers it wrote, and the ones refused with why. */
interface FormOutcome {
  saved: number;
  drafts: Map<string, Draft>;
  errors: Map<string, string[]>;
}

interface PageExtra {
  problem?: FormProblem;
  flash?: string;
  drafts?: Map<string, Draft>;
  errors?: Map<string, string[]>;
}

/**
 * The learner's page of an attempt drawn from question banks (issue 16): the questions by
 * section and kind while it is open, "being marked" while an essay waits for a person, then the
 * result and, as the review policy allows, each question's outcome, right answer and feedback.
 * The routes stay LearnPagesController's (/learn/attempts/:id…); it hands drawn attempts here.
 * Each answer is saved by DrawnAttemptsService.saveResponse, as PUT /attempts/:id/responses/:q.
 */
@Injectable()
export class DrawnAttemptPage {
  constructor(
    private readonly pages: PageRenderer,
    private readonly attempts: AttemptsService,
    private readonly drawn: DrawnAttemptsService,
  ) {}

  /** POST /learn/attempts/:id/answers: the save button, and the autosave (JSON). */
  async saveAnswers(req: AuthenticatedRequest, res: Response, attempt: AttemptDto): Promise<void> {
    const json = req.accepts(['html', 'json']) === 'json';
    let outcome: FormOutcome;
    try {
      outcome = await this.saveForm(req, attempt);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      if (json) {
        res.status(problem.status).json({ message: problem.message });
        return;
      }
      return this.send(req, res, await this.attempts.view(me(req), attempt.id), { problem });
    }
    if (outcome.errors.size > 0) {
      if (json) {
        res.status(422).json({ message: this.refusal(req).message, saved: outcome.saved });
        return;
      }
      return this.sendRefused(req, res, attempt.id, outcome);
    }
    if (json) {
      res.status(200).json({ saved: outcome.saved });
      return;
    }
    res.redirect(303, `/learn/attempts/${attempt.id}?saved=1`);
  }

  /**
   * POST /learn/attempts/:id/submit: saves the form while the attempt is open, then submits.
   * A refused answer stops the submit (the learner fixes it first); after the deadline only
   * what was saved in time counts.
   */
  async submit(req: AuthenticatedRequest, res: Response, attempt: AttemptDto): Promise<void> {
    try {
      if (attempt.status === 'in_progress') {
        let outcome: FormOutcome | undefined;
        try {
          outcome = await this.saveForm(req, attempt);
        } catch (error) {
          // The time ran out between the page and the click: grade what was saved in time.
          if (!(error instanceof DomainError && error.code === 'ATTEMPT_CLOSED')) throw error;
        }
        if (outcome && outcome.errors.size > 0) {
          return await this.sendRefused(req, res, attempt.id, outcome);
        }
      }
      await this.attempts.submit(me(req), attempt.id);
    } catch (error) {
      const problem = formProblem(error, this.pages.languageOf(req));
      if (!problem) throw error;
      return this.send(req, res, await this.attempts.view(me(req), attempt.id), { problem });
    }
    res.redirect(303, `/learn/attempts/${attempt.id}`);
  }

  /** The page of a drawn attempt, in whatever state it is. */
  async send(
    req: AuthenticatedRequest,
    res: Response,
    attempt: AttemptDto,
    extra: PageExtra,
  ): Promise<void> {
    const lang = this.pages.languageOf(req);
    const items = attempt.items ?? [];
    const sections = drawnSections(
      items,
      (key, params) => this.pages.word(lang, key, params),
      extra.drafts,
      extra.errors,
    );
    // The course the attempt belongs to, for the way back: GET /me/attempts names it.
    const mine = await this.attempts.listMine(me(req), {
      assessmentId: attempt.assessmentId,
      limit: 100,
    });
    const enrolmentId = mine.items.find((a) => a.id === attempt.id)?.enrolmentId;
    const status = attempt.status;
    this.pages.send(
      req,
      res,
      'learn/drawn-attempt',
      {
        title:
          status === 'submitted'
            ? 'learn.result.title'
            : status === 'marking'
              ? 'learn.drawn.markingTitle'
              : attempt.assessmentTitle,
        attempt,
        sections,
        open: status === 'in_progress',
        expired: status === 'expired',
        marking: status === 'marking',
        submitted: status === 'submitted',
        reviewShown: items.some((i) => i.result !== null),
        noReviewKey: `learn.drawn.noReview.${attempt.reviewPolicy}`,
        answered: items.filter((i) => i.response !== null && i.response !== undefined).length,
        total: items.length,
        enrolmentId,
        minutesLeft: Math.max(0, Math.ceil((Date.parse(attempt.deadline) - Date.now()) / 60_000)),
        deadlineTime: new Date(attempt.deadline).toLocaleTimeString('vi-VN', {
          timeZone: 'Asia/Ho_Chi_Minh',
          hour: '2-digit',
          minute: '2-digit',
        }),
        problem: extra.problem,
        flash: extra.flash,
      },
      extra.problem?.status ?? 200,
    );
  }

  /** The form again with what was typed, each refusal beside its question, 422. */
  private async sendRefused(
    req: AuthenticatedRequest,
    res: Response,
    attemptId: string,
    outcome: FormOutcome,
  ): Promise<void> {
    const attempt = await this.attempts.view(me(req), attemptId);
    const lang = this.pages.languageOf(req);
    const numbers = new Map((attempt.items ?? []).map((i, n) => [i.questionId, n + 1]));
    const problem = this.refusal(req);
    problem.details = [...outcome.errors].flatMap(([questionId, messages]) =>
      messages.map((message) => ({
        field: this.pages.word(lang, 'learn.exam.question', {
          number: numbers.get(questionId) ?? '',
        }),
        message,
      })),
    );
    await this.send(req, res, attempt, {
      problem,
      drafts: outcome.drafts,
      errors: outcome.errors,
    });
  }

  private refusal(req: AuthenticatedRequest): FormProblem {
    const message = this.pages.word(this.pages.languageOf(req), 'learn.drawn.refused');
    return { status: 422, message, fields: {}, details: [] };
  }

  /**
   * Saves every question whose answer the form changed (an emptied one as "not answered"). A
   * refused answer is kept aside with its reasons and the others are still saved; a closed
   * attempt or anything else stops the whole form.
   */
  private async saveForm(req: AuthenticatedRequest, attempt: AttemptDto): Promise<FormOutcome> {
    const form = formFields(req.body);
    const lang = this.pages.languageOf(req);
    const outcome: FormOutcome = { saved: 0, drafts: new Map(), errors: new Map() };
    for (const item of attempt.items ?? []) {
      const read = readResponse(item, form);
      outcome.drafts.set(item.questionId, read.draft);
      if (read.problem) {
        outcome.errors.set(item.questionId, [this.pages.word(lang, `learn.drawn.${read.problem}`)]);
        continue;
      }
      if (!needsSave(item, read)) continue;
      try {
        await this.drawn.saveResponse(me(req), attempt.id, item.questionId, read.response ?? null);
        outcome.saved += 1;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'RESPONSE_INVALID')) throw error;
        const problem = formProblem(error, lang);
        const messages = problem?.details.map((d) => d.message) ?? [];
        outcome.errors.set(item.questionId, messages.length ? messages : [problem?.message ?? '']);
      }
    }
    return outcome;
  }
}
