import { RISK_REASON_LABELS } from '../reports/dto/pipeline.dto';
import { ROTATION_STATUS_LABELS } from '../rotations/rotation.types';
import {
  CYCLE_STATUS_LABELS,
  NOMINATION_STATUS_LABELS,
  PLANNING_WARNING_TEXTS,
  READINESS_LABELS,
  REMOVAL_REASON_LABELS,
  REVIEW_DECISION_LABELS,
  SUGGESTION_REASON_LABELS,
} from './planning-labels';

const ENGLISH = /\b(the|ready|now|years?|open|draft|submitted|approved|closed|below|target)\b/i;
const CODE = /[a-z]+_[a-z_]+|[A-Z]{2,}_[A-Z_]+/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('planning labels', () => {
  const tables = {
    READINESS_LABELS,
    CYCLE_STATUS_LABELS,
    NOMINATION_STATUS_LABELS,
    REMOVAL_REASON_LABELS,
    REVIEW_DECISION_LABELS,
    SUGGESTION_REASON_LABELS,
    PLANNING_WARNING_TEXTS,
    RISK_REASON_LABELS,
    ROTATION_STATUS_LABELS,
  };

  it('words every code in NFC Vietnamese without English or codes, and in English', () => {
    for (const [table, labels] of Object.entries(tables)) {
      for (const [code, { vi, en }] of Object.entries(
        labels as Record<string, { vi: string; en: string }>,
      )) {
        const bare = vi.replace(/\{\w+\}/g, '');
        expect({ table, code, english: ENGLISH.test(bare), code_: CODE.test(bare) }).toEqual({
          table,
          code,
          english: false,
          code_: false,
        });
        expect(vi).toBe(vi.normalize('NFC'));
        expect(en.trim()).not.toBe('');
        expect(en).not.toBe(vi);
        expect(placeholders(vi)).toEqual(placeholders(en));
      }
    }
  });

  it('names the readiness bands as the brief does', () => {
    expect(READINESS_LABELS.ready_now).toEqual({ vi: 'Sẵn sàng ngay', en: 'Ready now' });
  });
});
