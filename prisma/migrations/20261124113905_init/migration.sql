-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "template" (
    "id" SERIAL NOT NULL,
    "euid" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subtype" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '1.0',
    "name" TEXT NOT NULL,
    "description" TEXT,
    "prefix" TEXT NOT NULL,
    "schema" JSONB NOT NULL DEFAULT '{}',
    "defaults" JSONB NOT NULL DEFAULT '{}',
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "material_object" (
    "id" SERIAL NOT NULL,
    "euid" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subtype" TEXT NOT NULL,
    "template_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "name" TEXT NOT NULL,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "external_id" TEXT,
    "external_scope" TEXT NOT NULL DEFAULT '',
    "barcode" TEXT,
    "layout_rows" INTEGER,
    "layout_columns" INTEGER,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "material_object_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "placement" (
    "id" SERIAL NOT NULL,
    "container_id" INTEGER NOT NULL,
    "content_id" INTEGER NOT NULL,
    "position" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "placement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lineage_edge" (
    "id" SERIAL NOT NULL,
    "euid" TEXT NOT NULL,
    "parent_id" INTEGER NOT NULL,
    "child_id" INTEGER NOT NULL,
    "relationship_type" TEXT NOT NULL DEFAULT 'generic',
    "properties" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lineage_edge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "external_reference" (
    "id" SERIAL NOT NULL,
    "object_id" INTEGER NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'external',
    "ref_type" TEXT NOT NULL,
    "ref_value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_reference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "credential_id" TEXT,
    "operation" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_euid" TEXT NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "request_id" TEXT,
    "idempotency_key" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "euid" TEXT,
    "external_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "position" BIGINT,
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "template_euid_key" ON "template"("euid");

-- CreateIndex
CREATE UNIQUE INDEX "template_category_type_subtype_version_key" ON "template"("category", "type", "subtype", "version");

-- CreateIndex
CREATE UNIQUE INDEX "material_object_euid_key" ON "material_object"("euid");

-- CreateIndex
CREATE INDEX "material_object_category_type_subtype_idx" ON "material_object"("category", "type", "subtype");

-- CreateIndex
CREATE INDEX "material_object_barcode_idx" ON "material_object"("barcode");

-- CreateIndex
CREATE INDEX "material_object_created_at_id_idx" ON "material_object"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "placement_content_id_key" ON "placement"("content_id");

-- CreateIndex
CREATE UNIQUE INDEX "placement_container_id_position_key" ON "placement"("container_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "lineage_edge_euid_key" ON "lineage_edge"("euid");

-- CreateIndex
CREATE INDEX "lineage_edge_child_id_parent_id_idx" ON "lineage_edge"("child_id", "parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "lineage_edge_parent_id_child_id_relationship_type_key" ON "lineage_edge"("parent_id", "child_id", "relationship_type");

-- CreateIndex
CREATE INDEX "external_reference_ref_type_ref_value_idx" ON "external_reference"("ref_type", "ref_value");

-- CreateIndex
CREATE UNIQUE INDEX "external_reference_object_id_provider_ref_type_key" ON "external_reference"("object_id", "provider", "ref_type");

-- CreateIndex
CREATE INDEX "audit_log_entity_euid_id_idx" ON "audit_log"("entity_euid", "id");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_id_idx" ON "audit_log"("actor_id", "id");

-- CreateIndex
CREATE INDEX "audit_log_occurred_at_idx" ON "audit_log"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_event_id_key" ON "outbox_event"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_position_key" ON "outbox_event"("position");

-- CreateIndex
CREATE INDEX "outbox_event_dispatched_at_id_idx" ON "outbox_event"("dispatched_at", "id");

-- AddForeignKey
ALTER TABLE "material_object" ADD CONSTRAINT "material_object_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "template"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "placement" ADD CONSTRAINT "placement_container_id_fkey" FOREIGN KEY ("container_id") REFERENCES "material_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "placement" ADD CONSTRAINT "placement_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "material_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lineage_edge" ADD CONSTRAINT "lineage_edge_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "material_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lineage_edge" ADD CONSTRAINT "lineage_edge_child_id_fkey" FOREIGN KEY ("child_id") REFERENCES "material_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "external_reference" ADD CONSTRAINT "external_reference_object_id_fkey" FOREIGN KEY ("object_id") REFERENCES "material_object"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: what schema.prisma cannot express.

-- external_id is unique per (category, scope) among live rows (soft delete frees it).
CREATE UNIQUE INDEX "material_object_external_id_key" ON "material_object" ("category", "external_scope", "external_id")
  WHERE "external_id" IS NOT NULL AND "deleted_at" IS NULL;
CREATE INDEX "material_object_external_id_idx" ON "material_object" ("external_id") WHERE "external_id" IS NOT NULL;
CREATE INDEX "material_object_live_idx" ON "material_object" ("id") WHERE "deleted_at" IS NULL;

-- EUID bodies come from one sequence per prefix (no row locks between concurrent writers).
CREATE SEQUENCE "euid_seq_bgt";
CREATE SEQUENCE "euid_seq_edg";
CREATE SEQUENCE "euid_seq_adt";
CREATE SEQUENCE "euid_seq_bcn";
CREATE SEQUENCE "euid_seq_bct";
CREATE SEQUENCE "euid_seq_bsj";
CREATE SEQUENCE "euid_seq_beq";
CREATE SEQUENCE "euid_seq_bdt";
CREATE SEQUENCE "euid_seq_bfx";

-- Outbox wake-up: delivered at commit, so the dispatcher never sees uncommitted rows.
CREATE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('labgraph_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "outbox_event_notify" AFTER INSERT ON "outbox_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
CREATE INDEX "outbox_event_pending_idx" ON "outbox_event" ("id") WHERE "dispatched_at" IS NULL;
