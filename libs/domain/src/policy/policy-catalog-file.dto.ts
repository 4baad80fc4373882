import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SEVERITIES, Severity } from '@loupe/vocabulary';

export class CatalogThresholdsDto {
  @IsNumber() @Min(0) @Max(1) review!: number;
  @IsNumber() @Min(0) @Max(1) remove!: number;
}

export class CatalogModelInputDto {
  @IsString() model!: string;
  @IsArray() @IsString({ each: true }) @ArrayUnique() outputs!: string[];
}

export class CatalogNuanceDto {
  @Matches(/^[a-z][a-z0-9_]*$/) id!: string;
  @IsString() title!: string;
  @IsBoolean() violating!: boolean;
}

export class CatalogPolicyDto {
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'policy id must be snake_case' }) id!: string;
  @IsString() title!: string;
  @IsString() description!: string;
  @IsIn(SEVERITIES) severity!: Severity;
  @ValidateNested() @Type(() => CatalogThresholdsDto) thresholds!: CatalogThresholdsDto;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => CatalogModelInputDto) models?: CatalogModelInputDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => CatalogNuanceDto) nuances?: CatalogNuanceDto[];
  @IsOptional() @IsBoolean() consensus?: boolean;
}

/** The shape of config/policy-catalog.yaml. */
export class PolicyCatalogFileDto {
  @IsInt() @Min(1) version!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => CatalogPolicyDto) policies!: CatalogPolicyDto[];
}
