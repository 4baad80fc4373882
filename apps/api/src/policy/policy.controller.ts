import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PolicyService } from '@loupe/domain/policy';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { PolicyDto, PolicyThresholdsUpdateDto } from './policy.dto';
import { toPolicyDto } from './policy.mapper';
import type { Principal } from '@loupe/vocabulary';

@ApiTags('policies')
@Controller('v1/policies')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get()
  @Roles('admin', 'ml_engineer', 'analyst', 'moderator', 'service')
  @ApiOperation({ summary: 'List the policy catalog' })
  @ApiOkResponse({ type: [PolicyDto] })
  async list(): Promise<PolicyDto[]> {
    return (await this.policies.list()).map(toPolicyDto);
  }

  @Put(':id/thresholds')
  @Roles('admin', 'ml_engineer')
  @ApiOperation({ summary: 'Change a policy\'s thresholds', description: 'Audited. Applies to content processed after the change.' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid, policy.thresholds_inverted' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'policy.not_found' })
  async updateThresholds(@Param('id') id: string, @Body() body: PolicyThresholdsUpdateDto, @CurrentPrincipal() actor: Principal): Promise<PolicyDto> {
    return toPolicyDto(await this.policies.updateThresholds(id, body, actor));
  }
}
