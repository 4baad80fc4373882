import { Module } from '@nestjs/common';
import { MediaInspector } from './media-inspector.service';
import { SignalExtractor } from './signal-extractor.service';

@Module({ providers: [SignalExtractor, MediaInspector], exports: [SignalExtractor, MediaInspector] })
export class SignalsModule {}
