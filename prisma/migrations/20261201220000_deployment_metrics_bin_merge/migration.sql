-- Serving replicas add their per-window input and prediction bins into one deployment_metrics row; these merge
-- two serving.contract BinnedCounts (histogram counts bin by bin on equal edges, categories key by key) and two
-- feature maps (per feature). NULL is "nothing counted". Bins that cannot be added up (different edges or kinds,
-- which one version's one training profile never produces) keep the newer write rather than failing the flush.
CREATE OR REPLACE FUNCTION slipway_merge_bins(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL THEN a
    WHEN a->>'kind' = 'histogram' AND b->>'kind' = 'histogram' AND a->'edges' = b->'edges'
         AND jsonb_array_length(a->'counts') = jsonb_array_length(b->'counts') THEN
      jsonb_build_object('kind', 'histogram', 'edges', a->'edges', 'counts', coalesce((
        SELECT jsonb_agg(x.c::bigint + y.c::bigint ORDER BY x.i)
          FROM jsonb_array_elements_text(a->'counts') WITH ORDINALITY AS x(c, i)
          JOIN jsonb_array_elements_text(b->'counts') WITH ORDINALITY AS y(c, i) ON x.i = y.i), '[]'::jsonb))
    WHEN a->>'kind' = 'categories' AND b->>'kind' = 'categories' THEN
      jsonb_build_object('kind', 'categories', 'counts', coalesce((
        SELECT jsonb_object_agg(k, n) FROM (
          SELECT k, sum(v::bigint) AS n FROM (
            SELECT key AS k, value AS v FROM jsonb_each_text(a->'counts')
            UNION ALL SELECT key, value FROM jsonb_each_text(b->'counts')) AS u
           GROUP BY k) AS g), '{}'::jsonb))
    ELSE b
  END
$$;

CREATE OR REPLACE FUNCTION slipway_merge_feature_bins(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL THEN a
    ELSE coalesce((SELECT jsonb_object_agg(k, slipway_merge_bins(a->k, b->k))
                     FROM (SELECT jsonb_object_keys(a) AS k UNION SELECT jsonb_object_keys(b)) AS keys), '{}'::jsonb)
  END
$$;
