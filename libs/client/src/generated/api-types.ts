/* eslint-disable */
// Generated from the API's OpenAPI document (openapi.json beside this file) by tools/openapi/generate-client.ts.
// Do not edit: run `npm run generate:client`.

export interface paths {
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit log, newest first: filter by entity, action, actor and time; cursor-paginated */
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List datasets, newest first, optionally searching the name */
        get: operations["DatasetsController_list"];
        /** Upload a CSV or Parquet file (raw body, streamed; Parquet detected by its PAR1 magic or format=parquet; header, delimiter and column types detected; profiled on the way in), or with format=images&imageSize=HxWxC a zip of class-named folders of PNG/JPEG images (decoded and resized). The same bytes again answer 200 with the dataset already stored */
        put: operations["DatasetsController_upload"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One dataset: its columns and types, target, size and sha256 */
        get: operations["DatasetsController_get"];
        put?: never;
        post?: never;
        /** Delete a dataset and its file; refused (409) while a run, training job or study references it */
        delete: operations["DatasetsController_remove"];
        options?: never;
        head?: never;
        /** Rename, choose the target, or override column types (the profile is recomputed from the stored file) */
        patch: operations["DatasetsController_update"];
        trace?: never;
    };
    "/api/v1/datasets/{id}/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A dataset's profile: per-column statistics and the target's class balance */
        get: operations["DatasetsController_profile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/samples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The built-in sample datasets, with their provenance */
        get: operations["DatasetsController_samples"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/samples/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Materialise a built-in sample as a dataset (the same path as an upload; 200 with the existing one when already there) */
        post: operations["DatasetsController_createSample"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/datasets/samples/{name}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Materialise a built-in sample as an image dataset for the CNN (digits: 1,797 images of 8×8×1, classes "0".."9"; 200 with the existing one when already there) */
        post: operations["DatasetsController_createImageSample"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deployments, newest first, by status (DELETED ones only when asked for) or model */
        get: operations["DeploymentsController_list"];
        put?: never;
        /** Deploy a READY version of a model (version, or alias: what it points at now; followAlias keeps following it, acting per aliasPolicy redeploy|rollout): revision 1 */
        post: operations["DeploymentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One deployment: its current revision (stable, canary, shadow, rollout step), alias policy and plan */
        get: operations["DeploymentsController_get"];
        put?: never;
        post?: never;
        /** Delete a deployment: DELETED, nothing is served; its revisions and events stay readable */
        delete: operations["DeploymentsController_remove"];
        options?: never;
        head?: never;
        /** Change a deployment's description, alias policy or own rollout plan (what serves is unchanged: no revision) */
        patch: operations["DeploymentsController_update"];
        trace?: never;
    };
    "/api/v1/deployments/{name}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Abort a canary or rollout where it is: stable serves all traffic. A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`). */
        post: operations["DeploymentsController_abort"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/canary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a canary: percent of traffic (random, or sticky by a header or input field) to a READY version other than stable. A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`). */
        post: operations["DeploymentsController_canary"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The deployment's events, newest first, optionally of one type */
        get: operations["DeploymentsController_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per version and role since `since` (default the last 15 minutes, at most 24 h): request rate, error rate and p99 per 10 s window and over the range, and input drift (PSI) per feature against the version’s training profile */
        get: operations["DeploymentMetricsController_read"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote the canary to stable. A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`). */
        post: operations["DeploymentsController_promote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The revision history, newest first: each action with what it served, who, when and why */
        get: operations["DeploymentsController_revisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll back: drop the canary when there is one, else serve the previous stable version again. A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`). */
        post: operations["DeploymentsController_rollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/rollout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a rollout plan for a READY version (the deployment's own plan when none is given): canary at the first step. A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`). */
        post: operations["DeploymentsController_rollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments/{name}/shadow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mirror percent of traffic to a READY version (never answering), or stop with version null. A stale baseRevision is a 409 whose body carries the deployment as it is now (`current`). */
        post: operations["DeploymentsController_shadow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List experiments by name, cursor-paginated */
        get: operations["ExperimentsController_list"];
        put?: never;
        /** Create an experiment (names are unique) */
        post: operations["ExperimentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/experiments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One experiment */
        get: operations["ExperimentsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename an experiment, change its description or replace its tags */
        patch: operations["ExperimentsController_update"];
        trace?: never;
    };
    "/api/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List models by name, optionally searching the name or filtering by tag (`key` or `key=value`) */
        get: operations["ModelsController_list"];
        put?: never;
        /** Register a model (unique name, description, tags) */
        post: operations["ModelsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One model with its latest version and aliases */
        get: operations["ModelsController_get"];
        put?: never;
        post?: never;
        /** Delete a model with its versions and aliases; refused (409) while a deployment uses it */
        delete: operations["ModelsController_remove"];
        options?: never;
        head?: never;
        /** Change a model's description and/or tags (tags are replaced as a whole) */
        patch: operations["ModelsController_update"];
        trace?: never;
    };
    "/api/v1/models/{name}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The version an alias points at */
        get: operations["AliasesController_get"];
        /** Set or move an alias to a READY version (recorded in the audit log, announced as alias.moved) */
        put: operations["AliasesController_set"];
        post?: never;
        /** Delete an alias */
        delete: operations["AliasesController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's versions, newest first, with lineage */
        get: operations["ModelVersionsController_list"];
        put?: never;
        /** Create the next version: from a run's artifact (READY, signed) or empty for direct upload (PENDING_UPLOAD) */
        post: operations["ModelVersionsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version: status, files, sha256, signature, evaluation, lineage to its run */
        get: operations["ModelVersionsController_get"];
        put?: never;
        post?: never;
        /** Delete a version (its number is never reused; files are garbage-collected); refused (409) while an alias or a deployment uses it */
        delete: operations["ModelVersionsController_remove"];
        options?: never;
        head?: never;
        /** Change a version's description and/or tags (its artifact never changes) */
        patch: operations["ModelVersionsController_update"];
        trace?: never;
    };
    "/api/v1/models/{name}/versions/{version}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Archive a READY version; refused (409) while an alias or a deployment uses it */
        post: operations["ModelVersionsController_archive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}/versions/{version}/files/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download one file, verified against the signed manifest first (422 when tampered); its sha256 in x-slipway-sha256 and as the ETag (If-None-Match → 304) */
        get: operations["ModelVersionsController_download"];
        /** Upload one file of a PENDING_UPLOAD version (raw body, streamed; optional x-content-sha256 is checked) */
        put: operations["ModelVersionsController_putFile"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}/versions/{version}/finalize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Seal an uploaded version: hash its files, sign the manifest, READY */
        post: operations["ModelVersionsController_finalize"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}/versions/{version}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring an ARCHIVED version back to READY */
        post: operations["ModelVersionsController_restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{name}/versions/{version}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Re-hash every stored file and check the version's signature (what a loader does) */
        get: operations["ModelVersionsController_verify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts of models, versions, experiments, runs, deployments, jobs and connected workers */
        get: operations["OverviewController_getOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Compare up to 50 versions or runs: params with differences, metrics with the best, histories, evaluations */
        post: operations["RegistryController_compare"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/gc": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Garbage-collect artifacts of deleted runs, versions and models (`dryRun=true`, the default, only lists them) */
        post: operations["RegistryController_gc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ed25519 public key that verifies version signatures */
        get: operations["RegistryController_publicKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/resolve/{name}/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resolve `name/3` written as two path segments (no %2F needed): the same answer as `resolve/name%2F3` */
        get: operations["RegistryController_resolveNumbered"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/registry/resolve/{ref}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resolve `name@alias`, `name@latest`, `name@3` or `name/3` to a version */
        get: operations["RegistryController_resolve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a run in an experiment (by id, or by name: created if missing) */
        post: operations["RunsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One run: params, tags, latest metrics, artifacts */
        get: operations["RunsController_get"];
        put?: never;
        post?: never;
        /** Soft-delete a run: it leaves search results until restored */
        delete: operations["RunsController_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a run's artifacts */
        get: operations["ArtifactsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/artifacts/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download an artifact (streamed, with its sha256 in x-slipway-sha256) */
        get: operations["ArtifactsController_download"];
        /** Upload an artifact (raw body, streamed; sha256 computed on the way in; immutable once written) */
        put: operations["ArtifactsController_upload"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End a RUNNING run as FINISHED, FAILED or KILLED */
        post: operations["RunsController_end"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/log-batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log metrics (≤ 1000 points), params (immutable, ≤ 100) and tags (≤ 100) to a RUNNING run, atomically */
        post: operations["RunsController_logBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/metrics/{key}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every point of one metric, in step order, cursor-paginated (for charts) */
        get: operations["RunsController_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Restore a soft-deleted run */
        post: operations["RunsController_restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/runs/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search runs with query parameters (experimentIds comma-separated) */
        get: operations["RunsController_searchByQuery"];
        put?: never;
        /** Search runs: filter (metrics/params/tags/attributes, AND/OR/NOT/IN, parentheses), sort by any metric, cursor pages */
        post: operations["RunsController_search"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tuning studies, newest first, by status, algorithm or dataset; each with its trial counts and best trial */
        get: operations["TuningStudiesController_list"];
        put?: never;
        /** Create a tuning study: one algorithm's search space (int/float/categorical dimensions, conditional `when`) over a dataset, grid/random/tpe, an objective metric, maxTrials and parallelism, optional early stopping and registerBest; RUNNING at once unless start: false */
        post: operations["TuningStudiesController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tuning study: status, counts, best trial, every trial (params, value, intermediate values) and parameter importance */
        get: operations["TuningStudiesController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies/{id}/register-best": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register the best completed trial's model as the next version of a model, optionally moving an alias; once per study (the same model again answers that version, another model 409); 409 without a completed trial */
        post: operations["TuningStudiesController_registerBest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a STOPPED, FAILED or COMPLETED study (RUNNING again): a COMPLETED one needs a higher maxTrials, one FAILED on failed trials a higher maxFailedTrials; 409 says what to raise */
        post: operations["TuningStudiesController_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a CREATED study (optionally with a new maxTrials / maxFailedTrials); 409 in any other state */
        post: operations["TuningStudiesController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a RUNNING study: STOPPING until its queued trials are cancelled and running ones stopped, then STOPPED (a CREATED one at once); 409 once ended */
        post: operations["TuningStudiesController_stop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/studies/by-name/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tuning study by its name, as GET /api/v1/studies/:id answers it */
        get: operations["TuningStudiesController_getByName"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API tokens (never the tokens themselves) */
        get: operations["ApiTokenController_list"];
        put?: never;
        /** Create an API token; the token is in this response only */
        post: operations["ApiTokenController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token */
        delete: operations["ApiTokenController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List training jobs, newest first, by status, dataset or algorithm */
        get: operations["TrainingJobsController_list"];
        put?: never;
        /** Queue a training job: a dataset (+ target and feature columns), an algorithm with its hyper-parameters, an evaluation plan, a seed, and optionally registerAs { model, alias } */
        post: operations["TrainingJobsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One training job: status, live progress, attempts (with their runs), evaluation and result */
        get: operations["TrainingJobsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a job: a QUEUED one at once, a RUNNING one within seconds (the worker aborts training); 409 once it has ended */
        post: operations["TrainingJobsController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training-jobs/{id}/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register a SUCCEEDED job's model as the next version of a model (evaluation, input schema and training profile copied in), optionally moving an alias; again for the same model answers 200 with that version */
        post: operations["TrainingJobsController_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/training-jobs/algorithms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The trainable algorithms: each one's hyper-parameters as JSON Schema (defaults, bounds), tasks and dataset kind */
        get: operations["TrainingJobsController_algorithms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhooks (never their secrets) */
        get: operations["WebhooksController_list"];
        put?: never;
        /** Subscribe a URL to registry events; the HMAC secret is in this response only */
        post: operations["WebhooksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook */
        get: operations["WebhooksController_get"];
        put?: never;
        post?: never;
        /** Delete a webhook and its delivery history */
        delete: operations["WebhooksController_remove"];
        options?: never;
        head?: never;
        /** Change a webhook: name, URL, events, active, secret */
        patch: operations["WebhooksController_update"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Delivery history, newest first: status, attempts, response code and body, error */
        get: operations["WebhooksController_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a signed `ping` delivery to test the receiver */
        post: operations["WebhooksController_ping"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling token: name and role */
        get: operations["ApiTokenController_whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Workers seen in the last hour, with their TensorFlow.js backend and heartbeat */
        get: operations["OverviewController_listWorkers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Database, queue, object store and connected workers; 503 when a component is down. Public. */
        get: operations["HealthController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AliasDto_Output: {
            alias: string;
            model: string;
            previousVersion: number | null;
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        ApiTokenDto_Output: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            role: "viewer" | "editor" | "admin";
        };
        ApiTokenListDto_Output: {
            tokens: {
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                /** Format: date-time */
                expiresAt: string | null;
                /** Format: uuid */
                id: string;
                /** Format: date-time */
                lastUsedAt: string | null;
                name: string;
                prefix: string;
                /** Format: date-time */
                revokedAt: string | null;
                /** @enum {string} */
                role: "viewer" | "editor" | "admin";
            }[];
        };
        ArtifactDto_Output: {
            contentType: string;
            /** Format: date-time */
            createdAt: string;
            path: string;
            sha256: string;
            sizeBytes: number;
        };
        ArtifactListDto_Output: {
            artifacts: {
                contentType: string;
                /** Format: date-time */
                createdAt: string;
                path: string;
                sha256: string;
                sizeBytes: number;
            }[];
        };
        AuditListDto_Output: {
            entries: {
                action: string;
                actor: string;
                actorTokenId: string | null;
                after: unknown;
                before: unknown;
                /** Format: date-time */
                createdAt: string;
                entityId: string;
                entityType: string;
                id: string;
                requestId: string | null;
            }[];
            nextCursor: string | null;
        };
        CancelTrainingJobDto: {
            reason?: string;
        };
        CompareDto: {
            runIds?: string[];
            versions?: {
                model: string;
                version: number;
            }[];
        };
        CompareResultDto_Output: {
            evaluations: unknown[];
            histories: {
                key: string;
                series: {
                    step: number;
                    value: number | ("NaN" | "Infinity" | "-Infinity");
                }[][];
            }[];
            items: {
                codeVersion: string | null;
                datasetSha256: string | null;
                experimentId: string | null;
                label: string;
                model: string | null;
                runId: string | null;
                runName: string | null;
                status: string | null;
                version: number | null;
                versionId: string | null;
            }[];
            metrics: {
                best: number[];
                /** @enum {string} */
                goal: "min" | "max";
                key: string;
                values: ((number | ("NaN" | "Infinity" | "-Infinity")) | null)[];
            }[];
            params: {
                differs: boolean;
                key: string;
                values: (string | null)[];
            }[];
        };
        CreateApiTokenDto: {
            expiresInDays?: number;
            name: string;
            /** @enum {string} */
            role: "viewer" | "editor" | "admin";
        };
        CreatedApiTokenDto_Output: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** @enum {string} */
            role: "viewer" | "editor" | "admin";
            token: string;
        };
        CreateDeploymentDto: {
            alias?: string;
            /**
             * @default redeploy
             * @enum {string}
             */
            aliasPolicy?: "redeploy" | "rollout";
            description?: string;
            /** @default false */
            followAlias?: boolean;
            model: string;
            name: string;
            reason?: string;
            rolloutPlan?: {
                /** @default {} */
                gates?: {
                    maxErrorRate?: number;
                    maxInputDrift?: number;
                    maxP99LatencyMs?: number;
                    maxP99LatencyRatio?: number;
                    maxPredictionDrift?: number;
                    minFeedbackScore?: number;
                };
                intervalSeconds: number;
                /** @default 100 */
                minRequestsPerStep?: number;
                steps: number[];
            };
            version?: number;
        };
        CreatedWebhookDto_Output: {
            active: boolean;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            events: string[];
            /** Format: uuid */
            id: string;
            name: string;
            secret: string;
            /** Format: date-time */
            updatedAt: string;
            url: string;
        };
        CreateExperimentDto: {
            /** @default  */
            description?: string;
            name: string;
            /** @default {} */
            tags?: {
                [key: string]: string;
            };
        };
        CreateModelDto: {
            /** @default  */
            description?: string;
            name: string;
            /** @default {} */
            tags?: {
                [key: string]: string;
            };
        };
        CreateRunDto: {
            codeVersion?: string;
            datasetSha256?: string;
            /** Format: uuid */
            experimentId?: string;
            experimentName?: string;
            /** @default  */
            name?: string;
            /** @default [] */
            params?: {
                key: string;
                value: string;
            }[];
            seed?: number;
            /** @default {} */
            tags?: {
                [key: string]: string;
            };
        };
        CreateStudyDto: {
            /** @enum {string} */
            algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
            /** Format: uuid */
            datasetId: string;
            description?: string;
            /** @default null */
            earlyStopping?: ({
                /** @default 1 */
                intervalSteps?: number;
                /** @default 5 */
                minTrials?: number;
                /** @enum {string} */
                rule: "median";
                /** @default 0 */
                warmupSteps?: number;
            } | {
                /** @default 0 */
                minEarlyStoppingRate?: number;
                /** @default 1 */
                minResource?: number;
                /** @default 3 */
                reductionFactor?: number;
                /** @enum {string} */
                rule: "successive-halving";
            }) | null;
            /**
             * @default {
             *       "folds": 5,
             *       "kind": "kfold",
             *       "stratify": true
             *     }
             */
            evaluationPlan?: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify?: boolean;
                /** @default 0.2 */
                testFraction?: number;
            } | {
                /** @default 5 */
                folds?: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify?: boolean;
            };
            experiment?: string;
            featureColumns?: string[];
            /** @default {} */
            fixedHyperparameters?: {
                [key: string]: (string | number | boolean) | null;
            };
            /** @default 5 */
            maxFailedTrials?: number;
            maxTrials: number;
            name: string;
            objective: {
                /** @enum {string} */
                direction: "maximize" | "minimize";
                metric: string;
            };
            /** @default 1 */
            parallelism?: number;
            registerBest?: {
                alias?: string;
                model: string;
            };
            /** @default {} */
            sampler?: {
                constantLiar?: boolean;
                eiCandidates?: number;
                multivariate?: boolean;
                priorWeight?: number;
                startupTrials?: number;
            };
            searchSpace: {
                [key: string]: {
                    high: number;
                    /** @default false */
                    log?: boolean;
                    low: number;
                    step?: number;
                    /** @enum {string} */
                    type: "int";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                } | {
                    high: number;
                    /** @default false */
                    log?: boolean;
                    low: number;
                    step?: number;
                    /** @enum {string} */
                    type: "float";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                } | {
                    choices: ((string | number | boolean) | null)[];
                    /** @enum {string} */
                    type: "categorical";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                };
            };
            seed?: number;
            /** @default true */
            start?: boolean;
            /**
             * @default tpe
             * @enum {string}
             */
            strategy?: "grid" | "random" | "tpe";
            targetColumn?: string | null;
            /** @default 2 */
            trialMaxAttempts?: number;
        };
        CreateTrainingJobDto: {
            /** @enum {string} */
            algorithm: "kmeans";
            /** Format: uuid */
            datasetId: string;
            /**
             * @default {
             *       "kind": "split",
             *       "stratify": true,
             *       "testFraction": 0.2
             *     }
             */
            evaluationPlan?: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify?: boolean;
                /** @default 0.2 */
                testFraction?: number;
            } | {
                /** @default 5 */
                folds?: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify?: boolean;
            };
            experiment?: string;
            featureColumns?: string[];
            /**
             * @default {
             *       "init": "k-means++",
             *       "k": 8,
             *       "maxIter": 300,
             *       "nInit": 1,
             *       "preprocessing": "none",
             *       "tol": 0.0001
             *     }
             */
            hyperparameters?: {
                /**
                 * @default k-means++
                 * @enum {string}
                 */
                init?: "k-means++" | "random";
                /** @default 8 */
                k?: number;
                /** @default 300 */
                maxIter?: number;
                /** @default 1 */
                nInit?: number;
                /**
                 * @default none
                 * @enum {string}
                 */
                preprocessing?: "none" | "standardize";
                /** @default 0.0001 */
                tol?: number;
            };
            name?: string;
            registerAs?: {
                alias?: string;
                model: string;
            };
            /** @default 0 */
            seed?: number;
            targetColumn?: string | null;
        } | {
            /** @enum {string} */
            algorithm: "cart";
            /** Format: uuid */
            datasetId: string;
            /**
             * @default {
             *       "kind": "split",
             *       "stratify": true,
             *       "testFraction": 0.2
             *     }
             */
            evaluationPlan?: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify?: boolean;
                /** @default 0.2 */
                testFraction?: number;
            } | {
                /** @default 5 */
                folds?: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify?: boolean;
            };
            experiment?: string;
            featureColumns?: string[];
            /**
             * @default {
             *       "criterion": "gini",
             *       "maxDepth": null,
             *       "maxFeatures": null,
             *       "minSamplesLeaf": 1,
             *       "minSamplesSplit": 2,
             *       "preprocessing": "none"
             *     }
             */
            hyperparameters?: {
                /**
                 * @default gini
                 * @enum {string}
                 */
                criterion?: "gini" | "entropy" | "squared_error";
                /** @default null */
                maxDepth?: number | null;
                /** @default null */
                maxFeatures?: (number | ("sqrt" | "log2")) | null;
                /** @default 1 */
                minSamplesLeaf?: number;
                /** @default 2 */
                minSamplesSplit?: number;
                /**
                 * @default none
                 * @enum {string}
                 */
                preprocessing?: "none" | "standardize";
            };
            name?: string;
            registerAs?: {
                alias?: string;
                model: string;
            };
            /** @default 0 */
            seed?: number;
            targetColumn?: string | null;
        } | {
            /** @enum {string} */
            algorithm: "nn-regression";
            /** Format: uuid */
            datasetId: string;
            /**
             * @default {
             *       "kind": "split",
             *       "stratify": true,
             *       "testFraction": 0.2
             *     }
             */
            evaluationPlan?: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify?: boolean;
                /** @default 0.2 */
                testFraction?: number;
            } | {
                /** @default 5 */
                folds?: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify?: boolean;
            };
            experiment?: string;
            featureColumns?: string[];
            /**
             * @default {
             *       "batchSize": 64,
             *       "earlyStopping": {
             *         "minDelta": 0.00001,
             *         "patience": 5,
             *         "restoreBestWeights": true
             *       },
             *       "epochs": 50,
             *       "hiddenLayers": [
             *         {
             *           "activation": "relu",
             *           "units": 64
             *         },
             *         {
             *           "activation": "relu",
             *           "units": 32
             *         }
             *       ],
             *       "l2": 0,
             *       "learningRate": 0.001,
             *       "optimizer": "adam",
             *       "validationSplit": 0.1
             *     }
             */
            hyperparameters?: {
                /** @default 64 */
                batchSize?: number;
                /**
                 * @default {
                 *       "minDelta": 0.00001,
                 *       "patience": 5,
                 *       "restoreBestWeights": true
                 *     }
                 */
                earlyStopping?: {
                    /** @default 0 */
                    minDelta?: number;
                    patience: number;
                    /** @default true */
                    restoreBestWeights?: boolean;
                } | null;
                /** @default 50 */
                epochs?: number;
                /**
                 * @default [
                 *       {
                 *         "activation": "relu",
                 *         "units": 64
                 *       },
                 *       {
                 *         "activation": "relu",
                 *         "units": 32
                 *       }
                 *     ]
                 */
                hiddenLayers?: {
                    /**
                     * @default relu
                     * @enum {string}
                     */
                    activation?: "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "softplus" | "swish";
                    units: number;
                }[];
                /** @default 0 */
                l2?: number;
                /** @default 0.001 */
                learningRate?: number;
                /**
                 * @default adam
                 * @enum {string}
                 */
                optimizer?: "adam" | "sgd" | "rmsprop" | "adagrad";
                /** @default 0.1 */
                validationSplit?: number;
            };
            name?: string;
            registerAs?: {
                alias?: string;
                model: string;
            };
            /** @default 0 */
            seed?: number;
            targetColumn?: string | null;
        } | {
            /** @enum {string} */
            algorithm: "cnn";
            /** Format: uuid */
            datasetId: string;
            /**
             * @default {
             *       "kind": "split",
             *       "stratify": true,
             *       "testFraction": 0.2
             *     }
             */
            evaluationPlan?: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify?: boolean;
                /** @default 0.2 */
                testFraction?: number;
            } | {
                /** @default 5 */
                folds?: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify?: boolean;
            };
            experiment?: string;
            featureColumns?: string[];
            /**
             * @default {
             *       "augmentation": null,
             *       "batchSize": 32,
             *       "denseUnits": 64,
             *       "dropout": 0.25,
             *       "earlyStopping": {
             *         "minDelta": 0.0001,
             *         "patience": 5,
             *         "restoreBestWeights": true
             *       },
             *       "epochs": 30,
             *       "filters": [
             *         32,
             *         64,
             *         64
             *       ],
             *       "kernelSize": 3,
             *       "learningRate": 0.001,
             *       "optimizer": "adam",
             *       "padding": "same",
             *       "validationSplit": 0.1
             *     }
             */
            hyperparameters?: {
                /** @default null */
                augmentation?: {
                    /** @default false */
                    flipHorizontal?: boolean;
                    /** @default 2 */
                    maxShift?: number;
                } | null;
                /** @default 32 */
                batchSize?: number;
                /** @default 64 */
                denseUnits?: number;
                /** @default 0.25 */
                dropout?: number;
                /**
                 * @default {
                 *       "minDelta": 0.0001,
                 *       "patience": 5,
                 *       "restoreBestWeights": true
                 *     }
                 */
                earlyStopping?: {
                    /** @default 0 */
                    minDelta?: number;
                    patience: number;
                    /** @default true */
                    restoreBestWeights?: boolean;
                } | null;
                /** @default 30 */
                epochs?: number;
                /**
                 * @default [
                 *       32,
                 *       64,
                 *       64
                 *     ]
                 */
                filters?: [
                    number,
                    number,
                    number
                ];
                /** @default 3 */
                kernelSize?: number;
                /** @default 0.001 */
                learningRate?: number;
                /**
                 * @default adam
                 * @enum {string}
                 */
                optimizer?: "adam" | "sgd" | "rmsprop" | "adagrad";
                /**
                 * @default same
                 * @enum {string}
                 */
                padding?: "same" | "valid";
                /** @default 0.1 */
                validationSplit?: number;
            };
            name?: string;
            registerAs?: {
                alias?: string;
                model: string;
            };
            /** @default 0 */
            seed?: number;
            targetColumn?: string | null;
        };
        CreateVersionDto: {
            algorithm?: string;
            artifactPath?: string;
            /** @default  */
            description?: string;
            evaluation?: {
                confusionMatrix?: {
                    labels: string[];
                    matrix: number[][];
                };
                extra?: {
                    [key: string]: components["schemas"]["CreateVersionDto__schema0"];
                };
                metrics?: {
                    [key: string]: number;
                };
                pr?: {
                    auc?: number;
                    label?: string;
                    thresholds?: number[];
                    x: number[];
                    y: number[];
                } | {
                    auc?: number;
                    label?: string;
                    thresholds?: number[];
                    x: number[];
                    y: number[];
                }[];
                roc?: {
                    auc?: number;
                    label?: string;
                    thresholds?: number[];
                    x: number[];
                    y: number[];
                } | {
                    auc?: number;
                    label?: string;
                    thresholds?: number[];
                    x: number[];
                    y: number[];
                }[];
            };
            framework?: string;
            inputSchema?: {
                classLabels?: string[];
                columns?: {
                    name: string;
                    nullable?: boolean;
                    /** @enum {string} */
                    type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                }[];
                shape?: number[];
                target?: {
                    name: string;
                    /** @enum {string} */
                    type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                };
            };
            /** Format: uuid */
            runId?: string;
            /** @default {} */
            tags?: {
                [key: string]: string;
            };
            trainingProfile?: {
                classBalance?: {
                    count: number;
                    value: string;
                }[];
                columns: {
                    count: number;
                    distinct?: number;
                    distinctExact?: boolean;
                    histogram?: {
                        counts: number[];
                        edges: number[];
                    };
                    max?: number;
                    mean?: number;
                    min?: number;
                    missing: number;
                    name: string;
                    quantiles?: {
                        [key: string]: number;
                    };
                    sampled?: boolean;
                    std?: number;
                    topValues?: {
                        count: number;
                        value: string;
                    }[];
                    /** @enum {string} */
                    type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                }[];
                /** @enum {string} */
                delimiter?: "," | ";" | "\t" | "|";
                /** @enum {string} */
                format?: "csv" | "parquet" | "images";
                images?: {
                    channels: number;
                    count: number;
                    height: number;
                    width: number;
                };
                rowCount: number;
            };
        };
        CreateVersionDto__schema0: unknown;
        CreateWebhookDto: {
            /** @default true */
            active?: boolean;
            events: ("model_version.created" | "model_version.ready" | "model_version.archived" | "alias.moved" | "alias.deleted" | "training_job.queued" | "training_job.started" | "training_job.succeeded" | "training_job.failed" | "training_job.cancel_requested" | "training_job.cancelled" | "deployment.created" | "deployment.updated" | "deployment.deleted" | "deployment.canary_started" | "deployment.shadow_changed" | "deployment.rollout_started" | "deployment.promoted" | "deployment.rolled_back" | "deployment.aborted" | "deployment.alias_redeployed" | "deployment.rollout_advanced" | "deployment.auto_rolled_back" | "tuning_study.created" | "tuning_study.started" | "tuning_study.stop_requested" | "tuning_study.completed" | "tuning_study.stopped" | "tuning_study.failed" | "tuning_study.best_registered" | "tuning_trial.completed" | "tuning_trial.pruned" | "tuning_trial.failed")[];
            name: string;
            secret?: string;
            /** Format: uri */
            url: string;
        };
        DatasetDto_Output: {
            columns: {
                name: string;
                /** @enum {string} */
                type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
            }[];
            /** Format: date-time */
            createdAt: string;
            /** @enum {string} */
            format: "csv" | "parquet" | "images";
            /** Format: uuid */
            id: string;
            name: string;
            rows: number;
            sha256: string;
            sizeBytes: number;
            source: {
                provenance: string;
                sample: string;
            } | null;
            targetColumn: string | null;
        };
        DatasetListDto_Output: {
            datasets: {
                columns: {
                    name: string;
                    /** @enum {string} */
                    type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                }[];
                /** Format: date-time */
                createdAt: string;
                /** @enum {string} */
                format: "csv" | "parquet" | "images";
                /** Format: uuid */
                id: string;
                name: string;
                rows: number;
                sha256: string;
                sizeBytes: number;
                source: {
                    provenance: string;
                    sample: string;
                } | null;
                targetColumn: string | null;
            }[];
            nextCursor: string | null;
        };
        DatasetProfileDto_Output: {
            /** Format: uuid */
            datasetId: string;
            profile: {
                classBalance?: {
                    count: number;
                    value: string;
                }[];
                columns: {
                    count: number;
                    distinct?: number;
                    distinctExact?: boolean;
                    histogram?: {
                        counts: number[];
                        edges: number[];
                    };
                    max?: number;
                    mean?: number;
                    min?: number;
                    missing: number;
                    name: string;
                    quantiles?: {
                        [key: string]: number;
                    };
                    sampled?: boolean;
                    std?: number;
                    topValues?: {
                        count: number;
                        value: string;
                    }[];
                    /** @enum {string} */
                    type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                }[];
                /** @enum {string} */
                delimiter?: "," | ";" | "\t" | "|";
                /** @enum {string} */
                format?: "csv" | "parquet" | "images";
                images?: {
                    channels: number;
                    count: number;
                    height: number;
                    width: number;
                };
                rowCount: number;
            };
            targetColumn: string | null;
        };
        DatasetSampleListDto_Output: {
            samples: {
                /** @enum {string} */
                name: "iris" | "wine" | "breast_cancer" | "digits" | "regression_20k";
                provenance: string;
                rows: number;
                targetColumn: string;
                /** @enum {string} */
                task: "classification" | "regression";
            }[];
        };
        DeliveryDto_Output: {
            attempts: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
            error: string | null;
            event: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            nextAttemptAt: string | null;
            payload: unknown;
            responseBody: string | null;
            responseStatus: number | null;
            /** @enum {string} */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
            /** Format: uuid */
            webhookId: string;
        };
        DeliveryListDto_Output: {
            deliveries: {
                attempts: number;
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                deliveredAt: string | null;
                error: string | null;
                event: string;
                /** Format: uuid */
                id: string;
                /** Format: date-time */
                nextAttemptAt: string | null;
                payload: unknown;
                responseBody: string | null;
                responseStatus: number | null;
                /** @enum {string} */
                status: "PENDING" | "SUCCEEDED" | "FAILED";
                /** Format: uuid */
                webhookId: string;
            }[];
            nextCursor: string | null;
        };
        DeploymentActionDto: {
            baseRevision: number;
            reason?: string;
        };
        DeploymentConflictDto_Output: {
            current: {
                /** @enum {string} */
                aliasPolicy: "redeploy" | "rollout";
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                currentRevision: number;
                description: string;
                /** Format: uuid */
                id: string;
                model: string;
                name: string;
                revision: {
                    /** @enum {string} */
                    action: "CREATE" | "UPDATE" | "GRAY_START" | "GRAY_STEP" | "PROMOTE" | "ROLLBACK" | "AUTO_ROLLBACK" | "ALIAS_REDEPLOY" | "SHADOW" | "ABORT";
                    canary: {
                        percent: number;
                        sticky: ({
                            header: string;
                        } | {
                            field: string;
                        }) | null;
                        version: number;
                        /** Format: uuid */
                        versionId: string;
                    } | null;
                    /** Format: date-time */
                    createdAt: string;
                    createdBy: string | null;
                    reason: string;
                    revision: number;
                    rolloutPlan: {
                        /** @default {} */
                        gates: {
                            maxErrorRate?: number;
                            maxInputDrift?: number;
                            maxP99LatencyMs?: number;
                            maxP99LatencyRatio?: number;
                            maxPredictionDrift?: number;
                            minFeedbackScore?: number;
                        };
                        intervalSeconds: number;
                        /** @default 100 */
                        minRequestsPerStep: number;
                        steps: number[];
                    } | null;
                    rolloutStep: number | null;
                    shadow: {
                        percent: number;
                        version: number;
                        /** Format: uuid */
                        versionId: string;
                    } | null;
                    stable: {
                        version: number;
                        /** Format: uuid */
                        versionId: string;
                    };
                };
                rollout: {
                    /** Format: date-time */
                    nextAnalysisAt: string;
                    step: number;
                    steps: number[];
                    /** Format: date-time */
                    stepStartedAt: string;
                } | null;
                rolloutPlan: {
                    /** @default {} */
                    gates: {
                        maxErrorRate?: number;
                        maxInputDrift?: number;
                        maxP99LatencyMs?: number;
                        maxP99LatencyRatio?: number;
                        maxPredictionDrift?: number;
                        minFeedbackScore?: number;
                    };
                    intervalSeconds: number;
                    /** @default 100 */
                    minRequestsPerStep: number;
                    steps: number[];
                } | null;
                /** @enum {string} */
                status: "ACTIVE" | "ROLLING_OUT" | "PAUSED" | "DELETED";
                trackedAlias: string | null;
                /** Format: date-time */
                updatedAt: string;
            };
            error: {
                /** @enum {string} */
                code: "CONFLICT";
                fields?: {
                    field: string;
                    message: string;
                }[];
                message: string;
                requestId?: string;
            };
        };
        DeploymentDto_Output: {
            /** @enum {string} */
            aliasPolicy: "redeploy" | "rollout";
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            currentRevision: number;
            description: string;
            /** Format: uuid */
            id: string;
            model: string;
            name: string;
            revision: {
                /** @enum {string} */
                action: "CREATE" | "UPDATE" | "GRAY_START" | "GRAY_STEP" | "PROMOTE" | "ROLLBACK" | "AUTO_ROLLBACK" | "ALIAS_REDEPLOY" | "SHADOW" | "ABORT";
                canary: {
                    percent: number;
                    sticky: ({
                        header: string;
                    } | {
                        field: string;
                    }) | null;
                    version: number;
                    /** Format: uuid */
                    versionId: string;
                } | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                reason: string;
                revision: number;
                rolloutPlan: {
                    /** @default {} */
                    gates: {
                        maxErrorRate?: number;
                        maxInputDrift?: number;
                        maxP99LatencyMs?: number;
                        maxP99LatencyRatio?: number;
                        maxPredictionDrift?: number;
                        minFeedbackScore?: number;
                    };
                    intervalSeconds: number;
                    /** @default 100 */
                    minRequestsPerStep: number;
                    steps: number[];
                } | null;
                rolloutStep: number | null;
                shadow: {
                    percent: number;
                    version: number;
                    /** Format: uuid */
                    versionId: string;
                } | null;
                stable: {
                    version: number;
                    /** Format: uuid */
                    versionId: string;
                };
            };
            rollout: {
                /** Format: date-time */
                nextAnalysisAt: string;
                step: number;
                steps: number[];
                /** Format: date-time */
                stepStartedAt: string;
            } | null;
            rolloutPlan: {
                /** @default {} */
                gates: {
                    maxErrorRate?: number;
                    maxInputDrift?: number;
                    maxP99LatencyMs?: number;
                    maxP99LatencyRatio?: number;
                    maxPredictionDrift?: number;
                    minFeedbackScore?: number;
                };
                intervalSeconds: number;
                /** @default 100 */
                minRequestsPerStep: number;
                steps: number[];
            } | null;
            /** @enum {string} */
            status: "ACTIVE" | "ROLLING_OUT" | "PAUSED" | "DELETED";
            trackedAlias: string | null;
            /** Format: date-time */
            updatedAt: string;
        };
        DeploymentEventListDto_Output: {
            events: {
                actor: string | null;
                /** Format: date-time */
                createdAt: string;
                data: {
                    [key: string]: components["schemas"]["DeploymentEventListDto_Output__schema0_Output"];
                } | null;
                id: string;
                message: string;
                revision: number | null;
                type: string;
            }[];
            nextCursor: string | null;
        };
        DeploymentEventListDto_Output__schema0_Output: unknown;
        DeploymentListDto_Output: {
            deployments: {
                /** @enum {string} */
                aliasPolicy: "redeploy" | "rollout";
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                currentRevision: number;
                description: string;
                /** Format: uuid */
                id: string;
                model: string;
                name: string;
                revision: {
                    /** @enum {string} */
                    action: "CREATE" | "UPDATE" | "GRAY_START" | "GRAY_STEP" | "PROMOTE" | "ROLLBACK" | "AUTO_ROLLBACK" | "ALIAS_REDEPLOY" | "SHADOW" | "ABORT";
                    canary: {
                        percent: number;
                        sticky: ({
                            header: string;
                        } | {
                            field: string;
                        }) | null;
                        version: number;
                        /** Format: uuid */
                        versionId: string;
                    } | null;
                    /** Format: date-time */
                    createdAt: string;
                    createdBy: string | null;
                    reason: string;
                    revision: number;
                    rolloutPlan: {
                        /** @default {} */
                        gates: {
                            maxErrorRate?: number;
                            maxInputDrift?: number;
                            maxP99LatencyMs?: number;
                            maxP99LatencyRatio?: number;
                            maxPredictionDrift?: number;
                            minFeedbackScore?: number;
                        };
                        intervalSeconds: number;
                        /** @default 100 */
                        minRequestsPerStep: number;
                        steps: number[];
                    } | null;
                    rolloutStep: number | null;
                    shadow: {
                        percent: number;
                        version: number;
                        /** Format: uuid */
                        versionId: string;
                    } | null;
                    stable: {
                        version: number;
                        /** Format: uuid */
                        versionId: string;
                    };
                };
                rollout: {
                    /** Format: date-time */
                    nextAnalysisAt: string;
                    step: number;
                    steps: number[];
                    /** Format: date-time */
                    stepStartedAt: string;
                } | null;
                rolloutPlan: {
                    /** @default {} */
                    gates: {
                        maxErrorRate?: number;
                        maxInputDrift?: number;
                        maxP99LatencyMs?: number;
                        maxP99LatencyRatio?: number;
                        maxPredictionDrift?: number;
                        minFeedbackScore?: number;
                    };
                    intervalSeconds: number;
                    /** @default 100 */
                    minRequestsPerStep: number;
                    steps: number[];
                } | null;
                /** @enum {string} */
                status: "ACTIVE" | "ROLLING_OUT" | "PAUSED" | "DELETED";
                trackedAlias: string | null;
                /** Format: date-time */
                updatedAt: string;
            }[];
            nextCursor: string | null;
        };
        DeploymentMetricsDto_Output: {
            deployment: string;
            series: {
                drift: {
                    feature: string;
                    psi: number;
                }[];
                points: {
                    /** Format: date-time */
                    at: string;
                    errorRate: number | null;
                    p99Ms: number | null;
                    requestRate: number;
                    requests: number;
                }[];
                /** @enum {string} */
                role: "stable" | "canary" | "shadow";
                totals: {
                    errorRate: number | null;
                    errors: number;
                    p99Ms: number | null;
                    requests: number;
                };
                version: number | null;
                versionId: string;
            }[];
            /** Format: date-time */
            since: string;
            /** Format: date-time */
            until: string;
            windowSeconds: number;
        };
        DeploymentRevisionListDto_Output: {
            nextCursor: string | null;
            revisions: {
                /** @enum {string} */
                action: "CREATE" | "UPDATE" | "GRAY_START" | "GRAY_STEP" | "PROMOTE" | "ROLLBACK" | "AUTO_ROLLBACK" | "ALIAS_REDEPLOY" | "SHADOW" | "ABORT";
                canary: {
                    percent: number;
                    sticky: ({
                        header: string;
                    } | {
                        field: string;
                    }) | null;
                    version: number;
                    /** Format: uuid */
                    versionId: string;
                } | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                reason: string;
                revision: number;
                rolloutPlan: {
                    /** @default {} */
                    gates: {
                        maxErrorRate?: number;
                        maxInputDrift?: number;
                        maxP99LatencyMs?: number;
                        maxP99LatencyRatio?: number;
                        maxPredictionDrift?: number;
                        minFeedbackScore?: number;
                    };
                    intervalSeconds: number;
                    /** @default 100 */
                    minRequestsPerStep: number;
                    steps: number[];
                } | null;
                rolloutStep: number | null;
                shadow: {
                    percent: number;
                    version: number;
                    /** Format: uuid */
                    versionId: string;
                } | null;
                stable: {
                    version: number;
                    /** Format: uuid */
                    versionId: string;
                };
            }[];
        };
        EndRunDto: {
            endTime?: number | string;
            /** @enum {string} */
            status: "FINISHED" | "FAILED" | "KILLED";
        };
        ExperimentDto_Output: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            name: string;
            tags: {
                [key: string]: string;
            };
            /** Format: date-time */
            updatedAt: string;
        };
        ExperimentListDto_Output: {
            experiments: {
                /** Format: date-time */
                createdAt: string;
                description: string;
                /** Format: uuid */
                id: string;
                name: string;
                tags: {
                    [key: string]: string;
                };
                /** Format: date-time */
                updatedAt: string;
            }[];
            nextCursor: string | null;
        };
        FinalizeVersionDto: {
            files?: {
                path: string;
                sha256: string;
                sizeBytes?: number;
            }[];
        };
        GcRequestDto: {
            dryRun?: boolean;
        };
        GcResultDto_Output: {
            deletedCount: number;
            dryRun: boolean;
            objectCount: number;
            objects: {
                key: string;
                /** @enum {string} */
                reason: "deleted_run" | "deleted_version" | "deleted_model";
                sizeBytes: number;
            }[];
            totalBytes: number;
            truncated: boolean;
        };
        HealthResponseDto_Output: {
            checks: {
                database: {
                    detail?: string;
                    error?: string;
                    latencyMs: number;
                    /** @enum {string} */
                    status: "UP" | "DOWN";
                };
                objectStore: {
                    detail?: string;
                    error?: string;
                    latencyMs: number;
                    /** @enum {string} */
                    status: "UP" | "DOWN";
                };
                queue: {
                    detail?: string;
                    error?: string;
                    latencyMs: number;
                    /** @enum {string} */
                    status: "UP" | "DOWN";
                };
            };
            /** @enum {string} */
            status: "OK" | "DOWN";
            uptimeSeconds: number;
            version: string;
            workers: {
                connected: number;
                heartbeatTimeoutSeconds: number;
                list: {
                    concurrency: number;
                    device: string;
                    host: string;
                    id: string;
                    /** Format: date-time */
                    lastHeartbeatAt: string;
                    pid: number;
                    /** Format: date-time */
                    startedAt: string;
                    tfBackend: string;
                    version: string;
                }[];
            };
        };
        LogBatchDto: {
            metrics?: {
                key: string;
                /** @default 0 */
                step?: number;
                timestamp?: number | string;
                value: number | ("NaN" | "Infinity" | "-Infinity");
            }[];
            /** @default [] */
            params?: {
                key: string;
                value: string;
            }[];
            /** @default {} */
            tags?: {
                [key: string]: string;
            };
        };
        LogBatchResultDto_Output: {
            metrics: number;
            params: number;
            tags: number;
        };
        MetricHistoryDto_Output: {
            key: string;
            nextCursor: string | null;
            points: {
                step: number;
                /** Format: date-time */
                timestamp: string;
                value: number | ("NaN" | "Infinity" | "-Infinity");
            }[];
        };
        ModelDto_Output: {
            aliases: {
                alias: string;
                version: number;
            }[];
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            latestReadyVersion: number | null;
            latestVersion: {
                /** Format: date-time */
                createdAt: string;
                /** @enum {string} */
                status: "PENDING_UPLOAD" | "READY" | "FAILED" | "ARCHIVED";
                version: number;
            } | null;
            name: string;
            tags: {
                [key: string]: string;
            };
            /** Format: date-time */
            updatedAt: string;
            versionCount: number;
        };
        ModelListDto_Output: {
            models: {
                aliases: {
                    alias: string;
                    version: number;
                }[];
                /** Format: date-time */
                createdAt: string;
                description: string;
                /** Format: uuid */
                id: string;
                latestReadyVersion: number | null;
                latestVersion: {
                    /** Format: date-time */
                    createdAt: string;
                    /** @enum {string} */
                    status: "PENDING_UPLOAD" | "READY" | "FAILED" | "ARCHIVED";
                    version: number;
                } | null;
                name: string;
                tags: {
                    [key: string]: string;
                };
                /** Format: date-time */
                updatedAt: string;
                versionCount: number;
            }[];
            nextCursor: string | null;
        };
        OverviewResponseDto_Output: {
            deployments: number;
            experiments: number;
            /** Format: date-time */
            generatedAt: string;
            models: number;
            modelVersions: number;
            runs: {
                failed: number;
                finished: number;
                running: number;
                total: number;
            };
            trainingJobs: {
                queued: number;
                running: number;
            };
            workers: {
                connected: number;
            };
        };
        PublicKeyDto_Output: {
            /** @enum {string} */
            algorithm: "ed25519";
            keyId: string;
            pem: string;
            rawBase64: string;
            retired: {
                /** @enum {string} */
                algorithm: "ed25519";
                keyId: string;
                pem: string;
                rawBase64: string;
            }[];
            scheme: string;
        };
        RegisterBestDto: {
            alias?: string;
            model: string;
        };
        RegisterTrainingJobDto: {
            alias?: string;
            model: string;
        };
        ResolvedRefDto_Output: {
            alias: string | null;
            ref: string;
            version: {
                algorithm: string | null;
                aliases: string[];
                /** Format: date-time */
                archivedAt: string | null;
                artifactUri: string | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                description: string;
                evaluation: unknown;
                files: {
                    path: string;
                    sha256: string;
                    sizeBytes: number;
                }[] | null;
                framework: string | null;
                /** Format: uuid */
                id: string;
                inputSchema: unknown;
                lineage: {
                    codeVersion: string | null;
                    datasetId: string | null;
                    datasetSha256: string | null;
                    /** Format: uuid */
                    experimentId: string;
                    metrics: {
                        [key: string]: number | ("NaN" | "Infinity" | "-Infinity");
                    };
                    params: {
                        [key: string]: string;
                    };
                    runDeleted: boolean;
                    /** Format: uuid */
                    runId: string;
                    runName: string;
                    runStatus: string;
                    seed: number | null;
                } | null;
                model: string;
                /** Format: date-time */
                readyAt: string | null;
                /** Format: uuid */
                runId: string | null;
                sha256: string | null;
                signature: string | null;
                signatureKeyId: string | null;
                sizeBytes: number | null;
                /** @enum {string} */
                status: "PENDING_UPLOAD" | "READY" | "FAILED" | "ARCHIVED";
                tags: {
                    [key: string]: string;
                };
                trainingProfile: unknown;
                version: number;
            };
        };
        ResumeStudyDto: {
            maxFailedTrials?: number;
            maxTrials?: number;
        };
        RunDto_Output: {
            artifacts: {
                contentType: string;
                /** Format: date-time */
                createdAt: string;
                path: string;
                sha256: string;
                sizeBytes: number;
            }[];
            codeVersion: string | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            datasetSha256: string | null;
            /** Format: date-time */
            deletedAt: string | null;
            /** Format: date-time */
            endedAt: string | null;
            /** Format: uuid */
            experimentId: string;
            /** Format: uuid */
            id: string;
            metrics: {
                key: string;
                step: number;
                /** Format: date-time */
                timestamp: string;
                value: number | ("NaN" | "Infinity" | "-Infinity");
            }[];
            name: string;
            params: {
                key: string;
                value: string;
            }[];
            seed: number | null;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
            tags: {
                [key: string]: string;
            };
        };
        RunSearchResultDto_Output: {
            nextCursor: string | null;
            runs: {
                codeVersion: string | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                datasetSha256: string | null;
                /** Format: date-time */
                deletedAt: string | null;
                /** Format: date-time */
                endedAt: string | null;
                /** Format: uuid */
                experimentId: string;
                /** Format: uuid */
                id: string;
                metrics: {
                    key: string;
                    step: number;
                    /** Format: date-time */
                    timestamp: string;
                    value: number | ("NaN" | "Infinity" | "-Infinity");
                }[];
                name: string;
                params: {
                    key: string;
                    value: string;
                }[];
                seed: number | null;
                /** Format: date-time */
                startedAt: string | null;
                /** @enum {string} */
                status: "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
                tags: {
                    [key: string]: string;
                };
            }[];
        };
        SearchRunsDto: {
            cursor?: string;
            experimentIds?: string[];
            /** @default  */
            filter?: string;
            /**
             * @default active
             * @enum {string}
             */
            lifecycle?: "active" | "deleted" | "all";
            /** @default 100 */
            limit?: number;
            /** @default attributes.created_at DESC */
            orderBy?: string;
        };
        SetAliasDto: {
            version: number;
        };
        SetShadowDto: {
            baseRevision: number;
            /** @default 100 */
            percent?: number;
            reason?: string;
            version: number | null;
        };
        StartCanaryDto: {
            baseRevision: number;
            percent: number;
            reason?: string;
            sticky?: {
                header: string;
            } | {
                field: string;
            };
            version: number;
        };
        StartRolloutDto: {
            baseRevision: number;
            plan?: {
                /** @default {} */
                gates?: {
                    maxErrorRate?: number;
                    maxInputDrift?: number;
                    maxP99LatencyMs?: number;
                    maxP99LatencyRatio?: number;
                    maxPredictionDrift?: number;
                    minFeedbackScore?: number;
                };
                intervalSeconds: number;
                /** @default 100 */
                minRequestsPerStep?: number;
                steps: number[];
            };
            reason?: string;
            sticky?: {
                header: string;
            } | {
                field: string;
            };
            version: number;
        };
        StopStudyDto: {
            reason?: string;
        };
        TrainingAlgorithmListDto_Output: {
            algorithms: {
                /** @enum {string} */
                algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
                /** @enum {string} */
                datasetKind: "tabular" | "images";
                defaults: {
                    [key: string]: unknown;
                };
                description: string;
                hyperparameters: {
                    [key: string]: unknown;
                };
                targetRequired: boolean;
                tasks: ("classification" | "regression" | "clustering")[];
                title: string;
            }[];
        };
        TrainingJobDto_Output: {
            /** @enum {string} */
            algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
            attemptHistory: {
                attempt: number;
                /** Format: date-time */
                endedAt: string | null;
                /** @enum {string} */
                outcome: "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "LOST";
                reason: string | null;
                /** Format: uuid */
                runId: string;
                /** Format: date-time */
                startedAt: string;
                workerId: string | null;
            }[];
            attempts: number;
            /** Format: date-time */
            cancelRequestedAt: string | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            dataset: {
                /** Format: uuid */
                id: string;
                name: string;
                sha256: string;
            } | null;
            error: string | null;
            evaluation: {
                confusionMatrix?: {
                    labels: string[];
                    matrix: number[][];
                };
                curves?: {
                    pr: {
                        averagePrecision: number;
                        label: string;
                        points: {
                            precision: number[];
                            recall: number[];
                        };
                    }[];
                    roc: {
                        auc: number;
                        label: string;
                        points: {
                            fpr: number[];
                            tpr: number[];
                        };
                    }[];
                };
                featureImportance?: {
                    impurity?: {
                        feature: string;
                        importance: number;
                    }[];
                    permutation?: {
                        baseline: number;
                        features: {
                            feature: string;
                            mean: number;
                            std: number;
                        }[];
                        metric: string;
                        repeats: number;
                        rows: number;
                    };
                };
                folds?: {
                    [key: string]: number;
                }[];
                metrics: {
                    [key: string]: number;
                };
                perClass?: {
                    f1: number;
                    label: string;
                    precision: number;
                    recall: number;
                    support: number;
                }[];
                /** @enum {string} */
                plan: "split" | "kfold";
                primaryMetric: string;
                residuals?: {
                    count: number;
                    histogram: {
                        counts: number[];
                        edges: number[];
                    };
                    max: number;
                    maxAbs: number;
                    mean: number;
                    min: number;
                    quantiles: {
                        p5: number;
                        p25: number;
                        p50: number;
                        p75: number;
                        p95: number;
                    };
                    std: number;
                };
                rows: {
                    test: number;
                    train: number;
                };
                std?: {
                    [key: string]: number;
                };
                /** @enum {string} */
                task: "classification" | "regression" | "clustering";
            } | null;
            evaluationPlan: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify: boolean;
                /** @default 0.2 */
                testFraction: number;
            } | {
                /** @default 5 */
                folds: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify: boolean;
            };
            /** Format: uuid */
            experimentId: string | null;
            featureColumns: string[] | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: date-time */
            heartbeatAt: string | null;
            hyperparameters: {
                [key: string]: unknown;
            };
            /** Format: uuid */
            id: string;
            maxAttempts: number;
            modelVersion: {
                model: string;
                version: number;
            } | null;
            name: string;
            progress: {
                epoch: number | null;
                epochs: number | null;
                fold: number | null;
                folds: number | null;
                metrics: {
                    [key: string]: number;
                };
                /** @enum {string} */
                phase: "loading" | "training" | "evaluating" | "saving" | "registering";
                step: number;
                /** Format: date-time */
                updatedAt: string;
            } | null;
            registerAs: {
                alias?: string;
                model: string;
            } | null;
            result: {
                artifact: {
                    files: {
                        path: string;
                        sha256: string;
                        sizeBytes: number;
                    }[];
                    path: string;
                };
                backend: {
                    adapter?: {
                        architecture: string;
                        description: string;
                        device?: string;
                        vendor: string;
                    };
                    /** @enum {string} */
                    backend?: "node-gpu" | "webgpu" | "node" | "wasm" | "cpu";
                    device?: string;
                    forced?: boolean;
                    tfBackend?: string;
                    tfjsVersion?: string;
                    tried?: {
                        /** @enum {string} */
                        backend: "node-gpu" | "webgpu" | "node" | "wasm" | "cpu";
                        ok: boolean;
                        reason: string;
                    }[];
                };
                codeVersion: string;
                durationsMs: {
                    fit: number;
                    load: number;
                    queued: number;
                    save: number;
                    total: number;
                };
                featureNames: string[];
                inputSchema: {
                    classLabels?: string[];
                    columns?: {
                        name: string;
                        nullable?: boolean;
                        /** @enum {string} */
                        type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                    }[];
                    shape?: number[];
                    target?: {
                        name: string;
                        /** @enum {string} */
                        type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                    };
                };
                workerId: string;
            } | null;
            /** Format: uuid */
            runId: string | null;
            seed: number;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
            targetColumn: string | null;
            /** @enum {string} */
            task: "classification" | "regression" | "clustering";
            workerId: string | null;
        };
        TrainingJobListDto_Output: {
            jobs: {
                /** @enum {string} */
                algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
                attemptHistory: {
                    attempt: number;
                    /** Format: date-time */
                    endedAt: string | null;
                    /** @enum {string} */
                    outcome: "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "LOST";
                    reason: string | null;
                    /** Format: uuid */
                    runId: string;
                    /** Format: date-time */
                    startedAt: string;
                    workerId: string | null;
                }[];
                attempts: number;
                /** Format: date-time */
                cancelRequestedAt: string | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                dataset: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                    sha256: string;
                } | null;
                error: string | null;
                evaluation: {
                    confusionMatrix?: {
                        labels: string[];
                        matrix: number[][];
                    };
                    curves?: {
                        pr: {
                            averagePrecision: number;
                            label: string;
                            points: {
                                precision: number[];
                                recall: number[];
                            };
                        }[];
                        roc: {
                            auc: number;
                            label: string;
                            points: {
                                fpr: number[];
                                tpr: number[];
                            };
                        }[];
                    };
                    featureImportance?: {
                        impurity?: {
                            feature: string;
                            importance: number;
                        }[];
                        permutation?: {
                            baseline: number;
                            features: {
                                feature: string;
                                mean: number;
                                std: number;
                            }[];
                            metric: string;
                            repeats: number;
                            rows: number;
                        };
                    };
                    folds?: {
                        [key: string]: number;
                    }[];
                    metrics: {
                        [key: string]: number;
                    };
                    perClass?: {
                        f1: number;
                        label: string;
                        precision: number;
                        recall: number;
                        support: number;
                    }[];
                    /** @enum {string} */
                    plan: "split" | "kfold";
                    primaryMetric: string;
                    residuals?: {
                        count: number;
                        histogram: {
                            counts: number[];
                            edges: number[];
                        };
                        max: number;
                        maxAbs: number;
                        mean: number;
                        min: number;
                        quantiles: {
                            p5: number;
                            p25: number;
                            p50: number;
                            p75: number;
                            p95: number;
                        };
                        std: number;
                    };
                    rows: {
                        test: number;
                        train: number;
                    };
                    std?: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    task: "classification" | "regression" | "clustering";
                } | null;
                evaluationPlan: {
                    /** @enum {string} */
                    kind: "split";
                    /** @default true */
                    stratify: boolean;
                    /** @default 0.2 */
                    testFraction: number;
                } | {
                    /** @default 5 */
                    folds: number;
                    /** @enum {string} */
                    kind: "kfold";
                    /** @default true */
                    stratify: boolean;
                };
                /** Format: uuid */
                experimentId: string | null;
                featureColumns: string[] | null;
                /** Format: date-time */
                finishedAt: string | null;
                /** Format: date-time */
                heartbeatAt: string | null;
                hyperparameters: {
                    [key: string]: unknown;
                };
                /** Format: uuid */
                id: string;
                maxAttempts: number;
                modelVersion: {
                    model: string;
                    version: number;
                } | null;
                name: string;
                progress: {
                    epoch: number | null;
                    epochs: number | null;
                    fold: number | null;
                    folds: number | null;
                    metrics: {
                        [key: string]: number;
                    };
                    /** @enum {string} */
                    phase: "loading" | "training" | "evaluating" | "saving" | "registering";
                    step: number;
                    /** Format: date-time */
                    updatedAt: string;
                } | null;
                registerAs: {
                    alias?: string;
                    model: string;
                } | null;
                result: {
                    artifact: {
                        files: {
                            path: string;
                            sha256: string;
                            sizeBytes: number;
                        }[];
                        path: string;
                    };
                    backend: {
                        adapter?: {
                            architecture: string;
                            description: string;
                            device?: string;
                            vendor: string;
                        };
                        /** @enum {string} */
                        backend?: "node-gpu" | "webgpu" | "node" | "wasm" | "cpu";
                        device?: string;
                        forced?: boolean;
                        tfBackend?: string;
                        tfjsVersion?: string;
                        tried?: {
                            /** @enum {string} */
                            backend: "node-gpu" | "webgpu" | "node" | "wasm" | "cpu";
                            ok: boolean;
                            reason: string;
                        }[];
                    };
                    codeVersion: string;
                    durationsMs: {
                        fit: number;
                        load: number;
                        queued: number;
                        save: number;
                        total: number;
                    };
                    featureNames: string[];
                    inputSchema: {
                        classLabels?: string[];
                        columns?: {
                            name: string;
                            nullable?: boolean;
                            /** @enum {string} */
                            type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                        }[];
                        shape?: number[];
                        target?: {
                            name: string;
                            /** @enum {string} */
                            type: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
                        };
                    };
                    workerId: string;
                } | null;
                /** Format: uuid */
                runId: string | null;
                seed: number;
                /** Format: date-time */
                startedAt: string | null;
                /** @enum {string} */
                status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
                targetColumn: string | null;
                /** @enum {string} */
                task: "classification" | "regression" | "clustering";
                workerId: string | null;
            }[];
            nextCursor: string | null;
        };
        TuningStudyDetailDto_Output: {
            /** @enum {string} */
            algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
            best: {
                number: number;
                params: {
                    [key: string]: (string | number | boolean) | null;
                };
                /** Format: uuid */
                runId: string | null;
                /** Format: uuid */
                trialId: string;
                value: number;
            } | null;
            counts: {
                completed: number;
                failed: number;
                pruned: number;
                queued: number;
                running: number;
                total: number;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            dataset: {
                /** Format: uuid */
                id: string;
                name: string;
            } | null;
            description: string | null;
            earlyStopping: ({
                /** @default 1 */
                intervalSteps: number;
                /** @default 5 */
                minTrials: number;
                /** @enum {string} */
                rule: "median";
                /** @default 0 */
                warmupSteps: number;
            } | {
                /** @default 0 */
                minEarlyStoppingRate: number;
                /** @default 1 */
                minResource: number;
                /** @default 3 */
                reductionFactor: number;
                /** @enum {string} */
                rule: "successive-halving";
            }) | null;
            error: string | null;
            evaluationPlan: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify: boolean;
                /** @default 0.2 */
                testFraction: number;
            } | {
                /** @default 5 */
                folds: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify: boolean;
            };
            /** Format: uuid */
            experimentId: string | null;
            featureColumns: string[] | null;
            /** Format: date-time */
            finishedAt: string | null;
            fixedHyperparameters: {
                [key: string]: (string | number | boolean) | null;
            };
            /** Format: uuid */
            id: string;
            importance: {
                importance: number;
                param: string;
            }[];
            maxFailedTrials: number;
            maxTrials: number;
            name: string;
            objective: {
                /** @enum {string} */
                direction: "maximize" | "minimize";
                metric: string;
            };
            parallelism: number;
            registerBest: {
                alias?: string;
                model: string;
            } | null;
            registeredVersion: {
                model: string;
                version: number;
            } | null;
            sampler: {
                constantLiar?: boolean;
                eiCandidates?: number;
                multivariate?: boolean;
                priorWeight?: number;
                startupTrials?: number;
            };
            searchSpace: {
                [key: string]: {
                    high: number;
                    /** @default false */
                    log: boolean;
                    low: number;
                    step?: number;
                    /** @enum {string} */
                    type: "int";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                } | {
                    high: number;
                    /** @default false */
                    log: boolean;
                    low: number;
                    step?: number;
                    /** @enum {string} */
                    type: "float";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                } | {
                    choices: ((string | number | boolean) | null)[];
                    /** @enum {string} */
                    type: "categorical";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                };
            };
            seed: number;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "CREATED" | "RUNNING" | "STOPPING" | "COMPLETED" | "STOPPED" | "FAILED";
            /** Format: date-time */
            stopRequestedAt: string | null;
            stopRequestedBy: string | null;
            /** @enum {string} */
            strategy: "grid" | "random" | "tpe";
            targetColumn: string | null;
            /** @enum {string} */
            task: "classification" | "regression" | "clustering";
            trialMaxAttempts: number;
            trials: {
                attempts: number;
                /** Format: date-time */
                createdAt: string;
                error: string | null;
                /** Format: date-time */
                finishedAt: string | null;
                /** Format: uuid */
                id: string;
                intermediateValues: {
                    step: number;
                    value: number;
                }[];
                number: number;
                params: {
                    [key: string]: (string | number | boolean) | null;
                };
                prunedAtStep: number | null;
                /** Format: uuid */
                runId: string | null;
                /** Format: date-time */
                startedAt: string | null;
                /** @enum {string} */
                status: "QUEUED" | "RUNNING" | "COMPLETED" | "PRUNED" | "FAILED";
                /** Format: uuid */
                trainingJobId: string | null;
                value: number | null;
            }[];
        };
        TuningStudyDto_Output: {
            /** @enum {string} */
            algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
            best: {
                number: number;
                params: {
                    [key: string]: (string | number | boolean) | null;
                };
                /** Format: uuid */
                runId: string | null;
                /** Format: uuid */
                trialId: string;
                value: number;
            } | null;
            counts: {
                completed: number;
                failed: number;
                pruned: number;
                queued: number;
                running: number;
                total: number;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            dataset: {
                /** Format: uuid */
                id: string;
                name: string;
            } | null;
            description: string | null;
            earlyStopping: ({
                /** @default 1 */
                intervalSteps: number;
                /** @default 5 */
                minTrials: number;
                /** @enum {string} */
                rule: "median";
                /** @default 0 */
                warmupSteps: number;
            } | {
                /** @default 0 */
                minEarlyStoppingRate: number;
                /** @default 1 */
                minResource: number;
                /** @default 3 */
                reductionFactor: number;
                /** @enum {string} */
                rule: "successive-halving";
            }) | null;
            error: string | null;
            evaluationPlan: {
                /** @enum {string} */
                kind: "split";
                /** @default true */
                stratify: boolean;
                /** @default 0.2 */
                testFraction: number;
            } | {
                /** @default 5 */
                folds: number;
                /** @enum {string} */
                kind: "kfold";
                /** @default true */
                stratify: boolean;
            };
            /** Format: uuid */
            experimentId: string | null;
            featureColumns: string[] | null;
            /** Format: date-time */
            finishedAt: string | null;
            fixedHyperparameters: {
                [key: string]: (string | number | boolean) | null;
            };
            /** Format: uuid */
            id: string;
            maxFailedTrials: number;
            maxTrials: number;
            name: string;
            objective: {
                /** @enum {string} */
                direction: "maximize" | "minimize";
                metric: string;
            };
            parallelism: number;
            registerBest: {
                alias?: string;
                model: string;
            } | null;
            registeredVersion: {
                model: string;
                version: number;
            } | null;
            sampler: {
                constantLiar?: boolean;
                eiCandidates?: number;
                multivariate?: boolean;
                priorWeight?: number;
                startupTrials?: number;
            };
            searchSpace: {
                [key: string]: {
                    high: number;
                    /** @default false */
                    log: boolean;
                    low: number;
                    step?: number;
                    /** @enum {string} */
                    type: "int";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                } | {
                    high: number;
                    /** @default false */
                    log: boolean;
                    low: number;
                    step?: number;
                    /** @enum {string} */
                    type: "float";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                } | {
                    choices: ((string | number | boolean) | null)[];
                    /** @enum {string} */
                    type: "categorical";
                    when?: {
                        in: ((string | number | boolean) | null)[];
                        param: string;
                    };
                };
            };
            seed: number;
            /** Format: date-time */
            startedAt: string | null;
            /** @enum {string} */
            status: "CREATED" | "RUNNING" | "STOPPING" | "COMPLETED" | "STOPPED" | "FAILED";
            /** Format: date-time */
            stopRequestedAt: string | null;
            stopRequestedBy: string | null;
            /** @enum {string} */
            strategy: "grid" | "random" | "tpe";
            targetColumn: string | null;
            /** @enum {string} */
            task: "classification" | "regression" | "clustering";
            trialMaxAttempts: number;
        };
        TuningStudyListDto_Output: {
            nextCursor: string | null;
            studies: {
                /** @enum {string} */
                algorithm: "kmeans" | "cart" | "nn-regression" | "cnn";
                best: {
                    number: number;
                    params: {
                        [key: string]: (string | number | boolean) | null;
                    };
                    /** Format: uuid */
                    runId: string | null;
                    /** Format: uuid */
                    trialId: string;
                    value: number;
                } | null;
                counts: {
                    completed: number;
                    failed: number;
                    pruned: number;
                    queued: number;
                    running: number;
                    total: number;
                };
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                dataset: {
                    /** Format: uuid */
                    id: string;
                    name: string;
                } | null;
                description: string | null;
                earlyStopping: ({
                    /** @default 1 */
                    intervalSteps: number;
                    /** @default 5 */
                    minTrials: number;
                    /** @enum {string} */
                    rule: "median";
                    /** @default 0 */
                    warmupSteps: number;
                } | {
                    /** @default 0 */
                    minEarlyStoppingRate: number;
                    /** @default 1 */
                    minResource: number;
                    /** @default 3 */
                    reductionFactor: number;
                    /** @enum {string} */
                    rule: "successive-halving";
                }) | null;
                error: string | null;
                evaluationPlan: {
                    /** @enum {string} */
                    kind: "split";
                    /** @default true */
                    stratify: boolean;
                    /** @default 0.2 */
                    testFraction: number;
                } | {
                    /** @default 5 */
                    folds: number;
                    /** @enum {string} */
                    kind: "kfold";
                    /** @default true */
                    stratify: boolean;
                };
                /** Format: uuid */
                experimentId: string | null;
                featureColumns: string[] | null;
                /** Format: date-time */
                finishedAt: string | null;
                fixedHyperparameters: {
                    [key: string]: (string | number | boolean) | null;
                };
                /** Format: uuid */
                id: string;
                maxFailedTrials: number;
                maxTrials: number;
                name: string;
                objective: {
                    /** @enum {string} */
                    direction: "maximize" | "minimize";
                    metric: string;
                };
                parallelism: number;
                registerBest: {
                    alias?: string;
                    model: string;
                } | null;
                registeredVersion: {
                    model: string;
                    version: number;
                } | null;
                sampler: {
                    constantLiar?: boolean;
                    eiCandidates?: number;
                    multivariate?: boolean;
                    priorWeight?: number;
                    startupTrials?: number;
                };
                searchSpace: {
                    [key: string]: {
                        high: number;
                        /** @default false */
                        log: boolean;
                        low: number;
                        step?: number;
                        /** @enum {string} */
                        type: "int";
                        when?: {
                            in: ((string | number | boolean) | null)[];
                            param: string;
                        };
                    } | {
                        high: number;
                        /** @default false */
                        log: boolean;
                        low: number;
                        step?: number;
                        /** @enum {string} */
                        type: "float";
                        when?: {
                            in: ((string | number | boolean) | null)[];
                            param: string;
                        };
                    } | {
                        choices: ((string | number | boolean) | null)[];
                        /** @enum {string} */
                        type: "categorical";
                        when?: {
                            in: ((string | number | boolean) | null)[];
                            param: string;
                        };
                    };
                };
                seed: number;
                /** Format: date-time */
                startedAt: string | null;
                /** @enum {string} */
                status: "CREATED" | "RUNNING" | "STOPPING" | "COMPLETED" | "STOPPED" | "FAILED";
                /** Format: date-time */
                stopRequestedAt: string | null;
                stopRequestedBy: string | null;
                /** @enum {string} */
                strategy: "grid" | "random" | "tpe";
                targetColumn: string | null;
                /** @enum {string} */
                task: "classification" | "regression" | "clustering";
                trialMaxAttempts: number;
            }[];
        };
        UpdateDatasetDto: {
            columnTypes?: {
                [key: string]: "number" | "integer" | "boolean" | "string" | "categorical" | "datetime";
            };
            name?: string;
            targetColumn?: string | null;
        };
        UpdateDeploymentDto: {
            /** @enum {string} */
            aliasPolicy?: "redeploy" | "rollout";
            description?: string;
            rolloutPlan?: {
                /** @default {} */
                gates?: {
                    maxErrorRate?: number;
                    maxInputDrift?: number;
                    maxP99LatencyMs?: number;
                    maxP99LatencyRatio?: number;
                    maxPredictionDrift?: number;
                    minFeedbackScore?: number;
                };
                intervalSeconds: number;
                /** @default 100 */
                minRequestsPerStep?: number;
                steps: number[];
            } | null;
        };
        UpdateExperimentDto: {
            description?: string;
            name?: string;
            tags?: {
                [key: string]: string;
            };
        };
        UpdateModelDto: {
            description?: string;
            tags?: {
                [key: string]: string;
            };
        };
        UpdateVersionDto: {
            description?: string;
            tags?: {
                [key: string]: string;
            };
        };
        UpdateWebhookDto: {
            active?: boolean;
            events?: ("model_version.created" | "model_version.ready" | "model_version.archived" | "alias.moved" | "alias.deleted" | "training_job.queued" | "training_job.started" | "training_job.succeeded" | "training_job.failed" | "training_job.cancel_requested" | "training_job.cancelled" | "deployment.created" | "deployment.updated" | "deployment.deleted" | "deployment.canary_started" | "deployment.shadow_changed" | "deployment.rollout_started" | "deployment.promoted" | "deployment.rolled_back" | "deployment.aborted" | "deployment.alias_redeployed" | "deployment.rollout_advanced" | "deployment.auto_rolled_back" | "tuning_study.created" | "tuning_study.started" | "tuning_study.stop_requested" | "tuning_study.completed" | "tuning_study.stopped" | "tuning_study.failed" | "tuning_study.best_registered" | "tuning_trial.completed" | "tuning_trial.pruned" | "tuning_trial.failed")[];
            name?: string;
            secret?: string;
            /** Format: uri */
            url?: string;
        };
        UploadedFileDto_Output: {
            path: string;
            sha256: string;
            sizeBytes: number;
        };
        VerificationResultDto_Output: {
            files: number;
            keyId: string;
            model: string;
            sha256: string;
            /** @enum {boolean} */
            verified: true;
            version: number;
        };
        VersionDto_Output: {
            algorithm: string | null;
            aliases: string[];
            /** Format: date-time */
            archivedAt: string | null;
            artifactUri: string | null;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            description: string;
            evaluation: unknown;
            files: {
                path: string;
                sha256: string;
                sizeBytes: number;
            }[] | null;
            framework: string | null;
            /** Format: uuid */
            id: string;
            inputSchema: unknown;
            lineage: {
                codeVersion: string | null;
                datasetId: string | null;
                datasetSha256: string | null;
                /** Format: uuid */
                experimentId: string;
                metrics: {
                    [key: string]: number | ("NaN" | "Infinity" | "-Infinity");
                };
                params: {
                    [key: string]: string;
                };
                runDeleted: boolean;
                /** Format: uuid */
                runId: string;
                runName: string;
                runStatus: string;
                seed: number | null;
            } | null;
            model: string;
            /** Format: date-time */
            readyAt: string | null;
            /** Format: uuid */
            runId: string | null;
            sha256: string | null;
            signature: string | null;
            signatureKeyId: string | null;
            sizeBytes: number | null;
            /** @enum {string} */
            status: "PENDING_UPLOAD" | "READY" | "FAILED" | "ARCHIVED";
            tags: {
                [key: string]: string;
            };
            trainingProfile: unknown;
            version: number;
        };
        VersionListDto_Output: {
            nextCursor: string | null;
            versions: {
                algorithm: string | null;
                aliases: string[];
                /** Format: date-time */
                archivedAt: string | null;
                artifactUri: string | null;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                description: string;
                evaluation: unknown;
                files: {
                    path: string;
                    sha256: string;
                    sizeBytes: number;
                }[] | null;
                framework: string | null;
                /** Format: uuid */
                id: string;
                inputSchema: unknown;
                lineage: {
                    codeVersion: string | null;
                    datasetId: string | null;
                    datasetSha256: string | null;
                    /** Format: uuid */
                    experimentId: string;
                    metrics: {
                        [key: string]: number | ("NaN" | "Infinity" | "-Infinity");
                    };
                    params: {
                        [key: string]: string;
                    };
                    runDeleted: boolean;
                    /** Format: uuid */
                    runId: string;
                    runName: string;
                    runStatus: string;
                    seed: number | null;
                } | null;
                model: string;
                /** Format: date-time */
                readyAt: string | null;
                /** Format: uuid */
                runId: string | null;
                sha256: string | null;
                signature: string | null;
                signatureKeyId: string | null;
                sizeBytes: number | null;
                /** @enum {string} */
                status: "PENDING_UPLOAD" | "READY" | "FAILED" | "ARCHIVED";
                tags: {
                    [key: string]: string;
                };
                trainingProfile: unknown;
                version: number;
            }[];
        };
        WebhookDto_Output: {
            active: boolean;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            events: string[];
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: date-time */
            updatedAt: string;
            url: string;
        };
        WebhookListDto_Output: {
            webhooks: {
                active: boolean;
                /** Format: date-time */
                createdAt: string;
                createdBy: string | null;
                events: string[];
                /** Format: uuid */
                id: string;
                name: string;
                /** Format: date-time */
                updatedAt: string;
                url: string;
            }[];
        };
        WhoAmIDto_Output: {
            name: string;
            /** @enum {string} */
            role: "viewer" | "editor" | "admin";
            /** Format: uuid */
            tokenId: string;
        };
        WorkerListResponseDto_Output: {
            workers: {
                concurrency: number;
                connected: boolean;
                device: string;
                host: string;
                id: string;
                /** Format: date-time */
                lastHeartbeatAt: string;
                pid: number;
                /** Format: date-time */
                startedAt: string;
                tfBackend: string;
                version: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AuditController_list: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                cursor?: string;
                entityId?: string;
                entityType?: string;
                limit?: number;
                since?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_upload: {
        parameters: {
            query: {
                /** @description JSON object of column name to type, e.g. {"age":"integer"} */
                columnTypes?: string;
                delimiter?: "comma" | "semicolon" | "tab" | "pipe";
                format?: "csv" | "parquet" | "images";
                imageSize?: string;
                name: string;
                targetColumn?: string;
            };
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
                "application/vnd.apache.parquet": string;
                "application/zip": string;
                "text/csv": string;
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDatasetDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_profile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetProfileDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_samples: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetSampleListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_createSample: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path: {
                name: "iris" | "wine" | "breast_cancer" | "digits" | "regression_20k";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DatasetsController_createImageSample: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path: {
                name: "digits";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                model?: string;
                status?: "ACTIVE" | "ROLLING_OUT" | "PAUSED" | "DELETED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDeploymentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDeploymentDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_abort: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeploymentActionDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConflictDto_Output"];
                };
            };
        };
    };
    DeploymentsController_canary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartCanaryDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConflictDto_Output"];
                };
            };
        };
    };
    DeploymentsController_events: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                type?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentEventListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentMetricsController_read: {
        parameters: {
            query?: {
                since?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentMetricsDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_promote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeploymentActionDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConflictDto_Output"];
                };
            };
        };
    };
    DeploymentsController_revisions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRevisionListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeploymentsController_rollback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeploymentActionDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConflictDto_Output"];
                };
            };
        };
    };
    DeploymentsController_rollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartRolloutDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConflictDto_Output"];
                };
            };
        };
    };
    DeploymentsController_shadow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetShadowDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description CONFLICT. A stale baseRevision: `current` is the deployment as it is now, to decide again from. A state that forbids the action (no canary to promote, a deleted deployment) is the same code without `current`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentConflictDto_Output"];
                };
            };
        };
    };
    ExperimentsController_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                nameContains?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ExperimentsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateExperimentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ExperimentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ExperimentsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateExperimentDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExperimentDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelsController_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                search?: string;
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateModelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateModelDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AliasesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alias: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AliasDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AliasesController_set: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alias: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetAliasDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AliasDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    AliasesController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alias: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "PENDING_UPLOAD" | "READY" | "FAILED" | "ARCHIVED";
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateVersionDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateVersionDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_archive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                path: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_putFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                path: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadedFileDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_finalize: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FinalizeVersionDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ModelVersionsController_verify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerificationResultDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OverviewController_getOverview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OverviewResponseDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RegistryController_compare: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CompareDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CompareResultDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RegistryController_gc: {
        parameters: {
            query?: {
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GcRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GcResultDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RegistryController_publicKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicKeyDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RegistryController_resolveNumbered: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResolvedRefDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RegistryController_resolve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ref: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResolvedRefDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRunDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ArtifactsController_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ArtifactsController_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ArtifactsController_upload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                path: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_end: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EndRunDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_logBatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LogBatchDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogBatchResultDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_history: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricHistoryDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_searchByQuery: {
        parameters: {
            query?: {
                cursor?: string;
                experimentIds?: string;
                filter?: string;
                lifecycle?: "active" | "deleted" | "all";
                limit?: number;
                orderBy?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSearchResultDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    RunsController_search: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SearchRunsDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunSearchResultDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_list: {
        parameters: {
            query?: {
                algorithm?: "kmeans" | "cart" | "nn-regression" | "cnn";
                cursor?: string;
                datasetId?: string;
                limit?: number;
                status?: "CREATED" | "RUNNING" | "STOPPING" | "COMPLETED" | "STOPPED" | "FAILED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateStudyDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyDetailDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_registerBest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterBestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResumeStudyDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResumeStudyDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_stop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StopStudyDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TuningStudiesController_getByName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningStudyDetailDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ApiTokenController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ApiTokenController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiTokenDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ApiTokenController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrainingJobsController_list: {
        parameters: {
            query?: {
                algorithm?: "kmeans" | "cart" | "nn-regression" | "cnn";
                cursor?: string;
                datasetId?: string;
                limit?: number;
                status?: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrainingJobsController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTrainingJobDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrainingJobsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrainingJobsController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelTrainingJobDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrainingJobsController_register: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterTrainingJobDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below editor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TrainingJobsController_algorithms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingAlgorithmListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Optional, 1-255 visible ASCII characters. A retry with the same key and request is answered with the first response (header Idempotent-Replayed: true) instead of creating again; the same key with another request is refused (422), and while the first is still running (409). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_deliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "PENDING" | "SUCCEEDED" | "FAILED";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryListDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_ping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ApiTokenController_whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoAmIDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    OverviewController_listWorkers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerListResponseDto_Output"];
                };
            };
            /** @description No valid API token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Token role below viewer */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    HealthController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ok, or 503 with the same body when down */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponseDto_Output"];
                };
            };
        };
    };
}
