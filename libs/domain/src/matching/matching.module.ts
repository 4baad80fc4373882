import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SignalsModule } from '../signals/signals.module';
import { BankExportService } from './bank-export.service';
import { BankFileImporter } from './bank-file.importer';
import { BankImportHandler } from './bank-import.handler';
import { BankImportRecoveryService } from './bank-import-recovery.service';
import { BankImportService } from './bank-import.service';
import { BankMediaService } from './bank-media.service';
import { BankService } from './bank.service';
import { HashLookupService } from './hash-lookup.service';
import { HashMatchService } from './hash-match.service';
import { MatchIndexService } from './match-index.service';

@Module({
  imports: [AuditModule, SignalsModule],
  providers: [BankService, BankMediaService, BankFileImporter, BankImportService, BankImportHandler, BankImportRecoveryService, BankExportService, HashMatchService, HashLookupService, MatchIndexService],
  exports: [BankService, BankMediaService, BankFileImporter, BankImportService, BankImportRecoveryService, BankExportService, HashMatchService, HashLookupService, MatchIndexService],
})
export class MatchingModule {}
