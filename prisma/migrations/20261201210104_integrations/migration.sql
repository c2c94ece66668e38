-- bioAF-style integration routes (/api/v1/integrations): projects (BPJ) and
-- experiments (BXP) are material objects with EUID sequences of their own.
CREATE SEQUENCE IF NOT EXISTS "euid_seq_bpj";
CREATE SEQUENCE IF NOT EXISTS "euid_seq_bxp";

-- The integer `id` those routes expose is the EUID's sequence number (the
-- Crockford base-32 body without its check character). Derived from the public
-- EUID only, so no internal key leaks; IMMUTABLE so lists can be ordered and
-- paged on it (id DESC, `id < cursor`) through the index below.
CREATE FUNCTION "euid_sequence"(euid text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(sum((strpos('0123456789ABCDEFGHJKMNPQRSTVWXYZ', substr(b, i, 1)) - 1)::numeric * power(32::numeric, length(b) - i)), 0)::bigint
  FROM (SELECT left(split_part(euid, '-', 2), -1) AS b) s, generate_series(1, length(s.b)) AS i
$$;

CREATE INDEX "material_object_integration_page_idx" ON "material_object" ("category", "euid_sequence"("euid") DESC)
  WHERE "deleted_at" IS NULL;
