import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest, RequirePermission } from '../auth/access.decorators';
import {
  ITEM_STATISTICS_TABLE,
  ItemStatisticsService,
} from '../assessments/item-statistics.service';
import { TableFormat, tableFile } from '../common/csv/table';
import { UuidParam } from '../common/http/params';
import { OrgUnitsService } from '../org-units/org-units.service';
import { OfficerPageBase } from './officer-page-kit';
import { PageRenderer } from './page-renderer';
import { PortalPages } from './portal.decorators';

/** A share 0 … 1 as people read it: "60,0 %". */
const percent = (share: number | null) =>
  share === null ? '—' : `${(Math.round(share * 1000) / 10).toFixed(1).replace('.', ',')} %`;

/**
 * The item statistics of a final assessment as a page (issue 16, item 4): per question its
 * facility, discrimination, option use and flags, with the CSV and Excel downloads — over the
 * same service as GET /api/v1/assessments/:id/item-statistics, so scope (404) and rights (403)
 * are the API's.
 */
@Controller('officer')
@PortalPages()
export class OfficerStatisticsPagesController extends OfficerPageBase {
  constructor(
    pages: PageRenderer,
    orgUnits: OrgUnitsService,
    private readonly stats: ItemStatisticsService,
  ) {
    super(pages, orgUnits);
  }

  @Get('assessments/:id/statistics')
  @RequirePermission('training:read')
  async statistics(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    const report = await this.stats.report(this.actorOf(req), id);
    this.send(req, res, 'officer/assessment-statistics', {
      title: 'officer.statistics.title',
      report,
      items: report.items.map((i) => ({
        ...i,
        facilityText: percent(i.facility),
        correctText: percent(i.correctShare),
        discriminationText:
          i.discrimination === null ? '—' : i.discrimination.toFixed(2).replace('.', ','),
        // A true/false question's keys ("true", "false") say nothing its texts do not.
        options: i.options.map((o) => ({
          ...o,
          label: i.kind === 'true_false' ? o.text : `${o.key}. ${o.text}`,
          shareText: percent(o.share),
        })),
        flagWords: i.flags.map((f) => `officer.statistics.flag.${f}`),
      })),
    });
  }

  @Get('assessments/:id/statistics.csv')
  @RequirePermission('training:read')
  async csv(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.download(req, res, id, 'csv');
  }

  @Get('assessments/:id/statistics.xlsx')
  @RequirePermission('training:read')
  async xlsx(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.download(req, res, id, 'xlsx');
  }

  private async download(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    format: TableFormat,
  ): Promise<void> {
    const rows = await this.stats.tableRows(this.actorOf(req), id);
    const file = tableFile(format, ITEM_STATISTICS_TABLE, rows, `thong-ke-cau-hoi-${id}`);
    const headers = file.getHeaders();
    res.status(200);
    if (headers.type) res.setHeader('Content-Type', headers.type);
    if (headers.disposition) res.setHeader('Content-Disposition', headers.disposition);
    res.setHeader('Cache-Control', 'no-store');
    file.getStream().pipe(res);
  }
}
