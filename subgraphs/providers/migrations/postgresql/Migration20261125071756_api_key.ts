import { Migration } from '@mikro-orm/migrations';

export class Migration20261125071756_api_key extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "api_key" ("id" varchar(36) not null, "provider_id" varchar(100) not null, "label" varchar(100) not null, "hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);

    this.addSql(`alter table "api_key" add constraint "api_key_provider_id_foreign" foreign key ("provider_id") references "provider" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_key" cascade;`);
  }

}
