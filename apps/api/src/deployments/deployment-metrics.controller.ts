import { Controller, Get, Injectable, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZodResponse, createZodDto } from 'nestjs-zod';
import {
  DEFAULT_METRICS_RANGE_SECONDS,
  deploymentMetricsQuerySchema,
  deploymentMetricsSchema,
  ErrorCode,
  MAX_METRICS_RANGE_SECONDS,
  METRICS_WINDOW_SECONDS,
  readJsonColumnOrNull,
  SlipwayError,
  type BinnedCounts,
  type DeploymentMetricsView,
  type VersionMetricsView,
} from '@slipway/contracts';
import { UnitOfWork, type DeploymentMetricsRow } from '@slipway/db';
import { latencyQuantile, profileBins, psi, sumFeatureCounts } from '@slipway/ml-evaluation';
import { RequireRole } from '../auth/auth.decorators';
import { DeploymentNameParamsDto } from './deployments.dto';

class DeploymentMetricsQueryDto extends createZodDto(deploymentMetricsQuerySchema) {}
class DeploymentMetricsDto extends createZodDto(deploymentMetricsSchema) {}

/** Versions a deployment's revisions name, read to label series; a deployment has far fewer revisions than this. */
const REVISIONS_READ = 200;

const round = (x: number) => Number(x.toPrecision(6));

/** Reads deployment_metrics for the console's charts: per version and role, per window and over the range. */
@Injectable()
export class DeploymentMetricsService {
  constructor(private readonly db: UnitOfWork) {}

  async read(name: string, sinceIso: string | undefined, nowMs = Date.now()): Promise<DeploymentMetricsView> {
    const sinceMs = sinceIso === undefined ? nowMs - DEFAULT_METRICS_RANGE_SECONDS * 1000 : Date.parse(sinceIso);
    if (sinceMs < nowMs - MAX_METRICS_RANGE_SECONDS * 1000) {
      throw new SlipwayError(ErrorCode.INVALID_ARGUMENT, 'since is too far back', [
        { field: 'query.since', message: `at most ${MAX_METRICS_RANGE_SECONDS / 3600} hours back` },
      ]);
    }
    const deployment = await this.db.read.deployments.get(name);
    if (!deployment?.revision)
      throw new SlipwayError(ErrorCode.NOT_FOUND, `No deployment "${name}"`, [{ field: 'params.name', message: 'no such deployment' }]);
    const [rows, revisions] = await Promise.all([
      this.db.read.deploymentMetrics.since(deployment.id, new Date(sinceMs)),
      this.db.read.deployments.revisions(deployment.id, { limit: REVISIONS_READ }),
    ]);
    const versionNumbers = new Map<string, number>();
    for (const r of [deployment.revision, ...revisions.revisions]) {
      for (const served of [r.stable, r.canary, r.shadow]) if (served) versionNumbers.set(served.versionId, served.version);
    }
    const groups = new Map<string, DeploymentMetricsRow[]>();
    for (const row of rows) {
      const key = `${row.versionId}/${row.role}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const profiles = new Map<string, Record<string, BinnedCounts> | null>();
    const series: VersionMetricsView[] = [];
    for (const group of groups.values()) {
      const { versionId, role } = group[0];
      if (!profiles.has(versionId)) {
        const profile = await this.db.read.rolloutAnalysis.trainingProfile(versionId);
        profiles.set(versionId, profile ? profileBins(profile) : null);
      }
      series.push(this.seriesOf(group, versionNumbers.get(versionId) ?? null, role, profiles.get(versionId) ?? null));
    }
    // Stable first, then canary, then shadow; newer versions first within a role.
    const order = { stable: 0, canary: 1, shadow: 2 } as const;
    series.sort((a, b) => order[a.role] - order[b.role] || (b.version ?? 0) - (a.version ?? 0));
    return {
      deployment: deployment.name,
      windowSeconds: METRICS_WINDOW_SECONDS,
      since: new Date(sinceMs).toISOString(),
      until: new Date(nowMs).toISOString(),
      series,
    };
  }

  private seriesOf(
    rows: DeploymentMetricsRow[],
    version: number | null,
    role: VersionMetricsView['role'],
    profile: Record<string, BinnedCounts> | null,
  ): VersionMetricsView {
    const total = { requests: 0, errors: 0, buckets: [] as number[] };
    const features: Record<string, BinnedCounts>[] = [];
    const points = rows.map((row) => {
      total.requests += row.requests;
      total.errors += row.errors;
      row.latencyBuckets.forEach((n, i) => (total.buckets[i] = (total.buckets[i] ?? 0) + n));
      const binned = readJsonColumnOrNull('deployment_metrics.features', row.features);
      if (binned) features.push(binned);
      const p99 = latencyQuantile(row.latencyBuckets, 0.99);
      return {
        at: row.windowStart.toISOString(),
        requests: row.requests,
        requestRate: round(row.requests / METRICS_WINDOW_SECONDS),
        errorRate: row.requests > 0 ? round(row.errors / row.requests) : null,
        p99Ms: p99 === null ? null : round(p99),
      };
    });
    const drift: VersionMetricsView['drift'] = [];
    if (profile && features.length > 0) {
      for (const [feature, counts] of Object.entries(sumFeatureCounts(features))) {
        const value = profile[feature] ? psi(profile[feature], counts) : null;
        if (value !== null) drift.push({ feature, psi: round(value) });
      }
      drift.sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
    }
    const p99 = latencyQuantile(total.buckets, 0.99);
    return {
      versionId: rows[0].versionId,
      version,
      role,
      points,
      totals: {
        requests: total.requests,
        errors: total.errors,
        errorRate: total.requests > 0 ? round(total.errors / total.requests) : null,
        p99Ms: p99 === null ? null : round(p99),
      },
      drift,
    };
  }
}

@ApiTags('deployments')
@Controller('api/v1/deployments')
export class DeploymentMetricsController {
  constructor(private readonly metrics: DeploymentMetricsService) {}

  @Get(':name/metrics')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      'Per version and role since `since` (default the last 15 minutes, at most 24 h): request rate, error rate and p99 per 10 s window and over the range, and input drift (PSI) per feature against the version’s training profile',
  })
  @ZodResponse({ status: 200, type: DeploymentMetricsDto })
  read(@Param() params: DeploymentNameParamsDto, @Query() query: DeploymentMetricsQueryDto) {
    return this.metrics.read(params.name, query.since);
  }
}
