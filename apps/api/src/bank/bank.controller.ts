import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { BankService } from '@loupe/domain/matching';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { BankCreateDto, BankDto, BankUpdateDto } from './bank.dto';
import { toBankDto } from './bank.mapper';
import type { Principal } from '@loupe/vocabulary';

export const BANK_READERS = ['admin', 'analyst', 'ml_engineer'] as const;

@ApiTags('banks')
@Controller('v1/banks')
export class BankController {
  constructor(private readonly banks: BankService) {}

  @Get()
  @Roles(...BANK_READERS)
  @ApiOperation({ summary: 'List hash banks, with entry counts' })
  @ApiOkResponse({ type: [BankDto] })
  async list(): Promise<BankDto[]> {
    return (await this.banks.list()).map(toBankDto);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a bank', description: 'A block bank actions its matches (remove or review); an allow bank suppresses them.' })
  @ApiCreatedResponse({ type: BankDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid, bank.unknown_policy' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'bank.name_taken' })
  async create(@Body() body: BankCreateDto, @CurrentPrincipal() actor: Principal): Promise<BankDto> {
    return toBankDto(await this.banks.create(body, actor));
  }

  @Get(':id')
  @Roles(...BANK_READERS)
  @ApiOperation({ summary: 'Read a bank' })
  @ApiOkResponse({ type: BankDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'bank.not_found' })
  async get(@Param('id', UuidPipe) id: string): Promise<BankDto> {
    return toBankDto(await this.banks.get(id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a bank: thresholds, action, ratio, policy', description: 'Audited; takes effect in every process within seconds.' })
  @ApiOkResponse({ type: BankDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'bank.not_found' })
  async update(@Param('id', UuidPipe) id: string, @Body() body: BankUpdateDto, @CurrentPrincipal() actor: Principal): Promise<BankDto> {
    return toBankDto(await this.banks.update(id, body, actor));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a bank and its entries' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'bank.not_found' })
  async delete(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    await this.banks.delete(id, actor);
  }
}
