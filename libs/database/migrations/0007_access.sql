ALTER TABLE "api_keys" ADD COLUMN "seeded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Keys seeded from LOUPE_ADMIN_KEY before this column existed: mark them, so the next rotation
-- revokes them, and drop the first characters of the operator's key that were kept as the prefix.
-- Keys made through the API or the CLI carry their own names; the seed wrote exactly this one with no creator.
UPDATE "api_keys" SET "seeded" = true, "key_prefix" = 'seeded' WHERE "name" = 'admin (LOUPE_ADMIN_KEY)' AND "created_by" IS NULL;
