import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Tenant } from '@showroom/auth';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SearchMode, SearchService } from '../search.service';

export class SearchDto {
  @ApiProperty({ example: 'powertrain warranty mileage' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  query: string;

  @ApiPropertyOptional({ default: 5, minimum: 1, maximum: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  topK?: number;

  @ApiPropertyOptional({ default: 'hybrid', enum: ['hybrid', 'vector', 'fulltext'], description: 'hybrid fuses both retrievers; the others are for comparison' })
  @IsOptional()
  @IsIn(['hybrid', 'vector', 'fulltext'])
  mode?: SearchMode;
}

@ApiTags('knowledge')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  /** Passages of the caller's dealership's knowledge, best first, each with document and page. */
  @Post()
  @HttpCode(200)
  search(@CurrentTenant() tenant: Tenant, @Body() body: SearchDto) {
    return this.searchService.search(tenant, body.query.trim(), body.topK ?? 5, body.mode);
  }
}
