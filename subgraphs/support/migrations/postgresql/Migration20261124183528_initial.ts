import { Migration } from '@mikro-orm/migrations';

export class Migration20261124183528_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "support_category" ("id" varchar(40) not null, "name" varchar(100) not null, "content" text not null, "provided_by" jsonb not null, "obligatory" boolean not null, constraint "support_category_pkey" primary key ("id"));`);

    this.addSql(`create table "support_topic" ("id" varchar(60) not null, "name" varchar(100) not null, "category_id" varchar(40) not null, "level" text check ("level" in ('LEVEL_0', 'LEVEL_1')) null, "service" text check ("service" in ('TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT')) null, "position" int not null, constraint "support_topic_pkey" primary key ("id"));`);

    this.addSql(`alter table "support_topic" add constraint "support_topic_category_id_foreign" foreign key ("category_id") references "support_category" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "support_topic" drop constraint "support_topic_category_id_foreign";`);

    this.addSql(`drop table if exists "support_category" cascade;`);

    this.addSql(`drop table if exists "support_topic" cascade;`);

  }

}
