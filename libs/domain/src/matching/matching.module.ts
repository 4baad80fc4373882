import { Module } from '@nestjs/common';
import { HashMatchService } from './hash-match.service';

@Module({ providers: [HashMatchService], exports: [HashMatchService] })
export class MatchingModule {}
