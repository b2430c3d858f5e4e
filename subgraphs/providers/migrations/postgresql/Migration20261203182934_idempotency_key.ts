import { Migration } from '@mikro-orm/migrations';

export class Migration20261203182934_idempotency_key extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("scope" varchar(300) not null, "key" varchar(255) not null, "fingerprint" varchar(64) not null, "claimed_at" timestamptz not null, "expires_at" timestamptz not null, "status" int null, "content_type" varchar(200) null, "body" text null, constraint "idempotency_key_pkey" primary key ("scope", "key"));`);
    this.addSql(`create index "idempotency_key_expires_at" on "idempotency_key" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }

}
