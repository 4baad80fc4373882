import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApiKeyService } from './api-key.service';

@Module({ imports: [AuditModule], providers: [ApiKeyService], exports: [ApiKeyService] })
export class AuthModule {}
