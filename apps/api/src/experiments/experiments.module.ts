import { Module } from '@nestjs/common';
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
  providers: [ExperimentService, RunService, RunSearchService, ArtifactService],
})
export class ExperimentsModule {}
