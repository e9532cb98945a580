// datasets stores and entities.
export * from './dataset.entity';
export * from './dataset.store';
