import { Migration } from '@mikro-orm/migrations';

export class Migration20261203181134_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_endpoint" ("id" varchar(36) not null, "provider_id" varchar(100) not null, "url" varchar(500) not null, "events" jsonb not null, "secret" varchar(100) not null, "created_at" timestamptz not null, constraint "webhook_endpoint_pkey" primary key ("id"));`);

    this.addSql(`create table "webhook_event" ("id" varchar(36) not null, "type" varchar(40) not null, "provider_ids" jsonb not null, "body" text not null, "occurred_at" timestamptz not null, "recorded_at" timestamptz not null, constraint "webhook_event_pkey" primary key ("id"));`);

    this.addSql(`create table "webhook_delivery" ("id" serial primary key, "endpoint_id" varchar(36) not null, "event_id" varchar(36) not null, "event_type" varchar(40) not null, "status" varchar(20) not null, "attempts" int not null, "attempt_log" jsonb not null, "last_response_status" int null, "next_attempt_at" timestamptz null, "created_at" timestamptz not null, "delivered_at" timestamptz null, "lease_until" timestamptz null, "lease_owner" varchar(36) null, "replay_of" int null);`);
    this.addSql(`create index "webhook_delivery_endpoint" on "webhook_delivery" ("endpoint_id", "id");`);
    this.addSql(`create index "webhook_delivery_queue" on "webhook_delivery" ("status", "endpoint_id", "id");`);

    this.addSql(`alter table "webhook_endpoint" add constraint "webhook_endpoint_provider_id_foreign" foreign key ("provider_id") references "provider" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "webhook_event" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_event_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_event" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }

}
