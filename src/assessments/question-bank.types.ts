/**
 * What other modules (the portal's bank pages) may use of the question model: the kinds, the
 * partial-credit policies and the shapes of a question's body. The engine itself stays inside
 * this module; its checks are reached through QuestionBanksService.checkContent.
 */
export { BANK_QUESTION_KINDS, PARTIAL_CREDIT_POLICIES } from './questions/question-model';
export type {
  BankQuestionKind,
  ChoiceOption,
  PartialCreditPolicy,
  QuestionBody,
} from './questions/question-model';
