import { Migration } from '@mikro-orm/migrations';

export class Migration20261203181146_license_event extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "license_event" ("id" varchar(36) not null, "type" varchar(40) not null, "license_key" varchar(100) not null, "provider_ids" jsonb not null, "payload" jsonb not null, "occurred_at" timestamptz not null, "relayed_at" timestamptz null, constraint "license_event_pkey" primary key ("id"));`);
    this.addSql(`create index "license_event_unrelayed" on "license_event" ("relayed_at", "occurred_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "license_event" cascade;`);
  }

}
