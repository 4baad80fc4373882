import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyService } from '@loupe/domain/auth';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { UuidPipe } from '../http/uuid.pipe';
import { ApiKeyCreateDto, ApiKeyCreatedDto, ApiKeyDto } from './api-key.dto';
import { toApiKeyCreatedDto, toApiKeyDto } from './api-key.mapper';
import { Principal } from '@loupe/vocabulary';

@ApiTags('admin')
@Controller('v1/admin/api-keys')
@Roles('admin')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key', description: 'The response holds the key; it is shown once.' })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  async create(@Body() body: ApiKeyCreateDto, @CurrentPrincipal() actor: Principal): Promise<ApiKeyCreatedDto> {
    return toApiKeyCreatedDto(await this.keys.create(body.name, body.role, actor));
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.list()).map(toApiKeyDto);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'api_key.not_found' })
  async revoke(@Param('id', UuidPipe) id: string, @CurrentPrincipal() actor: Principal): Promise<ApiKeyDto> {
    return toApiKeyDto(await this.keys.revoke(id, actor));
  }
}
