import { Module } from '@nestjs/common';
import { PreviewRenderer } from '@loupe/media';
import { AuditModule } from '../audit/audit.module';
import { ExposureService } from './exposure.service';
import { PreferencesService } from './preferences.service';
import { WellbeingReportService } from './wellbeing-report.service';

/** The exposure budget, preview preferences and the wellbeing report (previews live with review). */
@Module({
  imports: [AuditModule],
  providers: [ExposureService, PreferencesService, WellbeingReportService, PreviewRenderer],
  exports: [ExposureService, PreferencesService, WellbeingReportService, PreviewRenderer],
})
export class WellbeingModule {}
