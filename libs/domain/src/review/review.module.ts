import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MatchingModule } from '../matching/matching.module';
import { ReviewService } from './review.service';

@Module({ imports: [AuditModule, MatchingModule], providers: [ReviewService], exports: [ReviewService] })
export class ReviewModule {}
