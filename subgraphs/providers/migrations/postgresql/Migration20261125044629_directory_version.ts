import { Migration } from '@mikro-orm/migrations';

export class Migration20261125044629_directory_version extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "directory_version" ("id" int not null, "version" int not null, constraint "directory_version_pkey" primary key ("id"));`);
    // The one marker row (see DirectoryVersion); every change to the directory bumps its version.
    this.addSql(`insert into "directory_version" ("id", "version") values (1, 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "directory_version" cascade;`);
  }

}
