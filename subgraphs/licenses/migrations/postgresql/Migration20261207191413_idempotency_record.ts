import { Migration } from '@mikro-orm/migrations';

export class Migration20261207191413_idempotency_record extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_record" ("scope" varchar(300) not null, "key_hash" varchar(64) not null, "fingerprint" varchar(64) not null, "state" varchar(16) not null, "claim" varchar(36) not null, "claimed_at" timestamptz not null, "expires_at" timestamptz not null, "answer" text null, constraint "idempotency_record_pkey" primary key ("scope", "key_hash"));`);
    this.addSql(`create index "idempotency_record_expires_at" on "idempotency_record" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_record" cascade;`);
  }

}
