import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { ArtifactSigner } from '@slipway/artifacts';
import { ErrorCode, SlipwayError, type GcRequest } from '@slipway/contracts';
import { CurrentActor, RequireRole, type RequestActor } from '../auth/auth.decorators';
import { AliasService } from './alias.service';
import { CompareService } from './compare.service';
import {
  CompareDto,
  CompareResultDto,
  GcQueryDto,
  GcRequestDto,
  GcResultDto,
  PublicKeyDto,
  ResolvedRefDto,
  ResolveParamsDto,
  VersionParamsDto,
} from './registry.dto';
import { RetentionService } from './retention.service';

@ApiTags('registry')
@Controller('api/v1/registry')
export class RegistryController {
  constructor(
    private readonly aliases: AliasService,
    private readonly comparison: CompareService,
    private readonly retention: RetentionService,
    private readonly signer: ArtifactSigner,
  ) {}

  @Get('resolve/:ref')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Resolve `name@alias`, `name@latest`, `name@3` or `name/3` to a version' })
  @ZodResponse({ status: 200, type: ResolvedRefDto })
  resolve(@Param() params: ResolveParamsDto) {
    return this.aliases.resolve(params.ref);
  }

  // `name/3` as a path: `:ref` is one segment, so without this route the slash had to be sent as %2F.
  @Get('resolve/:name/:version')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Resolve `name/3` written as two path segments (no %2F needed): the same answer as `resolve/name%2F3`' })
  @ZodResponse({ status: 200, type: ResolvedRefDto })
  resolveNumbered(@Param() params: VersionParamsDto) {
    return this.aliases.resolve(`${params.name}/${params.version}`, 'params.name');
  }

  @Get('public-key')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'The ed25519 public key that verifies version signatures' })
  @ZodResponse({ status: 200, type: PublicKeyDto })
  publicKey() {
    return {
      ...this.signer.publicKeyInfo(),
      retired: this.signer.keyRing.retiredKeys(),
      scheme:
        'signature = ed25519(key, bytes of sha256), sha256 = sha256 of the canonical manifest {"format":"slipway.manifest/v1","files":[{"path","sha256","sizeBytes"}…]} sorted by path',
    };
  }

  @Post('compare')
  @HttpCode(200)
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Compare up to 50 versions or runs: params with differences, metrics with the best, histories, evaluations' })
  @ZodResponse({ status: 200, type: CompareResultDto })
  compare(@Body() body: CompareDto) {
    return this.comparison.compare(body);
  }

  @Post('gc')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Garbage-collect artifacts of deleted runs, versions and models (`dryRun=true`, the default, only lists them)' })
  @ZodResponse({ status: 200, type: GcResultDto })
  gc(@Query() query: GcQueryDto, @Body() body: GcRequestDto, @CurrentActor() actor: RequestActor) {
    const fromBody = (body as GcRequest).dryRun;
    if (fromBody !== undefined && query.dryRun !== undefined && fromBody !== query.dryRun) {
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'query.dryRun and body.dryRun disagree', [
        { field: 'query.dryRun', message: 'disagrees with body.dryRun' },
      ]);
    }
    // Deleting needs an explicit dryRun=false; anything else only lists.
    return this.retention.collect(fromBody ?? query.dryRun ?? true, actor);
  }
}
