import { JobHandler, JobHandlerFor } from '@loupe/queue';
import { TrendScanService } from './trend-scan.service';

/** A fire of TREND_SCAN_CRON: scans up to the hour just ended. */
@JobHandlerFor('analysis.scan-trends')
export class TrendScanHandler implements JobHandler<'analysis.scan-trends'> {
  constructor(private readonly scanner: TrendScanService) {}

  async handle(): Promise<void> {
    await this.scanner.scan();
  }
}
