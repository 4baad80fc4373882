import { readFile } from 'node:fs/promises';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiConsumes, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ModelRegistryService, ModelUploadService } from '@loupe/domain/learning';
import type { StagedFile } from '@loupe/media';
import { CurrentPrincipal, Roles } from '../http/access.decorators';
import { ApiErrorDto } from '../http/api-error.dto';
import { SlugPipe } from '../http/slug.pipe';
import { MediaUploadInterceptor, UploadedMedia } from '../http/media-upload.interceptor';
import { AliasSetDto, DeploymentDto, DeploymentQueryDto, DeploymentSetDto, ModelSummaryDto, ModelUploadDto, ModelVersionDto, PromoteDto } from './model.dto';
import { toDeploymentDto, toModelSummaryDto, toModelVersionDto } from './model.mapper';
import type { Principal } from '@loupe/vocabulary';

const READERS = ['admin', 'ml_engineer', 'analyst'] as const;

@ApiTags('models')
@Controller('v1/models')
export class ModelController {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly uploads: ModelUploadService,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Models in the registry: versions, aliases, and a challenger running beside the champion' })
  @ApiOkResponse({ type: [ModelSummaryDto] })
  async list(): Promise<ModelSummaryDto[]> {
    return (await this.registry.list()).map(toModelSummaryDto);
  }

  @Get('deployments')
  @Roles(...READERS)
  @ApiOperation({ summary: 'What served what at a moment', description: 'Which version decided which policy, and which challengers ran, at `at` (now when absent). Every change is kept.' })
  @ApiOkResponse({ type: DeploymentDto })
  async deployments(@Query() query: DeploymentQueryDto): Promise<DeploymentDto> {
    const at = query.at ?? new Date();
    const { row, state } = await this.registry.deploymentAt(at);
    return toDeploymentDto(at, row, state);
  }

  @Post(':name/versions')
  @Roles('admin', 'ml_engineer')
  @UseInterceptors(MediaUploadInterceptor)
  @ApiOperation({
    summary: 'Register a model trained elsewhere (ONNX)',
    description:
      "Checked before anything is stored: an ONNX file; one float input that fits the signature; one float output [N, policies]; known policies; scores in [0, 1] on a few recent items. Then evaluated on the policies' labels and gated like a model Loupe trained. A refusal is 422 with a code, and nothing is stored.\n\n" +
      "Inputs: `embedding` is float32 [N, 576 | 1280 | 256] (the backbone's midGem, pooled or dense embedding); `text` is float32 [N, 2^k] (hashed text features). " +
      "`image` is float32 [N, 224, 224, 3] (NHWC) or [N, 3, 224, 224] (NCHW), told apart by the input's declared dimensions, the batch dimension symbolic: RGB, each value the 8-bit sample / 255, so in [0, 1], with no mean or standard deviation applied (a model that wants them does it in its graph). " +
      'The frames are those Loupe stores for every item: EXIF orientation applied, transparency flattened on white, resized to 224 x 224 with lanczos3 without keeping the aspect ratio; a video (or an animated GIF or WebP) gives a few frames and scores as its most violating one.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file', 'input', 'outputs'], properties: { file: { type: 'string', format: 'binary' }, input: { type: 'string', enum: ['embedding', 'text', 'image'] }, outputs: { type: 'string', example: 'hate_symbols' } } } })
  @ApiCreatedResponse({ type: ModelVersionDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'model.not_onnx, model.external_data, model.load_failed, model.signature_mismatch, model.unknown_policy, model.bad_outputs' })
  async upload(@Param('name', SlugPipe) name: string, @UploadedMedia() file: StagedFile, @Body() body: ModelUploadDto, @CurrentPrincipal() actor: Principal): Promise<ModelVersionDto> {
    const outputs = body.outputs.split(',').map((p) => p.trim()).filter(Boolean);
    const version = await this.uploads.register(name, await readFile(file.path), { input: body.input, outputs }, actor);
    return toModelVersionDto(version, []);
  }

  @Get(':name/versions/:version')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A model version: lineage, signature, proposed thresholds, gate results and the model card' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'model.version_not_found' })
  async version(@Param('name') name: string, @Param('version', ParseIntPipe) version: number): Promise<ModelVersionDto> {
    const found = await this.registry.version(name, version);
    return toModelVersionDto(found.version, found.aliases);
  }

  @Get(':name/versions/:version/evaluation')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A version's evaluation beside the champion",
    description: 'Per split (test, gold) and policy: precision, recall, F1, PR-AUC, ROC-AUC, calibration error and the confusion matrix at the proposed thresholds, for the candidate and the champion on the same rows, and by region and language where there are enough items.',
  })
  @ApiOkResponse({ description: 'The evaluation report' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'model.version_not_found' })
  async evaluation(@Param('name') name: string, @Param('version', ParseIntPipe) version: number): Promise<Record<string, unknown>> {
    return (await this.registry.version(name, version)).version.evaluation ?? {};
  }

  @Put(':name/aliases/:alias')
  @Roles('admin', 'ml_engineer')
  @ApiOperation({ summary: 'Point an alias at a version', description: 'Any name but champion, which moves only through promotion. Audited.' })
  @ApiOkResponse({ type: ModelVersionDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'model.invalid_alias' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'model.champion_by_promotion' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'model.version_not_found' })
  async setAlias(@Param('name') name: string, @Param('alias') alias: string, @Body() body: AliasSetDto, @CurrentPrincipal() actor: Principal): Promise<ModelVersionDto> {
    await this.registry.setAlias(name, alias, body.version, actor);
    const found = await this.registry.version(name, body.version);
    return toModelVersionDto(found.version, found.aliases);
  }

  @Post(':name/promote')
  @Roles('admin', 'ml_engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Promote a version to champion',
    description:
      'Only a version that passed its gates; an admin may override with a reason (audited). The version decides every policy it has a head for, or only the `policies` named, which are judged by their own gates (a new head that passed can serve while one that got worse stays on the champion). Their proposed thresholds take effect (audited as threshold changes), and every process serves it within seconds.',
  })
  @ApiOkResponse({ type: DeploymentDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'model.policy_not_in_version: a named policy has no head in the version' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'model.gates_failed' })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'model.override_admin_only' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'model.not_found, model.version_not_found' })
  async promote(@Param('name') name: string, @Body() body: PromoteDto, @CurrentPrincipal() actor: Principal): Promise<DeploymentDto> {
    const row = await this.registry.promote(name, body, actor);
    return toDeploymentDto(row.createdAt, row, row.state);
  }

  @Post(':name/rollback')
  @Roles('admin', 'ml_engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Roll back to the previous champion', description: 'Its policies return to what served them before, with the thresholds it replaced. Audited.' })
  @ApiOkResponse({ type: DeploymentDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'model.nothing_to_roll_back' })
  async rollback(@Param('name') name: string, @CurrentPrincipal() actor: Principal): Promise<DeploymentDto> {
    const row = await this.registry.rollback(name, actor);
    return toDeploymentDto(row.createdAt, row, row.state);
  }

  @Put(':name/deployment')
  @Roles('admin', 'ml_engineer')
  @ApiOperation({
    summary: 'Run a challenger as a shadow or a canary',
    description: "shadow: the challenger scores every item (or percent of them) beside the champion, and never acts. canary: percent of the items, chosen by a stable hash of the content id, are decided by the challenger. mode none stops it. Sets the challenger alias. Audited.",
  })
  @ApiOkResponse({ type: DeploymentDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'request.invalid, model.invalid_deployment' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'model.version_not_found' })
  async deploy(@Param('name') name: string, @Body() body: DeploymentSetDto, @CurrentPrincipal() actor: Principal): Promise<DeploymentDto> {
    const row = await this.registry.deploy(name, { challenger: body.challenger ?? null, mode: body.mode, percent: body.percent }, actor);
    return toDeploymentDto(row.createdAt, row, row.state);
  }
}
