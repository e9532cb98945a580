import { Module } from '@nestjs/common';
import { ArtifactStore, ExperimentStore, MetricStore, RunSearchStore, RunStore, type PrismaClient } from '@slipway/db';
import { PRISMA } from '../infrastructure/tokens';
import { ArtifactService } from './artifact.service';
import { ArtifactsController } from './artifacts.controller';
import { ExperimentService } from './experiment.service';
import { ExperimentsController } from './experiments.controller';
import { RunSearchService } from './run-search.service';
import { RunService } from './run.service';
import { RunsController } from './runs.controller';

/** Experiment tracking: experiments, runs, params/metrics/tags, artifacts, run search. */
@Module({
  controllers: [ExperimentsController, RunsController, ArtifactsController],
  providers: [
    { provide: ExperimentStore, useFactory: (prisma: PrismaClient) => new ExperimentStore(prisma), inject: [PRISMA] },
    { provide: RunStore, useFactory: (prisma: PrismaClient) => new RunStore(prisma), inject: [PRISMA] },
    { provide: MetricStore, useFactory: (prisma: PrismaClient) => new MetricStore(prisma), inject: [PRISMA] },
    { provide: ArtifactStore, useFactory: (prisma: PrismaClient) => new ArtifactStore(prisma), inject: [PRISMA] },
    { provide: RunSearchStore, useFactory: (prisma: PrismaClient) => new RunSearchStore(prisma), inject: [PRISMA] },
    ExperimentService,
    RunService,
    RunSearchService,
    ArtifactService,
  ],
})
export class ExperimentsModule {}
