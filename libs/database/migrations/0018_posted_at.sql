ALTER TABLE "contents" ADD COLUMN "posted_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Items ingested before the column existed were posted, as far as Loupe knows, when it received them.
UPDATE "contents" SET "posted_at" = "created_at";--> statement-breakpoint
CREATE INDEX "contents_posted_at_idx" ON "contents" USING btree ("posted_at");