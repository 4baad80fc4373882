import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@loupe/domain/audit';
import { Roles } from '../http/access.decorators';
import { AuditEventRecordDto, AuditQueryDto } from './audit.dto';
import { toAuditEventRecordDto } from './audit.mapper';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'Query the audit log, newest first',
    description: 'Append-only: no API can change or delete it, and the database refuses UPDATE, DELETE and TRUNCATE.',
  })
  @ApiOkResponse({ type: [AuditEventRecordDto] })
  async query(@Query() query: AuditQueryDto): Promise<AuditEventRecordDto[]> {
    const { limit, before, ...filter } = query;
    return (await this.audit.query(filter, limit ?? 100, before)).map(toAuditEventRecordDto);
  }
}
