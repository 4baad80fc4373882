import { Body, Controller, Get, HttpStatus, Param, ParseIntPipe, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiConsumes, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { StagedFile } from '@loupe/media';
import { BankMediaService, BankService } from '@loupe/domain/matching';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { MediaUploadInterceptor, UploadedMedia } from '../http/media-upload.interceptor';
import { UuidPipe } from '../http/uuid.pipe';
import { BankEntryCreateDto, BankEntryDetailDto, BankEntryDto, BankEntryMediaCreateDto, BankEntryReasonDto, BankEntryUpdateDto } from './bank-entry.dto';
import { BANK_READERS } from './bank.controller';
import { toBankEntryDetailDto, toBankEntryDto, toBankRecord } from './bank.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('banks')
@Controller('v1/banks/:bankId/entries')
export class BankEntryController {
  constructor(
    private readonly banks: BankService,
    private readonly media: BankMediaService,
  ) {}

  @Get()
  @Roles(...BANK_READERS)
  @ApiOperation({ summary: "List a bank's entries, newest first", description: 'Page with ?before=<seq of the last entry>.' })
  @ApiQuery({ name: 'limit', required: false, example: 100 })
  @ApiQuery({ name: 'before', required: false })
  @ApiOkResponse({ type: [BankEntryDto] })
  async list(
    @Param('bankId', UuidPipe) bankId: string,
    @Query('limit', new ParseIntPipe({ optional: true })) limit?: number,
    @Query('before', new ParseIntPipe({ optional: true })) before?: number,
  ): Promise<BankEntryDto[]> {
    return (await this.banks.listEntries(bankId, Math.min(Math.max(limit ?? 100, 1), 1000), before)).map(toBankEntryDto);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a hash (PDQ) or a video hash (vPDQ frames) to a bank', description: 'The same media again answers 200 with the existing entry.' })
  @ApiCreatedResponse({ type: BankEntryDto })
  @ApiOkResponse({ type: BankEntryDto, description: 'Already in the bank' })
  async create(
    @Param('bankId', UuidPipe) bankId: string,
    @Body() body: BankEntryCreateDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BankEntryDto> {
    const { entry, created } = await this.banks.addEntry(bankId, toBankRecord(body), actor);
    reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toBankEntryDto(entry);
  }

  @Post('media')
  @Roles('admin')
  @UseInterceptors(MediaUploadInterceptor)
  @ApiOperation({ summary: 'Hash an uploaded image or video and bank it' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' }, tags: { type: 'string', description: 'comma-separated' } } } })
  @ApiCreatedResponse({ type: BankEntryDto })
  async createFromMedia(
    @Param('bankId', UuidPipe) bankId: string,
    @UploadedMedia() file: StagedFile,
    @Body() body: BankEntryMediaCreateDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BankEntryDto> {
    const { entry, created } = await this.media.bankFile(bankId, file, body, actor);
    reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toBankEntryDto(entry);
  }

  @Get(':entryId')
  @Roles(...BANK_READERS)
  @ApiOperation({ summary: 'Read an entry, with its frames and its audit trail' })
  @ApiOkResponse({ type: BankEntryDetailDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'bank_entry.not_found' })
  async get(@Param('bankId', UuidPipe) bankId: string, @Param('entryId', UuidPipe) entryId: string): Promise<BankEntryDetailDto> {
    return toBankEntryDetailDto(await this.banks.getEntry(bankId, entryId));
  }

  @Patch(':entryId')
  @Roles('admin')
  @ApiOperation({ summary: "Change an entry's note or tags" })
  @ApiOkResponse({ type: BankEntryDto })
  async update(
    @Param('bankId', UuidPipe) bankId: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: BankEntryUpdateDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BankEntryDto> {
    return toBankEntryDto(await this.banks.updateEntry(bankId, entryId, body, actor));
  }

  @Post(':entryId/disable')
  @Roles('admin')
  @ApiOperation({ summary: 'Take an entry out of matching, with a reason', description: 'Audited; takes effect in every process within seconds.' })
  @ApiCreatedResponse({ type: BankEntryDto })
  async disable(
    @Param('bankId', UuidPipe) bankId: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: BankEntryReasonDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BankEntryDto> {
    return toBankEntryDto(await this.banks.setEnabled(bankId, entryId, false, body.reason, actor));
  }

  @Post(':entryId/enable')
  @Roles('admin')
  @ApiOperation({ summary: 'Put a disabled entry back into matching, with a reason' })
  @ApiCreatedResponse({ type: BankEntryDto })
  async enable(
    @Param('bankId', UuidPipe) bankId: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: BankEntryReasonDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BankEntryDto> {
    return toBankEntryDto(await this.banks.setEnabled(bankId, entryId, true, body.reason, actor));
  }

  @Post(':entryId/release')
  @Roles('admin')
  @ApiOperation({ summary: 'Lift an automatic quarantine, with a reason', description: "The entry matches again and its feedback counts restart." })
  @ApiCreatedResponse({ type: BankEntryDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'bank_entry.not_quarantined' })
  async release(
    @Param('bankId', UuidPipe) bankId: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: BankEntryReasonDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<BankEntryDto> {
    return toBankEntryDto(await this.banks.release(bankId, entryId, body.reason, actor));
  }
}
