import { Migration } from '@mikro-orm/migrations';

export class Migration20261207200000_retention extends Migration {

  // Retention (lib/retention.ts): the cleanup's lease, and indexes for finding the oldest rows.
  override async up(): Promise<void> {
    this.addSql(`create table "cleanup_lease" ("name" varchar(60) not null, "owner" varchar(36) not null, "lease_until" timestamptz not null, constraint "cleanup_lease_pkey" primary key ("name"));`);
    this.addSql(`create index "license_access_event_at" on "license_access_event" ("at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "cleanup_lease" cascade;`);
    this.addSql(`drop index "license_access_event_at";`);
  }

}
