import { Migration } from '@mikro-orm/migrations';

export class Migration20261125072136_self_service extends Migration {

  // Self-service: versions for optimistic locking (rows already stored start at 1) and the audit trail.
  override async up(): Promise<void> {
    this.addSql(`create table "audit_entry" ("id" serial primary key, "at" timestamptz not null, "actor_role" varchar(20) not null, "actor_sub" varchar(200) null, "actor_provider" varchar(100) null, "actor_key_id" varchar(100) null, "action" varchar(50) not null, "provider_id" varchar(100) not null, "subject_type" varchar(20) not null, "subject_id" varchar(100) not null, "before" jsonb null, "after" jsonb null);`);
    this.addSql(`create index "audit_entry_provider_id" on "audit_entry" ("provider_id", "id");`);

    this.addSql(`alter table "provider" add column "version" int not null default 1;`);

    this.addSql(`alter table "offer" add column "version" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_entry" cascade;`);

    this.addSql(`alter table "offer" drop column "version";`);

    this.addSql(`alter table "provider" drop column "version";`);
  }

}
