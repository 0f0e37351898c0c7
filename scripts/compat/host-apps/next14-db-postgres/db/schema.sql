-- The app's tables, in one migration: node db/migrate.mjs applies it to DATABASE_URL.

-- next-auth's tables as @auth/kysely-adapter reads them (its documented PostgreSQL schema).
CREATE TABLE IF NOT EXISTS "User" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "name" text,
  "email" text UNIQUE,
  "emailVerified" timestamptz,
  "image" text
);
CREATE TABLE IF NOT EXISTS "Account" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES "User" ("id") ON DELETE CASCADE,
  "type" text NOT NULL,
  "provider" text NOT NULL,
  "providerAccountId" text NOT NULL,
  "refresh_token" text,
  "access_token" text,
  "expires_at" bigint,
  "token_type" text,
  "scope" text,
  "id_token" text,
  "session_state" text,
  UNIQUE ("provider", "providerAccountId")
);
CREATE TABLE IF NOT EXISTS "Session" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES "User" ("id") ON DELETE CASCADE,
  "sessionToken" text NOT NULL UNIQUE,
  "expires" timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS "VerificationToken" (
  "identifier" text NOT NULL,
  "token" text NOT NULL UNIQUE,
  "expires" timestamptz NOT NULL,
  PRIMARY KEY ("identifier", "token")
);

-- The Logto kit's two tables, as logtoTablesSql() from lib/logto gives them (its README, "database sessions").
CREATE TABLE IF NOT EXISTS "logto_session_link" ("session_token" TEXT PRIMARY KEY, "user_id" TEXT NOT NULL, "provider" TEXT NOT NULL, "provider_account_id" TEXT NOT NULL, "sid" TEXT, "auth_time" BIGINT NOT NULL, "expires" BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS "logto_session_link_sid" ON "logto_session_link" ("sid");
CREATE INDEX IF NOT EXISTS "logto_session_link_account" ON "logto_session_link" ("provider", "provider_account_id");
CREATE TABLE IF NOT EXISTS "logto_refresh_lock" ("lock_key" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "expires" BIGINT NOT NULL);
