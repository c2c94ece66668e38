-- Bloom's external specimen Idempotency-Key is kept in the specimen's properties
-- (so a replay finds the specimen itself); this turns the replay lookup into an
-- index probe instead of a scan of all live content.
CREATE INDEX "material_object_external_idempotency_key_idx"
  ON "material_object" (("properties" ->> 'external_idempotency_key'))
  WHERE "category" = 'content' AND "deleted_at" IS NULL AND "properties" ? 'external_idempotency_key';
