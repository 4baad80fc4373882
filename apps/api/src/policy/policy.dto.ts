import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { SEVERITIES } from '@loupe/vocabulary';

export class PolicyModelInputDto {
  @ApiProperty({ example: 'nsfwjs-mobilenetv2' }) model!: string;
  @ApiProperty({ type: [String], example: ['Porn', 'Hentai', 'Sexy'] }) outputs!: string[];
}

export class PolicyNuanceDto {
  @ApiProperty({ example: 'recovery' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() violating!: boolean;
}

export class PolicyThresholdsDto {
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.6 }) review!: number;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.95 }) remove!: number;
}

export class PolicyDto {
  @ApiProperty({ example: 'adult_nudity' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ type: PolicyThresholdsDto }) thresholds!: PolicyThresholdsDto;
  @ApiProperty({ type: [PolicyModelInputDto], description: 'Model outputs that add up to the policy score; empty: human labels only' })
  models!: PolicyModelInputDto[];
  @ApiProperty({ type: [PolicyNuanceDto] }) nuances!: PolicyNuanceDto[];
  @ApiProperty() catalogVersion!: number;
  @ApiProperty() updatedAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) updatedBy!: string | null;
}

export class PolicyThresholdsUpdateDto {
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  review!: number;

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.9 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  remove!: number;
}

/** One policy judgement: violating or not, with a nuance where the policy defines them. */
export class PolicyLabelDto {
  @ApiProperty({ example: 'adult_nudity' })
  @IsString()
  policyId!: string;

  @ApiProperty()
  @IsBoolean()
  violating!: boolean;

  @ApiPropertyOptional({ example: 'recovery', description: 'A nuance id from the policy catalog' })
  @IsOptional() @IsString()
  nuance?: string;
}
