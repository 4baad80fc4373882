import { Module } from '@nestjs/common';
import { TransparencyService } from './transparency/transparency.service';

/**
 * Analysis for trust and safety analysts, computed from Loupe's own
 * records. So far: transparency figures and DSA statements of reasons;
 * the statistics of moderator accuracy (accuracy/) and of emerging trends
 * (trends/) are pure logic that later services will use.
 */
@Module({
  providers: [TransparencyService],
  exports: [TransparencyService],
})
export class AnalysisModule {}
