import { readRequestFile } from './request-file';

/**
 * A study file: the request body of POST /api/v1/studies as YAML (`.yaml`/`.yml`) or JSON (anything else),
 * where `dataset` may stand for `datasetId` (an id or a name).
 */
export const readStudyFile = (file: string) => readRequestFile(file, "the study's fields (name, dataset, algorithm, searchSpace, objective, maxTrials, …)");
