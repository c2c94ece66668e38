-- CreateTable
CREATE TABLE "deployment" (
    "singleton" BOOLEAN NOT NULL DEFAULT true,
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_pkey" PRIMARY KEY ("singleton")
);


-- At most one row; the first gateway to start inserts it (ON CONFLICT DO NOTHING).
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_singleton" CHECK ("singleton");
