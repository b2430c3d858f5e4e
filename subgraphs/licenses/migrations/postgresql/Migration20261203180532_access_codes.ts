import { Migration } from '@mikro-orm/migrations';

export class Migration20261203180532_access_codes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "license_access_code" ("id" varchar(36) not null, "license_key" varchar(100) not null, "hash" varchar(200) not null, "issued_at" timestamptz not null, "issued_by" varchar(250) not null, "revoked_at" timestamptz null, constraint "license_access_code_pkey" primary key ("id"));`);
    this.addSql(`create index "license_access_code_license_key" on "license_access_code" ("license_key", "revoked_at");`);

    this.addSql(`create table "license_access_event" ("id" serial primary key, "at" timestamptz not null, "license_key" varchar(100) not null, "action" varchar(40) not null, "actor_role" varchar(20) not null, "actor_sub" varchar(200) null, "actor_provider" varchar(100) null, "code_id" varchar(36) null);`);
    this.addSql(`create index "license_access_event_license_key" on "license_access_event" ("license_key", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "license_access_code" cascade;`);

    this.addSql(`drop table if exists "license_access_event" cascade;`);
  }

}
