import { Module } from '@nestjs/common';
import { DatasetService } from './dataset.service';
import { DatasetsController } from './datasets.controller';

@Module({ controllers: [DatasetsController], providers: [DatasetService], exports: [DatasetService] })
export class DatasetsModule {}
