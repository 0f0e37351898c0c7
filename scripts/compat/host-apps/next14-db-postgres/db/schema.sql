-- next-auth's tables as @auth/kysely-adapter reads them (its documented PostgreSQL schema).
CREATE TABLE "User" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "name" text,
  "email" text UNIQUE,
  "emailVerified" timestamptz,
  "image" text
);
CREATE TABLE "Account" (
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
CREATE TABLE "Session" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES "User" ("id") ON DELETE CASCADE,
  "sessionToken" text NOT NULL UNIQUE,
  "expires" timestamptz NOT NULL
);
CREATE TABLE "VerificationToken" (
  "identifier" text NOT NULL,
  "token" text NOT NULL UNIQUE,
  "expires" timestamptz NOT NULL,
  PRIMARY KEY ("identifier", "token")
);
