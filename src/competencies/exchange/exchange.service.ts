import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../../auth/actor';
import { DomainError, LocalizedDetail } from '../../common/errors/domain-error';
import { Language } from '../../common/http/language';
import { RawDetail, translateDetails } from '../../common/http/validation';
import { OrgUnitsService } from '../../org-units/org-units.service';
import { FrameworkEntity } from '../competency.entities';
import { FRAMEWORK_OWNER_LEVELS } from '../competency.types';
import { FrameworkDto } from '../dto/framework.dto';
import { FrameworkAuthoringService } from '../framework-authoring.service';
import { FrameworksService } from '../frameworks.service';
import { ImportCaseDto, ImportCsvDto, ImportResultDto, ImportSummaryDto } from './exchange.dto';
import { detail, ownerLevelDetail } from '../competency-details';
import { CasePackage, writeCase } from './framework-case';
import { casePath, readCase } from './framework-case-reader';
import {
  csvMessage,
  readFrameworkCsv,
  rowOfField,
  RowError,
  writeFrameworkCsv,
} from './framework-csv';
import { checkFrameworkDocument, FrameworkDocument } from './framework-document';

/** class-validator failures worded in both languages, as the filter would word them. */
function localize(raw: RawDetail[]): LocalizedDetail[] {
  const vi = translateDetails(raw, 'vi');
  return raw.map((d, i) => ({ field: d.field, vi: vi[i].message, en: d.en }));
}

/** One detail per field and wording (a package path may collect the same failure twice). */
function unique(details: LocalizedDetail[]): LocalizedDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.field}|${d.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function summaryOf(doc: FrameworkDocument): ImportSummaryDto {
  return {
    code: doc.code,
    levels: doc.version.scale.levels.length,
    domains: doc.version.domains.length,
    competencies: doc.version.competencies.length,
    indicators: doc.version.competencies.reduce((n, c) => n + c.indicators.length, 0),
  };
}

/**
 * Framework exchange: CSV import (dry run, then all or nothing), CSV export (UTF-8 with BOM,
 * the same layout), IMS CASE JSON export and import. Imports go through
 * FrameworkAuthoringService.create, so an imported framework is created exactly as POST /frameworks
 * creates one (version 1 as a draft, in one transaction) and obeys the same rules.
 */
@Injectable()
export class FrameworkExchangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly frameworks: FrameworksService,
    private readonly authoring: FrameworkAuthoringService,
    private readonly orgUnits: OrgUnitsService,
  ) {}

  /**
   * Reads and checks every row; a dry run reports them all and writes nothing. A real run with
   * any bad row answers 422 FRAMEWORK_IMPORT_INVALID naming every row, and writes nothing; a
   * clean real run creates the framework in one transaction.
   */
  async importCsv(
    actor: Actor,
    dto: ImportCsvDto,
    dryRun: boolean,
    lang: Language,
  ): Promise<ImportResultDto> {
    await this.checkOwner(actor, dto.ownerOrgUnitId);
    const read = readFrameworkCsv(dto.csv);
    if (dto.code) read.doc.code = dto.code;
    const errors: RowError[] = read.errors.map((e) => ({
      row: e.row,
      field: e.field,
      message: csvMessage(e.key, lang, e.params),
    }));
    // A syntax or header problem leaves nothing to check row by row.
    if (!read.fatal) {
      const check = checkFrameworkDocument(read.doc, dto.ownerOrgUnitId);
      const structure = check.structure.map((d) => ({ field: d.field, message: d[lang] }));
      for (const d of [...translateDetails(check.raw, lang), ...structure]) {
        errors.push({ ...rowOfField(d.field, read.rows), message: d.message });
      }
      if (read.doc.code && (await this.codeTaken(read.doc.code))) {
        errors.push({
          row: read.rows.framework,
          field: 'code',
          message:
            lang === 'en'
              ? `Framework code ${read.doc.code} is already used.`
              : `Mã khung năng lực ${read.doc.code} đã tồn tại.`,
        });
      }
    }
    const unique = new Map<string, RowError>();
    for (const e of errors) {
      const key = `${e.row}|${e.field}`;
      if (!unique.has(key)) unique.set(key, e);
    }
    const report = [...unique.values()].sort((a, b) => a.row - b.row);
    const summary = summaryOf(read.doc);
    if (dryRun || report.length) {
      if (!dryRun) {
        throw new DomainError(
          'FRAMEWORK_IMPORT_INVALID',
          { count: report.length },
          report.map((e) => ({
            field: `rows[${e.row}]${e.field ? `.${e.field}` : ''}`,
            message: e.message,
          })),
        );
      }
      return { dryRun: true, valid: report.length === 0, errors: report, summary, framework: null };
    }
    const framework = await this.create(actor, read.doc, dto.ownerOrgUnitId);
    return { dryRun: false, valid: true, errors: [], summary, framework };
  }

  /**
   * An IMS CASE package — a public framework's or our own export — into a new framework
   * (version 1 as a draft), mapped as framework-case-reader.ts describes. The code is the
   * body's `code`, else CFDocument.extensions.frameworkCode (else 400: a public package has
   * none); a code in use answers 409 FRAMEWORK_CODE_TAKEN (a CASE import never adds a version
   * to an existing framework). The body's `scale` and `policy` replace the package's; without
   * them a package that has none gets DEFAULT_SCALE and DEFAULT_POLICY. Every problem answers
   * one 400 naming its path in the package (document.CFItems.N…) or the body, in both
   * languages; nothing is written.
   */
  async importCase(actor: Actor, dto: ImportCaseDto): Promise<FrameworkDto> {
    await this.checkOwner(actor, dto.ownerOrgUnitId);
    const read = readCase(dto.document, { scale: dto.scale, policy: dto.policy });
    if (dto.code) {
      read.doc.code = dto.code;
      read.origin.code = 'request';
    }
    const details: LocalizedDetail[] = [...read.errors];
    if (!read.fatal) {
      const check = checkFrameworkDocument(read.doc, dto.ownerOrgUnitId);
      const missingCode = !read.doc.code;
      if (missingCode) details.push(detail('code', 'caseCodeMissing'));
      const raw = check.raw.filter((d) => !(missingCode && d.field === 'code'));
      for (const d of [...localize(raw), ...check.structure]) {
        details.push({ ...d, field: casePath(d.field, read) });
      }
    }
    if (details.length) throw new DomainError('VALIDATION_FAILED', {}, unique(details));
    return this.create(actor, read.doc, dto.ownerOrgUnitId);
  }

  async exportCsv(actor: Actor, versionId: string): Promise<{ code: string; csv: string }> {
    const { framework, tree } = await this.load(actor, versionId);
    return { code: framework.code, csv: writeFrameworkCsv(framework, tree) };
  }

  async exportCase(actor: Actor, versionId: string): Promise<CasePackage> {
    const { framework, tree, version } = await this.load(actor, versionId);
    const [owner] = await this.dataSource.query<{ name: string }[]>(
      `SELECT name FROM org_units WHERE id = $1`,
      [framework.ownerOrgUnitId],
    );
    return writeCase(framework, owner?.name ?? '', tree, version.updatedAt);
  }

  private async load(actor: Actor, versionId: string) {
    const em = this.dataSource.manager;
    const version = await this.frameworks.findVersion(actor, versionId, 'read', em);
    const tree = await this.frameworks.versionTreeUnscoped(em, version);
    const framework = await em.findOneByOrFail(FrameworkEntity, { id: version.frameworkId });
    return { version, tree, framework };
  }

  /** The owner must be a unit the actor manages (else 404) at a framework-owning level (422). */
  private async checkOwner(actor: Actor, ownerOrgUnitId: string): Promise<void> {
    const owner = await this.orgUnits.findInScope(actor, ownerOrgUnitId, 'competencies:manage');
    if (!(FRAMEWORK_OWNER_LEVELS as readonly string[]).includes(owner.level)) {
      throw new DomainError('FRAMEWORK_OWNER_LEVEL_INVALID', {}, [ownerLevelDetail(owner.level)]);
    }
  }

  private async codeTaken(code: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM competency_frameworks WHERE code = $1`,
      [code],
    );
    return rows.length > 0;
  }

  private create(actor: Actor, doc: FrameworkDocument, ownerOrgUnitId: string) {
    return this.authoring.create(actor, { ...doc, ownerOrgUnitId });
  }
}
